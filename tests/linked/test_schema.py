"""Keys found from names and values, kept editable as JSON, read from a database."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pandas as pd
import pytest

from lookalike.errors import MetadataError
from lookalike.linked import ForeignKey, LinkedModel, Schema
from lookalike.linked.io import detect_schema, read_schema, write_tables
from tests.linked.tables import airports_flights, chain, composite, players_seasons
from tests.linked.test_cli import _cli


def test_one_parent_key_and_order_are_detected() -> None:
    schema = Schema.detect(players_seasons())
    assert schema.table("players").primary_key == ("id",)
    assert schema.foreign_keys == (ForeignKey("seasons", ("player_id",), "players", ("id",)),)
    assert schema.table("seasons").order_by == "year"
    assert schema.order() == ["players", "seasons"]


def test_two_keys_to_one_table_by_values_alone() -> None:
    schema = Schema.detect(airports_flights())
    found = {fk.columns[0]: fk.parent for fk in schema.parents_of("flights")}
    assert found == {"origin": "airports", "destination": "airports"}
    assert schema.table("flights").primary_key == ("flight_id",)


def test_composite_key() -> None:
    schema = Schema.detect(composite())
    assert schema.table("orders").primary_key == ("region", "order_no")
    (fk,) = schema.foreign_keys
    assert fk.columns == ("region", "order_no") and fk.parent == "orders"


def test_chain_and_unrelated_table() -> None:
    schema = Schema.detect(chain())
    assert {(fk.table, fk.parent) for fk in schema.foreign_keys} == {
        ("orders", "customers"),
        ("items", "orders"),
    }
    order = schema.order()
    assert order.index("customers") < order.index("orders") < order.index("items")
    assert not schema.parents_of("shops") and not schema.children_of("shops")


def test_orphans_and_missing_keys_are_found_and_counted() -> None:
    tables = players_seasons(orphans=0.05, missing=0.03)
    schema = Schema.detect(tables)
    (row,) = schema.integrity(tables)
    rows = len(tables["seasons"])
    assert 0.03 < row["orphans"] / rows < 0.07
    assert 0.015 < row["missing"] / rows < 0.045


def test_json_round_trip_and_edits(tmp_path) -> None:
    schema = Schema.detect(chain()).with_metadata(chain())
    path = tmp_path / "schema.json"
    schema.to_json(path)
    again = Schema.from_json(path)
    assert again == schema
    assert again.table("orders").metadata["columns"]["total"]["kind"] == "numerical"
    text = path.read_text().replace('"order_by": "qty"', "")
    assert Schema.from_json(text).foreign_keys == schema.foreign_keys


def test_benchmark_spec_layout_is_read() -> None:
    spec = {
        "tables": {
            "players": {"primary_key": "id"},
            "batting": {"parent": "players", "foreign_key": "players_id", "order_by": "year"},
        }
    }
    schema = Schema.from_dict(spec)
    assert schema.foreign_keys == (ForeignKey("batting", ("players_id",), "players", ("id",)),)
    assert schema.table("batting").order_by == "year"


def test_bad_schema_says_what_is_wrong() -> None:
    tables = players_seasons()
    schema = Schema.from_dict(
        {
            "tables": {
                "players": {"primary_key": ["id"]},
                "seasons": {"foreign_keys": [{"columns": ["nope"], "parent": "players"}]},
            }
        }
    )
    with pytest.raises(MetadataError, match="nope"):
        schema.validate(tables)
    with pytest.raises(MetadataError, match="not in the schema"):
        Schema.from_dict({"tables": {"a": {"foreign_keys": [{"columns": ["x"], "parent": "b"}]}}})


def test_declared_keys_are_read_from_sqlite(tmp_path) -> None:
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE client (ref TEXT PRIMARY KEY, age INTEGER)")
        db.execute(
            "CREATE TABLE purchase (n INTEGER PRIMARY KEY, buyer TEXT "
            "REFERENCES client(ref), price REAL)"
        )
        db.executemany("INSERT INTO client VALUES (?, ?)", [(f"c{i}", 20 + i) for i in range(30)])
        db.executemany(
            "INSERT INTO purchase VALUES (?, ?, ?)", [(i, f"c{i % 30}", 1.5 * i) for i in range(90)]
        )
    url = f"sqlite:///{path}"
    declared = read_schema(url)
    assert declared.table("client").primary_key == ("ref",)
    assert declared.foreign_keys == (ForeignKey("purchase", ("buyer",), "client", ("ref",)),)
    from lookalike.linked.io import read_tables

    schema = detect_schema(url, read_tables(url))
    assert schema.foreign_keys == declared.foreign_keys
    assert isinstance(read_tables(url)["client"], pd.DataFrame)


def test_a_birth_date_is_learned_as_a_date_and_the_schema_can_fake_it(tmp_path) -> None:
    tables = players_seasons(n=50)
    days = np.random.default_rng(0).integers(0, 7000, 50)
    born = pd.Timestamp("1950-01-01") + pd.to_timedelta(days, unit="D")
    tables["players"]["birth_date"] = born.strftime("%Y-%m-%d")
    write_tables(tables, tmp_path / "data", Schema.detect(tables))

    shown = _cli("inspect", str(tmp_path / "data"), "-o", str(tmp_path / "schema.json"))
    assert "datetime (date_of_birth)" in shown.stdout
    assert "players.birth_date is a date of birth: learned as a date" in shown.stdout
    schema = json.loads((tmp_path / "schema.json").read_text())
    column = schema["tables"]["players"]["metadata"]["columns"]["birth_date"]
    assert column["kind"] == "datetime" and column["pii_kind"] == "date_of_birth"

    def births(schema: Schema) -> pd.Series:
        fake = LinkedModel(schema, random_state=0).fit(tables).sample(seed=0)
        return pd.to_datetime(fake["players"]["birth_date"])

    learned = births(Schema.from_dict(schema))
    assert learned.between(born.min(), born.max()).all()  # dates from the real range
    column["kind"] = "pii"  # the user's switch: fake it, as a single table does
    faked = births(Schema.from_dict(schema))
    assert not faked.between(born.min(), born.max()).all()
