"""Linked tables in and out: a folder of CSV/Parquet files, or a whole database.

A folder holds one table per .csv/.parquet file (the file name without its suffix is the table's
name; other files such as spec.json or a README are ignored). A database URL without `?table=`
(`sqlite:///shop.db`, `postgresql://user:pw@host/db`, `...?schema=NAME`) means every table in it
(`lookalike.linked.database`). Writing a folder goes through a temp folder renamed into place;
writing a database creates the tables with their keys in dependency order and fills them in one
transaction: a failure leaves nothing behind.
"""

from __future__ import annotations

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
from lookalike.io.sql import is_url
from lookalike.linked.database import (
    read_database_table,
    read_schema,
    table_names,
    write_database,
)
from lookalike.linked.schema import Schema

__all__ = ["detect_schema", "is_linked_source", "read_schema", "read_tables", "write_tables"]


def is_linked_source(source: Any) -> bool:
    """True for a folder or for a database URL that names no table or query."""
    if is_url(source):
        return "table=" not in str(source) and "query=" not in str(source)
    return isinstance(source, str | Path) and Path(source).is_dir()


def read_tables(source: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a folder or database, by name (sorted)."""
    if is_url(source):
        url = str(source)
        return {name: read_database_table(url, name) for name in table_names(url)}
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
        write_database(frames, str(target), schema)
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


def write_zip(
    tables: dict[str, pd.DataFrame], path: str | Path, extras: dict[str, str] | None = None
) -> None:
    """One zip file (written atomically) holding `tables/NAME.csv` per table and each of
    `extras` (file name -> text, e.g. the report and the schema JSON) at its top.
    """
    import zipfile

    from lookalike.io.files import atomic_path, csv_text

    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            archive.writestr(f"tables/{name}.csv", csv_text(frame, header=True))
        for name, text in (extras or {}).items():
            archive.writestr(name, text)
