"""Linked tables in a database: every table of a URL, its declared keys, an all-or-nothing write.

    sqlite:///shop.db                              every table of the file
    postgresql://user:pw@host/db                   every table of the default schema
    postgresql://user:pw@host/db?schema=synthetic  every table of schema `synthetic`

Writing runs in one transaction: it creates the schema when the URL names one that is missing,
drops the tables of the same names (children first), creates every table with its primary and
foreign keys (parents first) and fills it (COPY on PostgreSQL). Any failure rolls all of it back,
so the database is left as it was. Every message masks passwords (`lookalike.masking`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pandas as pd

from lookalike.errors import DataError
from lookalike.io.sql import (
    _STAGING,
    DatabaseSource,
    _append,
    _column_types,
    _convert,
    _engine,
    _errors,
    _quote,
    mask_url,
)
from lookalike.linked.schema import ForeignKey, Schema, Table, contained


def database(url: str) -> DatabaseSource:
    """The connection of a linked-tables URL and the schema its `?schema=` names (or None)."""
    from sqlalchemy.engine import make_url

    display = mask_url(url)
    try:
        parsed = make_url(url)
    except Exception:
        raise DataError(f"cannot read the database URL {display}.") from None
    schema = parsed.query.get("schema")
    if isinstance(schema, tuple):
        raise DataError(f"{display}: give ?schema= once.")
    return DatabaseSource(parsed.difference_update_query(["schema"]), None, schema, None, display)


@contextlib.contextmanager
def _connected(source: DatabaseSource, action: str) -> Iterator[Any]:
    engine = _engine(source)
    try:
        with _errors(source, action), engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _visible(names: list[str]) -> list[str]:
    return sorted(n for n in names if _STAGING not in n and not n.startswith("sqlite_"))


def table_names(url: str) -> list[str]:
    """The tables of the database (or of its `?schema=`), sorted; staging tables left out."""
    import sqlalchemy as sa

    source = database(url)
    with _connected(source, "read from") as connection:
        names = _visible(sa.inspect(connection).get_table_names(schema=source.schema))
    if not names:
        where = f"schema {source.schema!r} of " if source.schema else ""
        raise DataError(f"{where}{source} has no tables.")
    return names


def table_url(url: str, name: str) -> str:
    """The single-table URL (`?table=`) of table `name` of a linked-tables URL."""
    source = database(url)
    table = f"{source.schema}.{name}" if source.schema else name
    return source.url.update_query_dict({"table": table}).render_as_string(hide_password=False)


def read_database_table(url: str, name: str) -> pd.DataFrame:
    """Table `name` of a linked-tables URL; an empty table is an empty frame (a child table
    may have no rows), not an error as for a single-table source.
    """
    from lookalike.io.sql import iter_sql

    pages = list(iter_sql(table_url(url, name)))
    return pd.concat(pages, ignore_index=True) if len(pages) > 1 else pages[0]


def read_schema(url: str) -> Schema:
    """The primary and foreign keys the database declares (tables without one: none)."""
    import sqlalchemy as sa

    source = database(url)
    with _connected(source, "read from") as connection:
        inspector = sa.inspect(connection)
        names = _visible(inspector.get_table_names(schema=source.schema))
        tables, fks = [], []
        for name in names:
            key = inspector.get_pk_constraint(name, schema=source.schema)
            tables.append(Table(name, tuple(key.get("constrained_columns") or ())))
            for fk in inspector.get_foreign_keys(name, schema=source.schema):
                if fk.get("referred_table") in names and fk.get("constrained_columns"):
                    fks.append(
                        ForeignKey(
                            name,
                            tuple(fk["constrained_columns"]),
                            fk["referred_table"],
                            tuple(fk["referred_columns"]),
                        )
                    )
    return Schema(tuple(tables), tuple(fks))


def write_database(tables: dict[str, pd.DataFrame], url: str, schema: Schema) -> None:
    """Create and fill every table in one transaction; on any failure nothing changes."""
    import sqlalchemy as sa

    source = database(url)
    order = [n for n in schema.order() if n in tables]
    metadata = sa.MetaData(schema=source.schema)
    made: dict[str, Any] = {}
    frames: dict[str, pd.DataFrame] = {}
    for name in order:
        types, formats = _column_types(tables[name])  # text dates become DATE / TIMESTAMP
        frames[name] = _convert(tables[name], formats)
        made[name] = _sql_table(name, frames[name], types, tables, schema, metadata, made)
    engine = _engine(source)
    try:
        with _errors(source, "write to"), engine.begin() as connection:
            if source.schema:
                connection.execute(sa.schema.CreateSchema(source.schema, if_not_exists=True))
            existing = set(sa.inspect(connection).get_table_names(schema=source.schema))
            for name in reversed(order):
                if name in existing:
                    connection.exec_driver_sql(
                        f"DROP TABLE {_quote(connection, name, source.schema)}"
                    )
            for name in order:
                made[name].create(connection)
                if len(frames[name]):
                    _append(connection, frames[name], name, source.schema)
    except DataError as error:
        hint = (
            " Another table refers to a table of the same name: drop it first or write to "
            "another database or ?schema=."
            if "depend on it" in str(error)
            else ""
        )
        raise DataError(f"{str(error).rstrip('.')}; nothing was written.{hint}") from None
    finally:
        engine.dispose()


def _sql_table(
    name: str,
    frame: pd.DataFrame,
    types: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    schema: Schema,
    metadata: Any,
    made: dict[str, Any],
) -> Any:
    """The table with its types, primary key and the foreign keys every row satisfies
    (reproduced orphans would break a declared key, so a key with orphans is not declared).
    """
    import sqlalchemy as sa

    columns = [sa.Column(str(c), types.get(str(c)) or _sql_type(frame[c])) for c in frame.columns]
    extra: list[Any] = []
    key = schema.table(name).primary_key
    if key:
        extra.append(sa.PrimaryKeyConstraint(*key))
    for fk in schema.parents_of(name):
        if fk.parent not in made:
            continue
        present = ~tables[name][list(fk.columns)].isna().any(axis=1).to_numpy()
        found = contained(tables[name], fk.columns, tables[fk.parent], fk.parent_columns)
        if (found | ~present).all():
            parent = made[fk.parent]
            extra.append(
                sa.ForeignKeyConstraint(list(fk.columns), [parent.c[c] for c in fk.parent_columns])
            )
    return sa.Table(name, metadata, *columns, *extra)


def _sql_type(series: pd.Series) -> Any:
    import sqlalchemy as sa

    if pd.api.types.is_bool_dtype(series):
        return sa.Boolean()
    if pd.api.types.is_integer_dtype(series):
        return sa.BigInteger()
    if pd.api.types.is_float_dtype(series):
        return sa.Float(precision=53)
    if pd.api.types.is_datetime64_any_dtype(series):
        return sa.DateTime()
    return sa.Text()
