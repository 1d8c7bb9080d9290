"""Linked tables in and out: a folder of CSV/Parquet files, or a whole database.

A folder holds one table per .csv/.parquet file (the file name without its suffix is the table's
name; other files such as spec.json or a README are ignored). A database URL without `?table=`
(`sqlite:///shop.db`, `postgresql://user:pw@host/db`) means every table in it. Writing a folder
goes through a temp folder renamed into place; writing a database creates the tables with their
keys in dependency order and fills them in one transaction: a failure leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from lookalike.errors import DataError
from lookalike.io.files import TABLE_SUFFIXES, read_table, write_chunks
from lookalike.io.sql import is_url, mask_url
from lookalike.linked.schema import ForeignKey, Schema, Table


def is_linked_source(source: Any) -> bool:
    """True for a folder or for a database URL that names no table or query."""
    if is_url(source):
        return "table=" not in str(source) and "query=" not in str(source)
    return isinstance(source, str | Path) and Path(source).is_dir()


def read_tables(source: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a folder or database, by name (sorted)."""
    if is_url(source):
        return {name: read_table(_table_url(str(source), name)) for name in _db_tables(str(source))}
    folder = Path(source)
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder of tables.")
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES and not p.name.startswith(".")
    )
    if not files:
        raise DataError(f"{folder} holds no .csv or .parquet table.")
    tables: dict[str, pd.DataFrame] = {}
    for path in files:
        if path.stem in tables:
            raise DataError(f"{folder} has two files for table {path.stem!r}; keep one.")
        tables[path.stem] = read_table(path)
    return tables


def read_schema(source: str) -> Schema:
    """The primary and foreign keys a database declares (tables without one: none)."""
    import sqlalchemy as sa

    engine = _engine(source)
    try:
        inspector = sa.inspect(engine)
        tables, fks = [], []
        for name in _visible(inspector.get_table_names()):
            key = tuple(inspector.get_pk_constraint(name).get("constrained_columns") or ())
            tables.append(Table(name, key))
            for fk in inspector.get_foreign_keys(name):
                if fk.get("referred_table") and fk.get("constrained_columns"):
                    fks.append(
                        ForeignKey(
                            name,
                            tuple(fk["constrained_columns"]),
                            fk["referred_table"],
                            tuple(fk["referred_columns"]),
                        )
                    )
        return Schema(tuple(tables), tuple(fks))
    finally:
        engine.dispose()


def detect_schema(source: str | Path, tables: dict[str, pd.DataFrame]) -> Schema:
    """Keys detected from names and values; a database's declared keys take precedence."""
    detected = Schema.detect(tables)
    if is_url(source):
        return detected.with_keys(read_schema(str(source)))
    return detected


# ---------------------------------------------------------------------- writing
def write_tables(
    tables: dict[str, pd.DataFrame] | Iterable[tuple[str, pd.DataFrame]],
    target: str | Path,
    schema: Schema,
    suffix: str = ".csv",
) -> dict[str, int]:
    """Write every table to a folder (one file each) or a database, all or nothing; returns
    the rows per table. `tables` may also be (name, chunk) pairs with each table's chunks in
    a run (as `LinkedModel`'s sampler yields them): a folder is then written chunk by chunk.
    """
    pairs = tables.items() if isinstance(tables, dict) else tables
    if is_url(target):
        whole: dict[str, list[pd.DataFrame]] = {}
        for name, chunk in pairs:
            whole.setdefault(name, []).append(chunk)
        frames = {n: pd.concat(c, ignore_index=True) for n, c in whole.items()}
        _write_database(frames, str(target), schema)
        return {n: len(f) for n, f in frames.items()}
    folder = Path(target)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder} is a file; give a folder for linked tables.")
    folder.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(stage, 0o777 & ~mask)  # as mkdir would (mkdtemp makes it private)
    rows: dict[str, int] = {}
    try:
        for name, run in itertools.groupby(pairs, key=lambda pair: pair[0]):
            chunks = (chunk for _, chunk in run)
            rows[name] = write_chunks(chunks, stage / f"{name}{suffix}")
        if not folder.exists():
            os.replace(stage, folder)
            return rows
        for path in stage.iterdir():  # an existing folder: its other files stay
            os.replace(path, folder / path.name)
        return rows
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _write_database(tables: dict[str, pd.DataFrame], url: str, schema: Schema) -> None:
    import sqlalchemy as sa
    from sqlalchemy.exc import SQLAlchemyError

    engine = _engine(url)
    metadata = sa.MetaData()
    order = [n for n in schema.order() if n in tables]
    made = {}
    for name in order:
        made[name] = _sql_table(name, tables, schema, metadata)
    try:
        with engine.begin() as connection:
            for name in reversed(order):
                connection.exec_driver_sql(
                    f"DROP TABLE IF EXISTS {connection.dialect.identifier_preparer.quote(name)}"
                )
            for name in order:
                made[name].create(connection)
                frame = tables[name]
                records = _records(frame)
                for start in range(0, len(records), 10_000):
                    connection.execute(made[name].insert(), records[start : start + 10_000])
    except SQLAlchemyError as error:
        raise DataError(
            f"cannot write to {mask_url(url)} ({_first_line(error)}); nothing was written."
        ) from None
    finally:
        engine.dispose()


def _sql_table(name: str, tables: dict[str, pd.DataFrame], schema: Schema, metadata: Any) -> Any:
    import sqlalchemy as sa

    frame = tables[name]
    columns = [sa.Column(str(c), _sql_type(frame[c])) for c in frame.columns]
    extra: list[Any] = []
    key = schema.table(name).primary_key
    if key:
        extra.append(sa.PrimaryKeyConstraint(*key))
    for fk in schema.parents_of(name):
        if fk.parent not in tables:
            continue
        from lookalike.linked.schema import contained

        child = tables[name]
        present = ~child[list(fk.columns)].isna().any(axis=1).to_numpy()
        found = contained(child, fk.columns, tables[fk.parent], fk.parent_columns)
        if (found | ~present).all():  # reproduced orphans would break the constraint
            extra.append(
                sa.ForeignKeyConstraint(
                    list(fk.columns), [f"{fk.parent}.{c}" for c in fk.parent_columns]
                )
            )
    return sa.Table(name, metadata, *columns, *extra)


def _sql_type(series: pd.Series) -> Any:
    import sqlalchemy as sa

    if pd.api.types.is_bool_dtype(series):
        return sa.Boolean()
    if pd.api.types.is_integer_dtype(series):
        return sa.BigInteger()
    if pd.api.types.is_float_dtype(series):
        return sa.Float()
    if pd.api.types.is_datetime64_any_dtype(series):
        return sa.DateTime()
    return sa.Text()


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    rows = clean.to_dict("records")
    for row in rows:
        for key, value in row.items():
            if hasattr(value, "item"):
                row[key] = value.item()
            elif hasattr(value, "to_pydatetime"):
                row[key] = value.to_pydatetime()
    return rows


# ---------------------------------------------------------------------- database helpers
def _engine(url: str) -> Any:
    from sqlalchemy.engine import make_url

    from lookalike.io.sql import DatabaseSource, _engine

    try:
        parsed = make_url(url)
    except Exception:
        raise DataError(f"cannot read the database URL {mask_url(url)}.") from None
    return _engine(DatabaseSource(parsed, None, None, None, mask_url(url)))


def _visible(names: list[str]) -> list[str]:
    return [n for n in names if "__lk_" not in n and not n.startswith("sqlite_")]


def _db_tables(url: str) -> list[str]:
    import sqlalchemy as sa

    engine = _engine(url)
    try:
        with contextlib.closing(engine.connect()) as connection:
            names = sorted(_visible(sa.inspect(connection).get_table_names()))
    except sa.exc.SQLAlchemyError as error:
        raise DataError(f"cannot read {mask_url(url)} ({_first_line(error)}).") from None
    finally:
        engine.dispose()
    if not names:
        raise DataError(f"{mask_url(url)} has no tables.")
    return names


def _table_url(url: str, name: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}table={name}"


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return mask_url(text[0]) if text else type(error).__name__
