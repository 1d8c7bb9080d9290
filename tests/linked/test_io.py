"""A folder or a database of tables in and out; database writes are all or nothing."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from lookalike.errors import DataError
from lookalike.linked import LinkedModel, Schema
from lookalike.linked.io import is_linked_source, read_schema, read_tables, write_tables
from tests.linked.tables import chain, players_seasons


def test_folder_round_trip_ignores_other_files(tmp_path) -> None:
    tables = chain()
    write_tables(tables, tmp_path / "shop", Schema.detect(tables))
    (tmp_path / "shop" / "spec.json").write_text("{}")
    (tmp_path / "shop" / "README.md").write_text("# not a table")
    assert is_linked_source(str(tmp_path / "shop"))
    again = read_tables(tmp_path / "shop")
    assert sorted(again) == sorted(tables)
    pd.testing.assert_frame_equal(again["orders"], tables["orders"])


def test_folder_write_replaces_tables_only(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    tables = players_seasons(n=50)
    write_tables(tables, out, Schema.detect(tables))
    assert (out / "notes.txt").read_text() == "keep me"
    assert sorted(p.name for p in out.glob("*.csv")) == ["players.csv", "seasons.csv"]
    assert not list(tmp_path.glob(".out.*"))  # no staging folder left
    write_tables(tables, tmp_path / "new", Schema.detect(tables))
    assert (tmp_path / "new").stat().st_mode & 0o755 == 0o755  # not a private temp folder


def test_sqlite_round_trip_with_declared_keys(tmp_path) -> None:
    real = chain()
    fake = LinkedModel(random_state=0).fit(real).sample(seed=0)
    schema = Schema.detect(real)
    url = f"sqlite:///{tmp_path / 'fake.db'}"
    assert is_linked_source(url) and not is_linked_source(url + "?table=orders")
    write_tables(fake, url, schema)
    declared = read_schema(url)
    assert set(declared.foreign_keys) == set(schema.foreign_keys)
    assert declared.table("customers").primary_key == ("customer_id",)
    back = read_tables(url)
    assert sorted(back) == sorted(fake)
    assert len(back["items"]) == len(fake["items"])
    with sqlite3.connect(tmp_path / "fake.db") as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert not db.execute("PRAGMA foreign_key_check").fetchall()


def test_failed_database_write_leaves_nothing(tmp_path) -> None:
    tables = players_seasons(n=60)
    schema = Schema.detect(tables)
    broken = dict(tables)
    broken["seasons"] = tables["seasons"].copy()
    schema = Schema.from_dict(
        {
            "tables": {
                "players": {"primary_key": ["id"]},
                "seasons": {
                    "primary_key": ["year"],  # not unique: the insert fails midway
                    "foreign_keys": [{"columns": ["player_id"], "parent": "players"}],
                },
            }
        }
    )
    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE other (x INTEGER)")
    with pytest.raises(DataError, match="nothing was written"):
        write_tables(broken, f"sqlite:///{path}", schema)
    with sqlite3.connect(path) as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {"other"}


def test_missing_folder_and_empty_folder(tmp_path) -> None:
    with pytest.raises(DataError, match="not a folder"):
        read_tables(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match=r"no \.csv"):
        read_tables(tmp_path / "empty")
