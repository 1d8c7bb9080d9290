"""An ordered child goes to lookalike.sequences.SequenceModel when that package is there
(the interface agreed with the sequences work); a stand-in model checks the calls."""

from __future__ import annotations

import sys
import types
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lookalike.linked import LinkedModel
from tests.linked.tables import players_seasons


class _StandIn:
    """Gives every entity two steps; remembers what it was given."""

    fitted: ClassVar[dict[str, Any]] = {}

    def __init__(self, *, key: str, order_by: str, seed: int | None) -> None:
        self.key, self.order_by, self.seed = key, order_by, seed

    def fit(
        self, data: pd.DataFrame, context: pd.DataFrame, context_metadata: Any = None
    ) -> _StandIn:
        _StandIn.fitted = {
            "columns": list(data.columns),
            "context": list(context.columns),
            "context_kinds": sorted(context_metadata.columns) if context_metadata else None,
            "index_in_data": bool(context.index.isin(data[self.key]).any()),
        }
        self.template = data.drop(columns=self.key).iloc[:2].reset_index(drop=True)
        return self

    def sample(self, context: pd.DataFrame, seed: int | None = None) -> pd.DataFrame:
        rows = pd.concat([self.template] * len(context), ignore_index=True)
        rows.insert(0, self.key, np.repeat(context.index.to_numpy(), 2))
        return rows

    def get_state(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "order_by": self.order_by,
            "template": self.template.to_dict("list"),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> _StandIn:
        model = cls(key=state["key"], order_by=state["order_by"], seed=None)
        model.template = pd.DataFrame(state["template"])
        return model


def test_ordered_child_uses_the_sequence_model(monkeypatch, tmp_path) -> None:
    module = types.ModuleType("lookalike.sequences")
    module.SequenceModel = _StandIn  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lookalike.sequences", module)
    real = players_seasons(n=120)
    model = LinkedModel(random_state=0).fit(real)
    assert _StandIn.fitted["columns"][0] == "player_id" and "year" in _StandIn.fitted["columns"]
    assert set(_StandIn.fitted["context"]) == {"weight", "bats"}
    assert _StandIn.fitted["context_kinds"] == ["bats", "weight"]  # the parent's kinds
    assert _StandIn.fitted["index_in_data"]
    model.save(tmp_path / "m.lookalike")
    import lookalike

    fake = lookalike.load(tmp_path / "m.lookalike").sample(seed=0)
    counts = fake["seasons"]["player_id"].value_counts()
    assert (counts == 2).all() and set(counts.index) == set(fake["players"]["id"])
