"""Linked tables in a real PostgreSQL server: declared keys read, all-or-nothing writes.

Needs LOOKALIKE_TEST_POSTGRES_URL (`source .ci/postgres.sh` starts a throwaway server); skipped
without it, failed under CI=true. Each test works in schemas of its own (`?schema=`), dropped
afterwards, so tests and engineers sharing one server never see each other's tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from lookalike.errors import DataError
from lookalike.linked import ForeignKey
from lookalike.linked.io import read_schema, read_tables
from tests.linked.test_cli import _cli, _run
from tests.postgres import postgres_base

pytestmark = pytest.mark.postgres

_DDL = """
CREATE TABLE {s}.airports (code TEXT PRIMARY KEY, size TEXT, elevation BIGINT);
CREATE TABLE {s}.flights (
    flight_id BIGINT PRIMARY KEY,
    origin TEXT REFERENCES {s}.airports (code),
    destination TEXT REFERENCES {s}.airports (code),
    distance DOUBLE PRECISION);
CREATE TABLE {s}.orders (
    region TEXT, order_no BIGINT, priority TEXT, PRIMARY KEY (region, order_no));
CREATE TABLE {s}.items (
    item_id BIGINT PRIMARY KEY, order_region TEXT, order_number BIGINT, amount DOUBLE PRECISION,
    FOREIGN KEY (order_region, order_number) REFERENCES {s}.orders (region, order_no));
"""


def _data(seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    codes = [f"A{i:02d}" for i in range(30)]
    size = rng.choice(["big", "small"], 30)
    airports = pd.DataFrame({"code": codes, "size": size, "elevation": rng.integers(0, 900, 30)})
    big = dict(zip(codes, size == "big", strict=True))
    origin, destination = rng.choice(codes, 200), rng.choice(codes, 200)
    distance = [
        600.0 * big[o] + 600.0 * big[d] + rng.normal(200, 20)
        for o, d in zip(origin, destination, strict=True)
    ]
    flights = pd.DataFrame(
        {
            "flight_id": np.arange(1, 201),
            "origin": origin,
            "destination": destination,
            "distance": np.round(distance, 1),
        }
    )
    orders = pd.DataFrame(
        [(r, i, rng.choice(["high", "low"])) for r in ("north", "south") for i in range(1, 41)],
        columns=["region", "order_no", "priority"],
    )
    rows = [
        (r, n, round(rng.normal(100 if p == "high" else 20, 5), 2))
        for r, n, p in orders.itertuples(index=False)
        for _ in range(int(rng.integers(0, 4)))
    ]
    items = pd.DataFrame(rows, columns=["order_region", "order_number", "amount"])
    items.insert(0, "item_id", np.arange(1, len(items) + 1))
    return {"airports": airports, "flights": flights, "orders": orders, "items": items}


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


@pytest.fixture
def server() -> Iterator[dict[str, Any]]:
    """The server's URL and a fresh source schema holding the four tables with declared keys;
    every schema named `lk_linked_<hex>...` that a test made is dropped afterwards."""
    base = postgres_base()
    prefix = f"lk_linked_{uuid.uuid4().hex[:8]}"
    engine = _engine(base)
    tables = _data()
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {prefix}_src")
        for statement in _DDL.format(s=f"{prefix}_src").split(";"):
            if statement.strip():
                connection.exec_driver_sql(statement)
        for name in ("airports", "flights", "orders", "items"):
            tables[name].to_sql(
                name, connection, schema=f"{prefix}_src", if_exists="append", index=False
            )
    try:
        yield {"base": base, "prefix": prefix, "tables": tables, "engine": engine}
    finally:
        with engine.begin() as connection:
            found = connection.exec_driver_sql(
                "SELECT nspname FROM pg_namespace WHERE nspname LIKE %(p)s", {"p": prefix + "%"}
            )
            for (name,) in found.fetchall():
                connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        engine.dispose()


def _url(server: dict[str, Any], schema: str) -> str:
    return f"{server['base']}?schema={server['prefix']}_{schema}"


def _password(server: dict[str, Any]) -> str:
    """The password as a URL spells it (`:pw@`: the user or database may have the same name)."""
    return f":{sa.engine.make_url(server['base']).password}@"


def _constraints(server: dict[str, Any], schema: str) -> dict[str, Any]:
    with server["engine"].connect() as connection:
        inspector = sa.inspect(connection)
        name = f"{server['prefix']}_{schema}"
        return {
            table: (
                inspector.get_pk_constraint(table, schema=name)["constrained_columns"],
                sorted(
                    (tuple(fk["constrained_columns"]), fk["referred_table"])
                    for fk in inspector.get_foreign_keys(table, schema=name)
                ),
            )
            for table in inspector.get_table_names(schema=name)
        }


def test_inspect_reads_the_declared_keys(server: dict[str, Any]) -> None:
    url = _url(server, "src")
    declared = read_schema(url)
    assert declared.table("orders").primary_key == ("region", "order_no")
    assert set(declared.foreign_keys) == {
        ForeignKey("flights", ("origin",), "airports", ("code",)),
        ForeignKey("flights", ("destination",), "airports", ("code",)),
        ForeignKey("items", ("order_region", "order_number"), "orders", ("region", "order_no")),
    }
    shown = _cli("inspect", url)
    assert shown.exit_code == 0, shown.output
    # a composite key under other names: only the database's declaration can say so
    assert "foreign key: order_region+order_number -> orders.region+order_no" in shown.stdout
    assert "foreign key: origin -> airports.code" in shown.stdout
    assert "foreign key: destination -> airports.code" in shown.stdout
    assert "primary key: region, order_no" in shown.stdout
    assert _password(server) not in shown.output and ":***@" in shown.stdout
    read = read_tables(url)
    assert {n: len(f) for n, f in read.items()} == {n: len(f) for n, f in server["tables"].items()}


def test_fit_then_sample_into_another_schema_with_keys(
    server: dict[str, Any], tmp_path: Path
) -> None:
    model = tmp_path / "m.lookalike"
    fitted = _cli("fit", _url(server, "src"), "-o", str(model), "--seed", "0", "--quiet")
    assert fitted.exit_code == 0, fitted.output
    out = _url(server, "out")
    for seed in ("1", "2"):  # the second run replaces the first run's tables, keys and all
        sampled = _cli("sample", str(model), "--scale", "1", "-o", out, "--seed", seed)
        assert sampled.exit_code == 0, sampled.output
        assert _password(server) not in sampled.output
    assert _constraints(server, "out") == _constraints(server, "src")
    synthetic = read_tables(out)
    assert set(synthetic) == {"airports", "flights", "orders", "items"}
    assert len(synthetic["airports"]) == 30 and len(synthetic["orders"]) == 80
    real = server["tables"]
    assert not set(synthetic["airports"]["code"]) & set(real["airports"]["code"])
    for column in ("origin", "destination"):
        assert synthetic["flights"][column].isin(set(synthetic["airports"]["code"])).all()
    pairs = set(zip(synthetic["orders"]["region"], synthetic["orders"]["order_no"], strict=True))
    items = synthetic["items"]
    assert all(p in pairs for p in zip(items["order_region"], items["order_number"], strict=True))
    # the keys read back from the written schema are the ones written
    assert set(read_schema(out).foreign_keys) == set(read_schema(_url(server, "src")).foreign_keys)


def test_a_failure_midway_leaves_the_database_as_it_was(
    server: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = tmp_path / "m.lookalike"
    assert _cli("fit", _url(server, "src"), "-o", str(model), "--quiet").exit_code == 0
    import lookalike.linked.database as database

    real_append = database._append
    filled: list[str] = []

    def append_then_fail(connection: Any, frame: pd.DataFrame, name: str, schema: Any) -> None:
        if filled:  # the second table: the server refuses (an injected error)
            connection.exec_driver_sql("SELECT 1/0")
        real_append(connection, frame, name, schema)
        filled.append(name)

    monkeypatch.setattr(database, "_append", append_then_fail)
    new = _url(server, "new")
    with pytest.raises(DataError, match="nothing was written") as caught:
        _cli("sample", str(model), "--scale", "1", "-o", new, "--quiet")
    assert _password(server) not in str(caught.value) and ":***@" in str(caught.value)
    assert filled  # one table was created and filled before the failure...
    with server["engine"].connect() as connection:  # ...and even the new schema is gone
        assert not sa.inspect(connection).has_schema(f"{server['prefix']}_new")

    # over earlier tables: a table outside the set refers to one of them, so it cannot be
    # replaced; the write fails and the earlier tables keep every row
    monkeypatch.setattr(database, "_append", real_append)
    kept = _url(server, "kept")
    assert _cli("sample", str(model), "--scale", "0.5", "-o", kept, "--quiet").exit_code == 0
    before = {n: len(f) for n, f in read_tables(kept).items()}
    schema = f"{server['prefix']}_kept"
    with server["engine"].begin() as connection:
        connection.exec_driver_sql(
            f"CREATE TABLE {schema}.notes (code TEXT REFERENCES {schema}.airports (code))"
        )
    with pytest.raises(DataError, match=r"^cannot write to .*nothing was written") as caught:
        _cli("sample", str(model), "--scale", "1", "-o", kept, "--quiet")
    assert _password(server) not in str(caught.value) and "refers to" in str(caught.value)
    after = read_tables(kept)
    assert {n: len(f) for n, f in after.items() if n != "notes"} == before


def test_a_wrong_password_is_said_and_never_shown(server: dict[str, Any]) -> None:
    url = _url(server, "src").replace(_password(server), ":Wr0ngSecret@")
    done = _run("inspect", url)
    assert done.returncode == 2 and "password" in done.stderr
    assert "Wr0ngSecret" not in done.stderr + done.stdout
