"""Constraints declared on a sequence table hold on every sampled step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lookalike.errors import DataError
from lookalike.metadata import Metadata
from lookalike.sequences import SequenceModel


def _visits(n: int = 120, seed: int = 0) -> pd.DataFrame:
    """Visits per patient: a dose at most the prescribed maximum, a total = dose * days."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n):
        for v in range(int(rng.integers(2, 7))):
            cap = int(rng.integers(20, 80))
            dose = int(rng.integers(5, cap + 1))
            days = int(rng.integers(1, 8))
            rows.append((f"pt{p:05d}", 2000 + v, dose, cap, days, dose * days))
    return pd.DataFrame(rows, columns=["patient", "year", "dose", "cap", "days", "total"])


def _metadata(visits: pd.DataFrame) -> Metadata:
    meta = Metadata.detect(visits)
    meta.constraints = [
        {"type": "inequality", "low": "dose", "high": "cap"},
        {"type": "formula", "column": "total", "expression": "dose * days"},
    ]
    return meta


def test_every_step_obeys_the_constraints_and_a_saved_model_too(tmp_path) -> None:
    import lookalike

    visits = _visits()
    model = SequenceModel("patient", "year", seed=0, metadata=_metadata(visits)).fit(visits)
    rows = model.sample(200)
    assert list(rows.columns) == list(visits.columns)
    assert len(rows) > 400
    assert (rows["dose"] <= rows["cap"]).all()
    assert (rows["total"] == rows["dose"] * rows["days"]).all()
    model.save(tmp_path / "m.lookalike")
    again = lookalike.load(tmp_path / "m.lookalike").sample(200)
    pd.testing.assert_frame_equal(again, rows)


def test_without_the_constraints_steps_break_them() -> None:
    visits = _visits()
    rows = SequenceModel("patient", "year", seed=0).fit(visits).sample(200)
    assert (rows["dose"] > rows["cap"]).any()  # what the constraint prevents


def test_a_constraint_on_the_order_column_is_refused() -> None:
    visits = _visits()
    meta = Metadata.detect(visits)
    meta.constraints = [{"type": "inequality", "low": "dose", "high": "year"}]
    with pytest.raises(DataError, match="order column"):
        SequenceModel("patient", "year", seed=0, metadata=meta).fit(visits)
