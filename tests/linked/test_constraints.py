"""A constraint declared in a table's metadata holds in the synthetic linked tables."""

from __future__ import annotations

import dataclasses

import numpy as np

from lookalike.linked import LinkedModel, Schema
from tests.linked.tables import players_seasons


def test_a_declared_constraint_holds_in_a_linked_table() -> None:
    tables = players_seasons(n=300, seed=1)
    players = tables["players"]
    rng = np.random.default_rng(0)
    players["debut_weight"] = players["weight"] - rng.integers(0, 15, len(players))
    schema = Schema.detect(tables).with_metadata(tables)
    meta = dict(schema.table("players").metadata or {})
    meta["constraints"] = [{"type": "inequality", "low": "debut_weight", "high": "weight"}]
    rebuilt = tuple(
        dataclasses.replace(t, metadata=meta) if t.name == "players" else t for t in schema.tables
    )
    schema = Schema(rebuilt, schema.foreign_keys)
    fake = LinkedModel(schema, random_state=0).fit(tables).sample(scale=1.0, seed=0)["players"]
    both = fake[["debut_weight", "weight"]].dropna()
    assert len(both) > 200
    assert (both["debut_weight"] <= both["weight"]).all()
