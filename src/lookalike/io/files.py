"""Reading and writing tables: .csv, .parquet and database URLs; clear errors, atomic writes.

A source is a path ending in .csv/.parquet or a database URL (`sqlite:///x.db?table=t`, see
`lookalike.io.sql`). Files are written to a temp name and renamed, tables through a staging table:
no partial output is ever left, also when the disk fills up.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from lookalike.errors import DataError
from lookalike.io.atomic import atomic_path as atomic_path  # re-exported: its old home
from lookalike.io.encoding import (
    COMPRESSED_SUFFIXES,
    check_parquet_types,
    compression_of,
    decode,
    head_bytes,
    read_bytes,
)
from lookalike.io.sql import is_url
from lookalike.masking import mask_url
from lookalike.values import CHUNK_ROWS as CHUNK_ROWS  # re-exported: its old home

TABLE_SUFFIXES = (".csv", ".parquet", ".pq")
_SNIFF_BYTES = 65_536


def _suffix(path: Path) -> str:
    """.csv, .parquet or .pq; a compressed CSV (.csv.gz, .csv.bz2, .csv.xz, .csv.zip) is .csv."""
    suffix = path.suffix.lower()
    if suffix in COMPRESSED_SUFFIXES and Path(path.stem).suffix.lower() == ".csv":
        return ".csv"
    if suffix not in TABLE_SUFFIXES:
        raise DataError(
            f"{path}: unsupported file type {suffix or '(none)'!r}; use a .csv or .parquet file."
        )
    return suffix


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a .csv (delimiter and encoding sniffed), .parquet or database table into a DataFrame.

    Example:
        >>> frame = read_table("patients.csv")  # or "sqlite:///clinic.db?table=patients"
    """
    if is_url(path):
        from lookalike.io.sql import read_sql

        return read_sql(str(path))
    path = _existing_file(path)
    if _suffix(path) in (".parquet", ".pq"):
        check_parquet_types(path)
        try:
            frame = pd.read_parquet(path)
        except Exception as error:  # pyarrow raises many types for a bad file
            raise DataError(f"{path} is not a readable Parquet file ({error}).") from None
    else:
        frame = _read_csv(path)
    if frame.shape[0] == 0:
        raise DataError(f"{path} has a header but no data rows.")
    return frame


def _sniff_csv(path: Path, head: str) -> str:
    """The delimiter of a CSV from its first lines; raises DataError on duplicate column names."""
    header_line = head.splitlines()[0] if head.splitlines() else ""
    delimiter = ","
    try:
        sniffed = csv.Sniffer().sniff(head, delimiters=",;\t|")
        delimiter = sniffed.delimiter
    except csv.Error:
        counts = {d: header_line.count(d) for d in ",;\t|"}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    names = next(csv.reader([header_line], delimiter=delimiter), [])
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise DataError(
            f"{path}: duplicate column name(s) {', '.join(map(repr, duplicated))}; "
            "rename them so every column name is unique."
        )
    return delimiter


def _read_csv(path: Path) -> pd.DataFrame:
    _, text = decode(read_bytes(path), path)
    delimiter = _sniff_csv(path, text[:_SNIFF_BYTES])
    with csv_errors(path):
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, low_memory=False)
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed: ")]
    if unnamed and len(unnamed) == frame.shape[1]:
        raise DataError(f"{path} has no header row; add one with the column names.")
    return frame


def write_table(frame: Any, path: str | Path, *, allow_formulas: bool = False) -> None:
    """Write a pandas or polars DataFrame to .csv, .parquet or a database table atomically.

    In a CSV, text cells that start like a spreadsheet formula (`=`, `+`, `-`, `@`) get a `'`
    prefix unless `allow_formulas` (see `lookalike.io.formulas`).
    """
    write_chunks([frame], path, allow_formulas=allow_formulas)


class TextChunk(NamedTuple):
    """A chunk already rendered as CSV text (with the header only in the first chunk)."""

    text: str
    rows: int


def write_chunks(chunks: Iterable[Any], path: str | Path, *, allow_formulas: bool = False) -> int:
    """Stream chunks to one .csv, .parquet or database table atomically; returns rows written.

    Chunks are DataFrames; for files they may also be pre-rendered (`TextChunk` for a CSV, pyarrow
    Tables for Parquet), which is how worker processes hand over their work. CSV text cells that
    start like a formula are neutralised unless `allow_formulas` (pre-rendered text is written as
    it is: render it with `csv_text`).
    """
    chunks = (_as_pandas(chunk) for chunk in chunks)
    if is_url(path):
        from lookalike.io.sql import write_sql

        return write_sql(chunks, str(path))
    path = Path(path)
    suffix = _suffix(path)
    if path.suffix.lower() in COMPRESSED_SUFFIXES:
        raise DataError(f"{path}: write a plain .csv or .parquet (compress it afterwards).")
    with atomic_path(path) as tmp:  # an OSError becomes a DataError naming `path`
        if suffix == ".csv":
            if not allow_formulas:
                chunks = (_neutralised(chunk) for chunk in chunks)
            return _write_csv(chunks, tmp)
        return _write_parquet(chunks, tmp)


def _as_pandas(chunk: Any) -> Any:
    """Polars (and other `to_pandas` frames) as pandas; rendered chunks and pandas unchanged."""
    if isinstance(chunk, pd.DataFrame | TextChunk) or type(chunk).__module__.startswith("pyarrow"):
        return chunk
    if hasattr(chunk, "to_pandas"):
        return chunk.to_pandas()
    raise DataError(f"cannot write a {type(chunk).__name__}; give a pandas or polars DataFrame.")


def csv_text(frame: pd.DataFrame, header: bool, *, allow_formulas: bool = False) -> str:
    """`frame` as CSV text, formula-like text cells neutralised unless `allow_formulas`."""
    from lookalike.io.formulas import neutralise_formulas

    frame = frame if allow_formulas else neutralise_formulas(frame)
    return frame_csv(frame, header)


def frame_csv(frame: pd.DataFrame, header: bool = True) -> str:
    r"""`frame` as CSV text with "\n" line ends, every cell that holds a line break quoted.

    Python's csv writer (before 3.12) quotes only the characters of its line terminator, so a
    cell "a\rb" would go out bare and come back as two rows. When the text holds a "\r", the
    frame is written again with "\r\n" line ends (which quotes such cells) and the row ends
    outside quotes are made "\n" again.

    Example:
        >>> frame_csv(pd.DataFrame({"a": ["x\ry"]}))
        'a\n"x\ry"\n'
    """
    text = str(frame.to_csv(index=False, header=header))
    if "\r" not in text:
        return text
    parts = str(frame.to_csv(index=False, header=header, lineterminator="\r\n")).split('"')
    parts[::2] = [part.replace("\r\n", "\n") for part in parts[::2]]  # outside quotes
    return '"'.join(parts)


def _neutralised(chunk: Any) -> Any:
    from lookalike.io.formulas import neutralise_formulas

    return neutralise_formulas(chunk) if isinstance(chunk, pd.DataFrame) else chunk


def _write_csv(chunks: Iterable[Any], tmp: Path) -> int:
    rows = 0
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        for index, chunk in enumerate(chunks):
            if isinstance(chunk, TextChunk):
                handle.write(chunk.text)
                rows += chunk.rows
                continue
            handle.write(frame_csv(chunk, header=index == 0))
            rows += len(chunk)
    return rows


def _write_parquet(chunks: Iterable[Any], tmp: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = 0
    writer = None
    try:
        for chunk in chunks:
            table = (
                chunk
                if isinstance(chunk, pa.Table)
                else pa.Table.from_pandas(chunk, preserve_index=False)
            )
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table.cast(writer.schema))
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows


# ---------------------------------------------------------------------- streaming reads
def iter_chunks(source: str | Path, chunk_rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """Yield a table in chunks of about `chunk_rows` rows without loading all of it.

    Parquet is read by record batch, a database through a server-side cursor, and a CSV with
    every value as text (None for empty cells): parse the types of the rows you keep with
    `reparse_csv`, so they come out as `read_table` would give them.
    """
    if is_url(source):
        from lookalike.io.sql import iter_sql

        yield from iter_sql(str(source), chunk_rows)
        return
    path = _existing_file(source)
    if _suffix(path) in (".parquet", ".pq"):
        check_parquet_types(path)
        yield from _iter_parquet(path, chunk_rows)
    else:
        yield from _iter_csv(path, chunk_rows)


def _existing_file(source: str | Path) -> Path:
    """The path of a non-empty table file, or a DataError that says what is wrong."""
    path = Path(source)
    if path.is_dir():
        raise DataError(
            f"{path} is a folder, not a table file; give a .csv or .parquet file (a folder of "
            "linked tables is read only by the commands whose help says DIR)."
        )
    _suffix(path)  # an unsupported type is named before a missing file
    if not path.is_file():
        raise DataError(f"{path} does not exist.")
    if not os.access(path, os.R_OK):
        raise DataError(f"cannot read {path}: permission denied; check its permissions.")
    if path.stat().st_size == 0:
        raise DataError(f"{path} is empty; give a table with a header row and data rows.")
    return path


def _iter_parquet(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
        batches = handle.iter_batches(batch_size=chunk_rows)
        for batch in batches:
            yield pa.Table.from_batches([batch]).to_pandas()
    except (pa.ArrowException, OSError) as error:
        raise DataError(f"{path} is not a readable Parquet file ({error}).") from None


@contextlib.contextmanager
def csv_errors(path: Path) -> Iterator[None]:
    """Map pandas' CSV parse errors to one DataError line saying what to check."""
    try:
        yield
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} has no columns; is it a CSV file?") from None
    except pd.errors.ParserError as error:
        raise DataError(
            f"{path} is not a well-formed CSV ({str(error).strip()}); check the delimiter "
            "and quoting."
        ) from None


def csv_format(path: Path) -> tuple[str, str]:
    """(encoding, delimiter) of a CSV file, sniffed from its first 64 KiB."""
    raw = head_bytes(path, _SNIFF_BYTES)
    encoding, head = decode(raw, path, final=len(raw) < _SNIFF_BYTES)
    if len(raw) == _SNIFF_BYTES:  # whole lines only
        head = head[: head.rfind("\n") + 1] or head
    return encoding, _sniff_csv(path, head)


def _iter_csv(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    encoding, delimiter = csv_format(path)
    try:
        with csv_errors(path):  # the reader raises on its first lines, chunks on later ones
            reader = pd.read_csv(
                path,
                sep=delimiter,
                encoding=encoding,
                dtype=str,
                chunksize=chunk_rows,
                compression=compression_of(path),
            )
            with reader:
                yield from reader
    except UnicodeDecodeError as error:
        raise DataError(
            f"{path} is not valid {encoding} text after byte {error.start} (its first "
            "64 KiB were); re-save the file as UTF-8."
        ) from None


def reparse_csv(frame: pd.DataFrame) -> pd.DataFrame:
    """Give text chunks from `iter_chunks` on a CSV the column types `read_table` would give."""
    return pd.read_csv(io.StringIO(frame_csv(frame)), low_memory=False)


def source_name(source: str | Path) -> str:
    """How to show a source in messages: database passwords masked."""
    return mask_url(str(source))
