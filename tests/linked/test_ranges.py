"""A full-size synthetic linked set reaches every number column's real extremes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lookalike.linked import LinkedModel
from lookalike.linked.ranges import reach_range
from lookalike.metadata import Column, Metadata
from tests.linked.tables import players_seasons


def _with_outliers() -> dict[str, pd.DataFrame]:
    """Players with one very light and one very heavy player, some weights missing; unordered
    seasons (no year: drawn by cart) with one season of 99 home runs."""
    tables = players_seasons(n=400, seed=3)
    players, seasons = tables["players"], tables["seasons"].drop(columns="year")
    players.loc[0, "weight"], players.loc[1, "weight"] = 30.0, 160.0
    players.loc[2:13, "weight"] = np.nan
    seasons.loc[5, "hr"] = 99
    return {"players": players, "seasons": seasons}


@pytest.mark.parametrize("seed", [0, 1])
def test_sample_reaches_the_real_extremes_and_keeps_integers(seed: int) -> None:
    real = _with_outliers()
    model = LinkedModel(random_state=seed).fit(real)
    fake = model.sample(scale=1.0, seed=seed)
    weight, real_weight = fake["players"]["weight"], real["players"]["weight"]
    assert (weight.min(), weight.max()) == (30, 160)
    assert weight.dropna().eq(weight.dropna().round()).all()  # whole pounds, as in the data
    assert abs(weight.isna().mean() - real_weight.isna().mean()) < 0.03
    hr = fake["seasons"]["hr"]
    assert pd.api.types.is_integer_dtype(hr) and (hr.min(), hr.max()) == (0, 99)
    # a lone extreme is one row, not a spike: the rest of the column is the model's draw
    assert (weight <= 40).sum() == 1 and (weight >= 150).sum() <= 2


def test_each_end_goes_to_its_own_most_extreme_row() -> None:
    meta = Metadata(
        columns={
            "a": Column("a", "numerical", integer=True, min=0, max=100),
            "b": Column("b", "numerical", min=-5.5, max=9.0),
        }
    )
    chunk = pd.DataFrame({"a": [10, 20, 30, 40], "b": [1.0, 2.0, np.nan, 3.0]})
    out = reach_range(chunk.copy(), meta, ["a", "b"])
    assert out["a"].tolist() == [0, 20, 30, 100] and out["a"].dtype == np.int64
    # row 0 holds a's minimum and row 3 its maximum: b's ends go to the next rows in line
    assert out["b"].tolist()[:2] == [1.0, -5.5] and np.isnan(out["b"][2])
    assert out["b"][3] == 3.0 and out["b"].max() == 3.0  # no free row left for b's maximum
    spanned = pd.DataFrame({"a": [0, 50, 100], "b": [-5.5, 0.0, 9.0]})
    assert reach_range(spanned.copy(), meta, ["a", "b"]).equals(spanned)
