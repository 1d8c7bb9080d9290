from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from lookalike import get_model
from lookalike.cli import app
from lookalike.errors import DataError
from lookalike.io.files import iter_chunks, read_table, write_chunks, write_table
from lookalike.io.sql import mask_url, parse_source
from tests.postgres import postgres_base


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "n": [1, 2, 3, 4],
            "x": [1.5, None, 2.25, -3.0],
            "city": ["Paris", None, "Lyon", "Nice"],
            "member": [True, False, True, False],
            "visits": pd.array([1, None, 3, 4], dtype="Int64"),
            "joined": ["2020-01-31", "2021-05-01", None, "2022-12-24"],
            "seen": pd.to_datetime(
                ["2020-01-01 10:00", None, "2021-03-04 05:06", "2022-01-01 00:00"]
            ),
        }
    )


def _engine(url: str) -> sa.Engine:
    parsed = parse_source(url)
    driver = "sqlite" if parsed.url.drivername == "sqlite" else "postgresql+psycopg"
    return sa.create_engine(parsed.url.set(drivername=driver))


def _tables(url: str) -> list[str]:
    engine = _engine(url)
    with engine.connect() as connection:
        names = sa.inspect(connection).get_table_names()
    engine.dispose()
    return names


def _column_types(url: str) -> dict[str, str]:
    engine = _engine(url)
    with engine.connect() as connection:
        columns = sa.inspect(connection).get_columns(parse_source(url).table)
    engine.dispose()
    return {c["name"]: type(c["type"]).__name__.upper() for c in columns}


def _failing_chunks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    yield frame
    raise RuntimeError("the sampler broke mid-write")


# ---------------------------------------------------------------------- URLs and passwords
def test_passwords_are_masked_in_urls() -> None:
    url = "postgresql://ann:s3cr%40t@db.example:5432/warehouse?table=visits"
    assert mask_url(url) == "postgresql://ann:***@db.example:5432/warehouse?table=visits"
    assert "s3cr" not in mask_url(f"error at {url} and again")
    assert mask_url("sqlite:///x.db?table=t") == "sqlite:///x.db?table=t"


def test_a_url_without_table_or_query_says_what_to_add(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"add \?table=NAME"):
        read_table(f"sqlite:///{tmp_path}/x.db")


# ---------------------------------------------------------------------- SQLite
@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/clinic.db?table=patients"


def test_sqlite_round_trip_creates_the_table_with_proper_types(sqlite_url: str) -> None:
    write_table(_frame(), sqlite_url)
    types = _column_types(sqlite_url)
    assert types == {
        "n": "BIGINT",
        "x": "FLOAT",
        "city": "TEXT",
        "member": "BOOLEAN",
        "visits": "BIGINT",
        "joined": "DATE",
        "seen": "DATETIME",
    }
    back = read_table(sqlite_url)
    assert back["n"].tolist() == [1, 2, 3, 4]
    assert back["city"].tolist()[0] == "Paris"
    assert back["member"].tolist() == [True, False, True, False]
    assert back["seen"].iloc[0] == pd.Timestamp("2020-01-01 10:00")
    assert str(back["joined"].iloc[0]) == "2020-01-31"


def test_a_query_can_be_read_and_pages_hold_every_row(sqlite_url: str) -> None:
    write_table(_frame(), sqlite_url)
    query = sqlite_url.replace("table=patients", "query=SELECT n, city FROM patients WHERE n > 1")
    assert read_table(query)["n"].tolist() == [2, 3, 4]
    pages = list(iter_chunks(sqlite_url, chunk_rows=3))
    assert [len(p) for p in pages] == [3, 1]


def test_a_missing_table_lists_the_tables_there(sqlite_url: str) -> None:
    write_table(_frame(), sqlite_url)
    with pytest.raises(DataError, match=r"table 'visits' does not exist .* tables there: patients"):
        read_table(sqlite_url.replace("patients", "visits"))


def test_a_failed_write_keeps_the_old_table_whole_and_a_rerun_completes(sqlite_url: str) -> None:
    write_table(_frame().iloc[:2], sqlite_url)
    with pytest.raises(RuntimeError, match="mid-write"):
        write_chunks(_failing_chunks(_frame()), sqlite_url)
    assert len(read_table(sqlite_url)) == 2  # the old table, untouched
    assert _tables(sqlite_url) == ["patients"]  # no staging table left behind
    assert write_chunks([_frame(), _frame()], sqlite_url) == 8
    assert len(read_table(sqlite_url)) == 8


def test_a_missing_sqlite_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        write_table(_frame(), f"sqlite:///{tmp_path}/no/such/dir/x.db?table=t")


def test_cli_fits_from_a_database_and_samples_into_one(
    sqlite_url: str, tmp_path: Path, mixed_table: pd.DataFrame
) -> None:
    write_table(mixed_table, sqlite_url)
    runner = CliRunner()
    model = tmp_path / "m.lookalike"
    done = runner.invoke(app, ["fit", sqlite_url, "-o", str(model), "--seed", "0", "-q"])
    assert done.exit_code == 0, done.output
    out = sqlite_url.replace("patients", "synthetic")
    done = runner.invoke(app, ["sample", str(model), "-n", "500", "-o", out, "--seed", "1"])
    assert done.exit_code == 0, done.output
    synthetic = read_table(out)
    assert len(synthetic) == 500
    assert set(synthetic["city"]) <= {"Paris", "Lyon", "Nice", "Lille"}


# ---------------------------------------------------------------------- PostgreSQL, for real
@pytest.fixture
def postgres_url() -> Iterator[str]:
    base = postgres_base()
    table = f"lk_test_{uuid.uuid4().hex[:8]}"
    url = f"{base}?table={table}"
    yield url
    engine = _engine(url)
    with engine.begin() as connection:
        for name in sa.inspect(connection).get_table_names():
            if name.startswith(table):
                connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
    engine.dispose()


@pytest.mark.postgres
def test_postgres_round_trip_with_proper_types(postgres_url: str) -> None:
    write_table(_frame(), postgres_url)
    assert _column_types(postgres_url) == {
        "n": "BIGINT",
        "x": "DOUBLE_PRECISION",
        "city": "TEXT",
        "member": "BOOLEAN",
        "visits": "BIGINT",
        "joined": "DATE",
        "seen": "TIMESTAMP",
    }
    back = read_table(postgres_url)
    assert back["n"].tolist() == [1, 2, 3, 4]
    assert back["x"].isna().tolist() == [False, True, False, False]
    assert [None if pd.isna(v) else v for v in back["city"]] == ["Paris", None, "Lyon", "Nice"]
    assert back["seen"].iloc[2] == pd.Timestamp("2021-03-04 05:06")
    assert [len(p) for p in iter_chunks(postgres_url, chunk_rows=3)] == [3, 1]


@pytest.mark.postgres
def test_postgres_failed_write_leaves_no_half_filled_table(postgres_url: str) -> None:
    write_table(_frame().iloc[:1], postgres_url)
    with pytest.raises(RuntimeError, match="mid-write"):
        write_chunks(_failing_chunks(_frame()), postgres_url)
    table = parse_source(postgres_url).table
    assert len(read_table(postgres_url)) == 1
    assert [t for t in _tables(postgres_url) if t.startswith(table)] == [table]
    assert write_chunks([_frame()] * 3, postgres_url) == 12  # a re-run completes


@pytest.mark.postgres
def test_postgres_wrong_password_is_clear_and_never_shown(postgres_url: str) -> None:
    parsed = parse_source(postgres_url)
    bad = postgres_url.replace(f":{parsed.url.password}@", ":Wr0ngSecret@")
    with pytest.raises(DataError) as caught:
        read_table(bad)
    message = str(caught.value)
    assert "user name or password" in message
    assert "Wr0ngSecret" not in message
    with pytest.raises(DataError) as caught:
        write_table(_frame(), bad)
    assert "Wr0ngSecret" not in str(caught.value)


@pytest.mark.postgres
def test_postgres_missing_table_and_query(postgres_url: str) -> None:
    with pytest.raises(DataError, match="does not exist"):
        read_table(postgres_url)
    write_table(_frame(), postgres_url)
    table = parse_source(postgres_url).table
    query = postgres_url.split("?")[0] + f"?query=SELECT n FROM {table} WHERE member"
    assert read_table(query)["n"].tolist() == [1, 3]


@pytest.mark.postgres
def test_cli_round_trip_through_postgres(
    postgres_url: str, tmp_path: Path, mixed_table: pd.DataFrame
) -> None:
    write_table(mixed_table, postgres_url)
    runner = CliRunner()
    model = tmp_path / "m.lookalike"
    done = runner.invoke(app, ["fit", postgres_url, "-o", str(model), "-q"])
    assert done.exit_code == 0, done.output
    table = parse_source(postgres_url).table
    assert table.encode() not in model.read_bytes()  # nothing of the source is stored
    out = postgres_url.replace("?table=", "?table=out_")
    done = runner.invoke(app, ["sample", str(model), "-n", "300", "-o", out, "--seed", "2"])
    assert done.exit_code == 0, done.output
    assert len(read_table(out)) == 300
    assert f":{parse_source(postgres_url).url.password}@" not in done.output


def test_unreachable_server_is_named_without_the_password() -> None:
    pytest.importorskip("psycopg")
    url = "postgresql://ann:TopSecret@127.0.0.1:1/db?table=t"
    with pytest.raises(DataError, match="cannot reach the database server") as caught:
        read_table(url)
    assert "TopSecret" not in str(caught.value)


def test_model_files_never_hold_the_source_url(
    tmp_path: Path, sqlite_url: str, mixed_table: pd.DataFrame
) -> None:
    from lookalike.scale.large_fit import fit_table

    write_table(mixed_table, sqlite_url)
    model = get_model("copula", random_state=0)
    fit_table(model, sqlite_url)
    model.save(tmp_path / "m.lookalike")
    assert b"clinic.db" not in (tmp_path / "m.lookalike").read_bytes()
