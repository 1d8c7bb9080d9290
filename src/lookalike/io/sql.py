"""Database tables as sources and sinks, through SQLAlchemy URLs.

    sqlite:///patients.db?table=patients                SQLite (built in): a table
    postgresql://user:pw@host:5432/db?table=patients    PostgreSQL (needs lookalike[postgres])
    postgresql://user:pw@host/db?query=SELECT ...       a query, for reading only
    postgresql://...?table=analytics.patients           a table in another schema

Any other query parameter goes to the driver (e.g. `sslmode=require`). Reading streams the rows in
pages (a server-side cursor where the database has one). Writing creates the table with types
from the DataFrame (BIGINT, DOUBLE PRECISION, BOOLEAN, TIMESTAMP, DATE, TEXT) under a staging name,
fills it, then swaps it in with one transaction: readers see the old table or the complete new one,
never a half-filled one. Passwords never appear in messages: every error goes through `mask_url`.
Connecting (URLs, drivers, friendly errors) is `lookalike.io.sql_connect`; its names are
re-exported here.
"""

from __future__ import annotations

import contextlib
import io
import uuid
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from lookalike.errors import DataError
from lookalike.io.sql_connect import (
    STAGING,
    DatabaseSource,
    connect,
    database_errors,
    is_url,
    missing_table,
    parse_source,
)
from lookalike.masking import mask_url
from lookalike.values import DATETIME_FORMATS, is_text

# their old names here (linked.io and linked.database import them)
_engine, _errors, _STAGING = connect, database_errors, STAGING

__all__ = [
    "PAGE_ROWS",
    "DatabaseSource",
    "_engine",
    "is_url",
    "iter_sql",
    "mask_url",
    "parse_source",
    "read_sql",
    "write_sql",
]

PAGE_ROWS = 50_000  # rows fetched per page when reading


# ---------------------------------------------------------------------- reading
def iter_sql(source: str, page_rows: int = PAGE_ROWS) -> Iterator[pd.DataFrame]:
    """Yield the rows of a database table or query in pages of `page_rows`."""
    import sqlalchemy as sa

    parsed = parse_source(source)
    engine = connect(parsed)
    try:
        with database_errors(parsed, "read from"), engine.connect() as connection:
            if parsed.query or not parsed.table:
                statement: Any = sa.text(parsed.query or "")
            else:
                if not sa.inspect(connection).has_table(parsed.table, schema=parsed.schema):
                    raise missing_table(parsed, connection)
                table = sa.Table(
                    parsed.table, sa.MetaData(), schema=parsed.schema, autoload_with=connection
                )
                statement = sa.select(table)
            streaming = connection.execution_options(stream_results=True)
            with warnings.catch_warnings():  # pandas warns about non-nanosecond dates from drivers
                warnings.simplefilter("ignore", UserWarning)
                yield from pd.read_sql(statement, streaming, chunksize=page_rows, coerce_float=True)
    finally:
        engine.dispose()


def read_sql(source: str) -> pd.DataFrame:
    """Read a whole database table or query into a DataFrame."""
    frames = list(iter_sql(source))
    if not frames or sum(len(f) for f in frames) == 0:
        raise DataError(f"{mask_url(source)} has no rows.")
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


# ---------------------------------------------------------------------- writing
def write_sql(chunks: Iterable[pd.DataFrame], source: str) -> int:
    """Write DataFrame chunks to a database table, replacing it only once all rows are in.

    The rows go to a staging table first (created with types from the first chunk); a single
    transaction then drops the old table and renames the staging one. On any failure the staging
    table is dropped and the old table is untouched. Returns the number of rows written.
    """
    parsed = parse_source(source)
    if not parsed.table:
        raise DataError(f"{parsed}: writing needs ?table=NAME, not a query.")
    engine = connect(parsed)
    stage = f"{parsed.table[:40]}{STAGING}{uuid.uuid4().hex[:10]}"
    rows, created = 0, False
    try:
        with database_errors(parsed, "write to"):
            with engine.begin() as connection:
                _drop_stale_staging(connection, parsed)
            types: dict[str, Any] = {}
            formats: dict[str, str] | None = None
            for chunk in chunks:
                if formats is None:
                    types, formats = _column_types(chunk)
                chunk = _convert(chunk, formats)
                with engine.begin() as connection:
                    if not created:
                        chunk.iloc[:0].to_sql(
                            stage, connection, schema=parsed.schema, index=False, dtype=types
                        )
                        created = True
                    _append(connection, chunk, stage, parsed.schema)
                rows += len(chunk)
            if not created:
                raise DataError(f"nothing to write to {parsed}: no rows.")
            with engine.begin() as connection:
                _swap(connection, stage, parsed)
            created = False
    finally:
        if created:  # failed midway: drop the staging table, keep the old table as it was
            with contextlib.suppress(Exception), engine.begin() as connection:
                _drop(connection, stage, parsed.schema)
        engine.dispose()
    return rows


def _quote(connection: Any, name: str, schema: str | None) -> str:
    prep = connection.dialect.identifier_preparer
    return (f"{prep.quote_schema(schema)}." if schema else "") + str(prep.quote(name))


def _drop(connection: Any, name: str, schema: str | None) -> None:
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {_quote(connection, name, schema)}")


def _drop_stale_staging(connection: Any, parsed: DatabaseSource) -> None:
    """Drop staging tables that a killed earlier run of this write left behind."""
    import sqlalchemy as sa

    prefix = f"{parsed.table[:40]}{STAGING}"  # type: ignore[index]
    for name in sa.inspect(connection).get_table_names(schema=parsed.schema):
        if name.startswith(prefix):
            _drop(connection, name, parsed.schema)


def _swap(connection: Any, stage: str, parsed: DatabaseSource) -> None:
    target = _quote(connection, parsed.table, parsed.schema)  # type: ignore[arg-type]
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {target}")
    new_name = connection.dialect.identifier_preparer.quote(parsed.table)
    connection.exec_driver_sql(
        f"ALTER TABLE {_quote(connection, stage, parsed.schema)} RENAME TO {new_name}"
    )


def _column_types(frame: pd.DataFrame) -> tuple[dict[str, Any], dict[str, str]]:
    """SQL types (and formats) of text columns that hold dates; pandas maps the other dtypes."""
    import sqlalchemy as sa

    types: dict[str, Any] = {}
    formats: dict[str, str] = {}
    for name in frame.columns:
        values = frame[name].dropna()
        if not is_text(values) or values.empty:
            continue
        head = values.iloc[:200].astype(str)
        if not head.str.contains(r"^\s*\d", regex=True).all():
            continue
        for fmt in DATETIME_FORMATS:
            parsed = pd.to_datetime(head, format=fmt, errors="coerce")
            if (
                parsed.notna().all()
                and pd.to_datetime(values, format=fmt, errors="coerce").notna().all()
            ):
                is_date = "%H" not in fmt
                types[str(name)] = sa.Date() if is_date else sa.DateTime()
                formats[str(name)] = ("date:" if is_date else "") + fmt
                break
    return types, formats


def _convert(frame: pd.DataFrame, formats: dict[str, str]) -> pd.DataFrame:
    if not formats:
        return frame
    frame = frame.copy()
    for name, fmt in formats.items():
        stamps = pd.to_datetime(frame[name], format=fmt.removeprefix("date:"), errors="coerce")
        if fmt.startswith("date:"):
            frame[name] = pd.Series(stamps.dt.date, dtype=object).where(stamps.notna(), None)
        else:
            frame[name] = stamps
    return frame


def _append(connection: Any, chunk: pd.DataFrame, stage: str, schema: str | None) -> None:
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy_postgres(connection, chunk, stage, schema)
        return
    if connection.dialect.name == "sqlite" and connection.dialect.driver == "pysqlite":
        _insert_sqlite(connection, chunk, stage, schema)
        return
    chunk.to_sql(
        stage, connection, schema=schema, index=False, if_exists="append", chunksize=10_000
    )


def _copy_postgres(connection: Any, chunk: pd.DataFrame, stage: str, schema: str | None) -> None:
    """COPY ... FROM STDIN (CSV): ~10x faster than INSERTs for large chunks."""
    prep = connection.dialect.identifier_preparer
    columns = ", ".join(prep.quote(str(c)) for c in chunk.columns)
    text = io.StringIO()
    chunk.to_csv(text, index=False, header=False, na_rep="\\N", date_format="%Y-%m-%d %H:%M:%S.%f")
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(
        f"COPY {_quote(connection, stage, schema)} ({columns}) FROM STDIN (FORMAT csv, NULL '\\N')"
    ) as copy:
        copy.write(text.getvalue())


def _insert_sqlite(connection: Any, chunk: pd.DataFrame, stage: str, schema: str | None) -> None:
    """Executemany on the driver: ~5x faster than pandas' INSERTs through SQLAlchemy."""
    columns: list[Any] = []
    for name in chunk.columns:
        series = chunk[name]
        if pd.api.types.is_datetime64_any_dtype(series):
            text = series.dt.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite format
            columns.append(text.astype(object).where(series.notna(), None))
        elif series.dtype == object and pd.api.types.infer_dtype(series) not in (
            "string",
            "empty",
        ):
            columns.append(series.map(_sqlite_value))
        else:
            columns.append(series.astype(object).where(series.notna(), None))
    marks = ", ".join("?" * len(chunk.columns))
    statement = f"INSERT INTO {_quote(connection, stage, schema)} VALUES ({marks})"
    rows = zip(*(c.tolist() for c in columns), strict=True)
    connection.connection.driver_connection.executemany(statement, rows)


def _sqlite_value(value: Any) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "isoformat"):  # dates stored as text, as SQLAlchemy does
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
