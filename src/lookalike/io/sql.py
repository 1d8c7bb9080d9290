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
"""

from __future__ import annotations

import contextlib
import io
import re
import uuid
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lookalike.errors import DataError, MissingDependencyError
from lookalike.masking import mask_url as mask_url  # re-exported: lookalike.sources.mask_url
from lookalike.values import DATETIME_FORMATS, is_text

PAGE_ROWS = 50_000  # rows fetched per page when reading
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+._-]*://")
_STAGING = "__lk_"  # staging tables are named TABLE__lk_<hex>


def is_url(source: Any) -> bool:
    """True for a database URL such as `sqlite:///x.db?table=t` (not for a file path)."""
    return isinstance(source, str) and bool(_URL.match(source))


@dataclass(frozen=True)
class DatabaseSource:
    """A parsed database URL: where to connect, and which table or query."""

    url: Any  # sqlalchemy.engine.URL without our own parameters
    table: str | None
    schema: str | None
    query: str | None
    display: str  # the URL as the user wrote it, password masked

    def __str__(self) -> str:
        return self.display


def parse_source(source: str) -> DatabaseSource:
    """Split a database URL into the connection URL and its `table` or `query` parameter."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    display = mask_url(source)
    try:
        url = make_url(source)
    except (ArgumentError, ValueError) as error:
        raise DataError(
            f"cannot read the database URL {display} ({_scrub(error, source)})."
        ) from None
    table = url.query.get("table")
    query = url.query.get("query")
    if isinstance(table, tuple) or isinstance(query, tuple):
        raise DataError(f"{display}: give ?table= or ?query= once.")
    if bool(table) == bool(query):
        raise DataError(
            f"{display}: add ?table=NAME (or, for reading, ?query=SELECT ...) to the database URL."
        )
    schema = None
    if table and "." in table:
        schema, table = table.split(".", 1)
    url = url.difference_update_query(["table", "query"])
    return DatabaseSource(url, table, schema, query, display)


# ---------------------------------------------------------------------- connecting
def _engine(source: DatabaseSource) -> Any:
    import sqlalchemy as sa

    url = source.url
    backend = url.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "postgresql":
        if url.drivername == "postgresql":  # SQLAlchemy would pick psycopg2; we ship psycopg 3
            url = url.set(drivername="postgresql+psycopg")
        if "connect_timeout" not in url.query:
            connect_args["connect_timeout"] = 10
    if backend == "sqlite" and url.database not in (None, "", ":memory:"):
        from pathlib import Path

        folder = Path(url.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise DataError(f"{source}: folder {folder} does not exist.")
    try:
        engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
    except ImportError:
        raise MissingDependencyError(
            f"{source} needs a database driver; for PostgreSQL install it with "
            "`pip install 'lookalike[postgres]'`."
        ) from None
    except Exception as error:
        raise _friendly(error, source, "connect to") from None
    if backend == "sqlite":
        _real_sqlite_transactions(engine)
    return engine


def _real_sqlite_transactions(engine: Any) -> None:
    """Let SQLite run DDL inside transactions, so the staging swap is atomic there too."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def _scrub(error: BaseException, source: str | DatabaseSource) -> str:
    """The first line of a driver error, with any password in it masked."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(error).__name__
    url = source.url if isinstance(source, DatabaseSource) else None
    password = url.password if url is not None else None
    if password:
        from urllib.parse import quote

        for spelling in {str(password), quote(str(password), safe="")}:
            text = text.replace(spelling, "***")
    return mask_url(text)


def _friendly(error: BaseException, source: DatabaseSource, action: str) -> DataError:
    """A DataError that says what went wrong with the database and what to do."""
    detail = _scrub(error, source)
    low = detail.lower()
    if "password authentication failed" in low or "authentication failed" in low:
        message = (
            f"cannot {action} {source}: the database refused the user name or password "
            f"({detail}); check the credentials in the URL."
        )
    elif any(
        s in low
        for s in (
            "connection refused",
            "could not connect",
            "timeout expired",
            "could not translate host",
            "name or service not known",
            "no route to host",
            "network is unreachable",
            "connection timed out",
            "server closed the connection",
        )
    ):
        message = (
            f"cannot reach the database server for {source} ({detail}); check the host and "
            "port and that the server is running."
        )
    elif "unable to open database file" in low:
        message = f"cannot open the SQLite file of {source} ({detail}); check the path."
    elif "does not exist" in low and "database" in low:
        message = f"cannot {action} {source}: {detail}; check the database name in the URL."
    elif "disk is full" in low or "no space left" in low or "disk full" in low:
        message = (
            f"the database ran out of disk space while writing {source} ({detail}); nothing "
            "was written. Free some space and run again."
        )
    else:
        message = f"cannot {action} {source} ({detail})."
    return DataError(message)


@contextlib.contextmanager
def _errors(source: DatabaseSource, action: str) -> Iterator[None]:
    from sqlalchemy.exc import SQLAlchemyError

    caught: tuple[type[BaseException], ...] = (SQLAlchemyError, OSError, *_driver_errors())
    try:
        yield
    except caught as error:
        # raw driver errors too: the fast paths (executemany, COPY) bypass SQLAlchemy's wrapping,
        # e.g. sqlite3.OperationalError "database or disk is full"
        raise _friendly(error, source, action) from None


def _driver_errors() -> tuple[type[BaseException], ...]:
    """The DB-API base errors of the drivers loaded (sqlite3, psycopg)."""
    import sqlite3
    import sys

    found: list[type[BaseException]] = [sqlite3.Error]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None and isinstance(getattr(psycopg, "Error", None), type):
        found.append(psycopg.Error)
    return tuple(found)


def _table_names(connection: Any, schema: str | None) -> list[str]:
    import sqlalchemy as sa

    inspector = sa.inspect(connection)
    return [n for n in inspector.get_table_names(schema=schema) if _STAGING not in n]


def _missing_table(source: DatabaseSource, connection: Any) -> DataError:
    tables = _table_names(connection, source.schema)
    shown = ", ".join(tables[:20]) if tables else "(none)"
    where = f"schema {source.schema!r} of " if source.schema else ""
    return DataError(
        f"table {source.table!r} does not exist in {where}{source}; tables there: {shown}."
    )


# ---------------------------------------------------------------------- reading
def iter_sql(source: str, page_rows: int = PAGE_ROWS) -> Iterator[pd.DataFrame]:
    """Yield the rows of a database table or query in pages of `page_rows`."""
    import sqlalchemy as sa

    parsed = parse_source(source)
    engine = _engine(parsed)
    try:
        with _errors(parsed, "read from"), engine.connect() as connection:
            if parsed.query or not parsed.table:
                statement: Any = sa.text(parsed.query or "")
            else:
                if not sa.inspect(connection).has_table(parsed.table, schema=parsed.schema):
                    raise _missing_table(parsed, connection)
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
    engine = _engine(parsed)
    stage = f"{parsed.table[:40]}{_STAGING}{uuid.uuid4().hex[:10]}"
    rows, created = 0, False
    try:
        with _errors(parsed, "write to"):
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

    prefix = f"{parsed.table[:40]}{_STAGING}"  # type: ignore[index]
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
