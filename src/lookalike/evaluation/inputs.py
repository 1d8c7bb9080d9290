"""Check the tables given to `evaluate` and put them in one comparable form.

Every evaluated column becomes either *continuous* (numbers and datetimes: float64, NaN for
missing; datetimes in seconds) or *discrete* (categories, booleans, constants: int64 codes shared
by all tables, -1 for missing). Ids and personal free text are left out: their values are meant
to differ between real and synthetic rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError, MetadataError
from lookalike.kinds import CATEGORY_KINDS, CONSTANT_KINDS, DATE_KINDS, NUMBER_KINDS
from lookalike.metadata import Metadata
from lookalike.models.base import as_frame
from lookalike.transform import _to_float
from lookalike.values import category_keys

CONTINUOUS_KINDS = NUMBER_KINDS  # compared as numbers (dates in seconds)
DISCRETE_KINDS = CATEGORY_KINDS | CONSTANT_KINDS  # compared as codes


@dataclass
class Table:
    """One table in comparable form: a float array per continuous column, codes per discrete."""

    values: dict[str, np.ndarray]
    n: int

    def take(self, rows: np.ndarray) -> Table:
        """The same table restricted to `rows` (positions)."""
        return Table({k: v[rows] for k, v in self.values.items()}, len(rows))


@dataclass
class Prepared:
    """Real, synthetic and (optional) holdout tables, checked and encoded alike."""

    metadata: Metadata
    continuous: list[str]
    discrete: list[str]
    skipped: dict[str, str]
    labels: dict[str, list[str]]  # discrete column -> display label per code
    datetimes: list[str]
    real: Table
    synthetic: Table
    holdout: Table | None
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        """Evaluated columns in table order."""
        wanted = set(self.continuous) | set(self.discrete)
        return [name for name in self.metadata.columns if name in wanted]

    def is_continuous(self, name: str) -> bool:
        """True when column `name` is scored as a continuous number."""
        return name in self._continuous_set

    def __post_init__(self) -> None:
        self._continuous_set = set(self.continuous)


def prepare(
    real: Any,
    synthetic: Any,
    holdout: Any = None,
    metadata: Metadata | None = None,
) -> Prepared:
    """Check the tables against each other and encode them; raises DataError on bad input."""
    real = _frame(real, "real")
    synthetic = _frame(synthetic, "synthetic")
    holdout = None if holdout is None else _frame(holdout, "holdout")
    _same_columns(real, synthetic, "synthetic")
    if holdout is not None:
        _same_columns(real, holdout, "holdout")
        holdout = holdout[list(real.columns)]
    synthetic = synthetic[list(real.columns)]
    if metadata is None:
        metadata = Metadata.detect(real)
    _validate(metadata, real, "real")
    _validate(metadata, synthetic, "synthetic")
    if holdout is not None:
        _validate(metadata, holdout, "holdout")

    continuous, discrete, datetimes, skipped = [], [], [], {}
    for name, column in metadata.columns.items():
        if column.kind in CONTINUOUS_KINDS:
            continuous.append(name)
            if column.kind in DATE_KINDS:
                datetimes.append(name)
        elif column.kind in DISCRETE_KINDS:
            discrete.append(name)
        else:
            skipped[name] = f"{column.kind} column: its values are not meant to match"
    if not continuous and not discrete:
        raise DataError(
            "no column can be evaluated: every column is an id or personal data; "
            "pass --metadata to mark some columns as numerical or categorical."
        )

    frames = [real, synthetic] + ([holdout] if holdout is not None else [])
    values: list[dict[str, np.ndarray]] = [{} for _ in frames]
    labels: dict[str, list[str]] = {}
    for name in continuous:
        column = metadata.columns[name]
        for out, frame in zip(values, frames, strict=True):
            out[name] = _to_float(frame[name], column)
    for name in discrete:
        codes, labels[name] = _shared_codes([frame[name] for frame in frames])
        for out, code in zip(values, codes, strict=True):
            out[name] = code
    tables = [Table(v, len(f)) for v, f in zip(values, frames, strict=True)]
    return Prepared(
        metadata=metadata,
        continuous=continuous,
        discrete=discrete,
        skipped=skipped,
        labels=labels,
        datetimes=datetimes,
        real=tables[0],
        synthetic=tables[1],
        holdout=tables[2] if holdout is not None else None,
    )


def _frame(data: Any, role: str) -> pd.DataFrame:
    frame = as_frame(data)
    if frame.shape[1] == 0:
        raise DataError(f"the {role} table has no columns; check the file and its delimiter.")
    if frame.shape[0] == 0:
        raise DataError(f"the {role} table has no rows; there is nothing to evaluate.")
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    if duplicated:
        raise DataError(f"the {role} table has duplicate column name(s) {duplicated}.")
    return frame.rename(columns=str)


def _same_columns(real: pd.DataFrame, other: pd.DataFrame, role: str) -> None:
    missing = [c for c in real.columns if c not in other.columns]
    extra = [c for c in other.columns if c not in real.columns]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(map(repr, missing[:10]))}")
        if extra:
            parts.append(f"extra {', '.join(map(repr, extra[:10]))}")
        raise DataError(
            f"the {role} table has other columns than the real table ({'; '.join(parts)}); "
            "give tables with the same columns."
        )


def _validate(metadata: Metadata, frame: pd.DataFrame, role: str) -> None:
    try:
        metadata.validate(frame)
    except MetadataError as error:
        detail = "; ".join(error.problems)
        if role == "real":
            raise DataError(f"the real table does not match the metadata: {detail}") from None
        raise DataError(
            f"the {role} table does not have the real table's column types: {detail}"
        ) from None


def _shared_codes(series: list[pd.Series]) -> tuple[list[np.ndarray], list[str]]:
    """Integer codes shared across tables (1 == 1.0 == "1"), -1 for missing, plus labels."""
    keys = [category_keys(s) for s in series]
    joined = np.concatenate(keys)
    codes, uniques = pd.factorize(joined, use_na_sentinel=True)
    null_code = [i for i, key in enumerate(uniques) if key == "\x00null"]
    if null_code:
        codes = np.where(codes == null_code[0], -1, codes)
        codes = np.where(codes > null_code[0], codes - 1, codes)
        uniques = np.delete(uniques, null_code[0])
    labels = [str(key)[2:] for key in uniques]
    labels = [
        label[:-2] if label.endswith(".0") and _is_number(label) else label for label in labels
    ]
    out, start = [], 0
    for part in keys:
        out.append(codes[start : start + len(part)].astype(np.int64))
        start += len(part)
    return out, labels


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def split_real(real: Table, share: float, rng: np.random.Generator) -> tuple[Table, Table]:
    """Split the real table into (train, test) rows at random; `share` goes to test."""
    order = rng.permutation(real.n)
    n_test = max(1, round(real.n * share))
    return real.take(np.sort(order[n_test:])), real.take(np.sort(order[:n_test]))


def sample_rows(n: int, cap: int, rng: np.random.Generator) -> np.ndarray:
    """At most `cap` row positions out of `n`, sorted, without replacement."""
    if n <= cap:
        return np.arange(n)
    return np.sort(rng.choice(n, size=cap, replace=False))
