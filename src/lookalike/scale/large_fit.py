"""Fitting on tables larger than memory: one streaming pass, then a uniform random sample.

`scan_table` reads a table once, chunk by chunk (Parquet record batches, CSV chunks, database
pages), and keeps:
    a uniform random sample of `sample_rows` rows (each row gets a random key; the rows with the
        smallest keys are kept, so every subset of that size is equally likely), in table order;
    the table's statistics: row count, missing values, numeric min/max and, for columns with at
        most `MAX_TRACKED` distinct values, every category with one real row that holds it.
`fit_table` fits a model on that sample, with metadata corrected by the statistics of the whole
table: missing shares and ranges of all rows, and categories too rare to land in the sample added
back with one row each, so no category of the table is lost.

Memory holds the sample plus one chunk, whatever the size of the table. The default sample size,
`DEFAULT_SAMPLE_ROWS`, is plenty for the copula and the classical models; pass `sample_rows` (CLI
`fit --sample-rows N`) to change it. A table with at most that many rows is used whole.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.io.files import iter_chunks, reparse_csv, source_name
from lookalike.io.sql import is_url
from lookalike.kinds import CATEGORY_KINDS, PLAIN_NUMBER_KINDS
from lookalike.metadata import Metadata
from lookalike.values import CHUNK_ROWS, category_key, check_whole

DEFAULT_SAMPLE_ROWS = 200_000  # rows a model is fitted on when the table is larger
MAX_TRACKED = 1_000  # columns with more distinct values are not tracked value by value


@dataclass
class ColumnStats:
    """What one streaming pass learns about a column."""

    missing: int = 0
    numeric: bool = True  # every non-missing value so far is a number
    min: float = math.inf
    max: float = -math.inf
    keys: set[str] | None = field(default_factory=set)  # categories seen (None: too many)
    rows: list[pd.DataFrame] = field(default_factory=list)  # one real row per category


@dataclass
class TableScan:
    """The result of `scan_table`: a uniform sample and whole-table statistics."""

    sample: pd.DataFrame
    rows: int
    stats: dict[str, ColumnStats]
    examples: pd.DataFrame  # one real row per tracked category; "__column", "__value" say which

    @property
    def sampled(self) -> bool:
        """True when the sample holds fewer rows than the table."""
        return len(self.sample) < self.rows


def is_large(source: str | Path, sample_rows: int = DEFAULT_SAMPLE_ROWS) -> bool:
    """True when `source` likely has more than `sample_rows` rows (cheap: no full read).

    Databases count as large (they are streamed in pages either way); Parquet files report their
    row count; for a CSV the count is estimated from the file size and its first lines.
    """
    if is_url(source):
        return True
    path = Path(source)
    if not path.is_file():
        return False
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        try:
            return int(pq.ParquetFile(path).metadata.num_rows) > sample_rows
        except Exception:  # a damaged file: let read_table give the error
            return False
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    if not head:  # an empty file: read_table says so
        return False
    lines = max(head.count(b"\n"), 1)
    return size / (len(head) / lines) > sample_rows * 1.1


def scan_table(
    source: str | Path,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
    *,
    random_state: int | np.random.Generator | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> TableScan:
    """Read `source` once; return a uniform sample of `sample_rows` rows and its statistics."""
    check_whole(sample_rows, "the sample size (rows)")
    from lookalike._progress import progress

    rng = np.random.default_rng(random_state)
    is_csv = not is_url(source) and Path(source).suffix.lower() == ".csv"
    kept: list[pd.DataFrame] = []  # candidate rows, each frame with "__key" and "__row" columns
    held = 0
    threshold = np.inf  # rows with a key at or above it can no longer make the sample
    rows = 0
    stats: dict[str, ColumnStats] = {}
    columns: list[str] | None = None
    bar = progress(desc=f"scanning {source_name(source)}", unit="row", unit_scale=True)
    try:
        for chunk in iter_chunks(source, chunk_rows):
            if columns is None:
                columns = [str(c) for c in chunk.columns]
                stats = {c: ColumnStats() for c in columns}
            _update_stats(stats, chunk, rows)
            keys = rng.random(len(chunk))
            chosen = keys < threshold
            if chosen.any():
                part = chunk.loc[chosen].copy()
                part["__key"] = keys[chosen]
                part["__row"] = np.arange(rows, rows + len(chunk))[chosen]
                kept.append(part)
                held += len(part)
            if held >= 2 * sample_rows:
                kept = [_smallest(kept, sample_rows)]
                held = len(kept[0])
                threshold = float(kept[0]["__key"].max())
            rows += len(chunk)
            bar.update(len(chunk))
    finally:
        bar.close()
    if columns is None or rows == 0:
        raise DataError(f"{source_name(source)} has a header but no data rows.")
    sample = _smallest(kept, sample_rows).sort_values("__row")
    sample = sample.drop(columns=["__key", "__row"]).reset_index(drop=True)
    examples = _concat([row for s in stats.values() for row in s.rows])
    if examples is None:
        examples = sample.iloc[:0].assign(__column="", __value="")
    if is_csv:  # text chunks: type sample and examples together, as read_table would
        both = reparse_csv(_concat([sample, examples]))  # type: ignore[arg-type]
        sample = both.iloc[: len(sample)].drop(columns=["__column", "__value"])
        examples = both.iloc[len(sample) :].reset_index(drop=True)
    for column in stats.values():
        column.rows = []
    return TableScan(sample.reset_index(drop=True), rows, stats, examples)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    if not frames:
        return None
    with warnings.catch_warnings():  # all-missing columns in some chunks: dtypes settle later
        warnings.simplefilter("ignore", FutureWarning)
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _smallest(frames: list[pd.DataFrame], k: int) -> pd.DataFrame:
    frame = _concat(frames)
    assert frame is not None
    if len(frame) <= k:
        return frame
    keys = frame["__key"].to_numpy()
    return frame.iloc[np.sort(np.argpartition(keys, k - 1)[:k])].reset_index(drop=True)


def _update_stats(stats: dict[str, ColumnStats], chunk: pd.DataFrame, offset: int) -> None:
    for name in chunk.columns:
        series = chunk[name]
        column = stats[str(name)]
        missing = series.isna().to_numpy()
        column.missing += int(missing.sum())
        present = series[~missing]
        if column.numeric and len(present):
            if pd.api.types.is_bool_dtype(present) or not (
                pd.api.types.is_numeric_dtype(present) or pd.api.types.is_object_dtype(present)
            ):
                column.numeric = False
            else:
                numbers = pd.to_numeric(present, errors="coerce").to_numpy(dtype=float)
                if np.isnan(numbers).any():
                    column.numeric = False
                else:
                    column.min = min(column.min, float(numbers.min()))
                    column.max = max(column.max, float(numbers.max()))
        if column.keys is None:
            continue
        firsts = present[~present.duplicated()]
        if len(firsts) + len(column.keys) > 10 * MAX_TRACKED:
            column.keys, column.rows = None, []  # too many to be categories: stop tracking
            continue
        new: dict[str, Any] = {}
        for index, value in firsts.items():
            key = _key(value)
            if key not in column.keys and key not in new:
                new[key] = index
        if new:
            column.keys.update(new)
            column.rows.append(
                chunk.loc[list(new.values())].assign(__column=str(name), __value=list(new))
            )
        if len(column.keys) > MAX_TRACKED:
            column.keys, column.rows = None, []


def _key(value: Any) -> str:
    """`values.category_key` after re-typing text that reads as a number.

    CSV chunks are typed one by one, so one chunk may hold 1 and another "1" for the same
    category of the same column; these keys only find categories the sample lacks.
    """
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value.strip())
    return category_key(value)


def fit_table(
    model: Any,
    source: str | Path,
    metadata: Metadata | None = None,
    *,
    sample_rows: int = DEFAULT_SAMPLE_ROWS,
) -> TableScan:
    """Fit `model` on a uniform sample of a large table; returns the scan it was fitted on.

    Example:
        >>> model = get_model("copula", random_state=0)
        >>> scan = fit_table(model, "sqlite:///warehouse.db?table=visits", sample_rows=200_000)
    """
    scan = scan_table(source, sample_rows, random_state=model.random_state)
    training = _with_rare_categories(scan, metadata)
    if metadata is None:
        metadata = Metadata.detect(training)
        _apply_stats(metadata, scan)
    model.fit(training, metadata)
    return scan


def _with_rare_categories(scan: TableScan, metadata: Metadata | None) -> pd.DataFrame:
    """The sample plus one real row for each category of the table that the sample missed."""
    if not scan.sampled or scan.examples.empty:
        return scan.sample
    kinds = metadata or Metadata.detect(scan.sample)
    wanted = np.zeros(len(scan.examples), dtype=bool)
    for name, column in kinds.columns.items():
        if column.kind not in CATEGORY_KINDS or scan.stats[name].keys is None:
            continue
        seen = {_key(v) for v in scan.sample[name].dropna().unique()}
        mine = (scan.examples["__column"] == name).to_numpy()
        wanted |= mine & ~scan.examples["__value"].isin(seen).to_numpy()
    if not wanted.any():
        return scan.sample
    extra = scan.examples.loc[wanted].drop(columns=["__column", "__value"])
    return _concat([scan.sample, extra])  # type: ignore[return-value]


def _apply_stats(metadata: Metadata, scan: TableScan) -> None:
    """Correct detected metadata with the whole table's missing shares, ranges and categories."""
    for name, column in metadata.columns.items():
        stats = scan.stats[name]
        column.missing_share = round(stats.missing / scan.rows, 6)
        if column.kind in PLAIN_NUMBER_KINDS and stats.numeric and stats.max >= stats.min:
            low = stats.min if column.min is None else min(column.min, stats.min)
            high = stats.max if column.max is None else max(column.max, stats.max)
            column.min = int(low) if column.integer else low
            column.max = int(high) if column.integer else high
        if column.kind in CATEGORY_KINDS and stats.keys is not None:
            column.n_categories = len(stats.keys)
