"""Database URLs and connections: parse `...?table=` / `?query=`, connect, and turn driver
errors into one DataError that says what to do (passwords masked everywhere).

    sqlite:///patients.db?table=patients                SQLite (built in): a table
    postgresql://user:pw@host:5432/db?table=patients    PostgreSQL (needs lookalike[postgres])
    postgresql://...?table=analytics.patients           a table in another schema

Reading and writing tables is `lookalike.io.sql`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lookalike.errors import DataError, MissingDependencyError
from lookalike.masking import mask_url

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+._-]*://")
STAGING = "__lk_"  # staging tables are named TABLE__lk_<hex>


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
def connect(source: DatabaseSource) -> Any:
    """A SQLAlchemy engine for the source (psycopg 3 for PostgreSQL, real SQLite transactions)."""
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
def database_errors(source: DatabaseSource, action: str) -> Iterator[None]:
    """Turn driver and SQLAlchemy errors inside the block into one friendly DataError."""
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


def table_names(connection: Any, schema: str | None) -> list[str]:
    """The tables of a schema, without our staging tables."""
    import sqlalchemy as sa

    inspector = sa.inspect(connection)
    return [n for n in inspector.get_table_names(schema=schema) if STAGING not in n]


def missing_table(source: DatabaseSource, connection: Any) -> DataError:
    """The error for a table that does not exist, listing the tables there."""
    tables = table_names(connection, source.schema)
    shown = ", ".join(tables[:20]) if tables else "(none)"
    where = f"schema {source.schema!r} of " if source.schema else ""
    return DataError(
        f"table {source.table!r} does not exist in {where}{source}; tables there: {shown}."
    )
