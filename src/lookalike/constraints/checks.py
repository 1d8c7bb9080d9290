"""Constraint kinds kept by checking sampled rows: ranges, positivity, whole numbers, uniqueness,
custom predicates; and the `Constraint` base that every kind follows.

Every constraint can `check` rows (True where the row satisfies it; a row with a missing value in
one of the constraint's columns satisfies it). Kinds that can make violations impossible also
`transform` the training table before the model sees it and `reverse` the sampled rows (see
`constraints.inequality`, `.combinations`, `.formula`); `integer` only rounds the sampled values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lookalike.kinds import DATE_KINDS, NUMBER_KINDS, PLAIN_NUMBER_KINDS
from lookalike.metadata import Column, Metadata
from lookalike.values import parse_datetimes, seconds, to_seconds


class Constraint:
    """Base of the constraint kinds; `type` is the name used in the metadata JSON."""

    type: ClassVar[str] = ""
    serialisable: ClassVar[bool] = True
    exact: ClassVar[bool] = False  # its transform alone rules out every violation

    def columns(self) -> list[str]:
        """Every column the constraint reads."""
        raise NotImplementedError

    def replaces(self) -> list[str]:
        """Columns its transform replaces (empty: it only checks)."""
        return []

    def to_dict(self) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def problems(self, metadata: Metadata) -> list[str]:
        """What is wrong with this constraint for these columns (unknown columns, wrong kinds)."""
        out = []
        for column in self.columns():
            if column not in metadata.columns:
                out.append(f"constraint {self.describe()}: unknown column {column!r}")
        return out

    def check(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        raise NotImplementedError

    # transform hooks: by default a constraint only checks
    def fit(self, data: pd.DataFrame, metadata: Metadata) -> bool:
        """Learn what the transform needs; True if this constraint will transform."""
        return False

    def transform(
        self, frame: pd.DataFrame, columns: dict[str, Column]
    ) -> tuple[pd.DataFrame, dict[str, Column]]:
        return frame, columns

    def reverse(self, rows: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
        return rows

    def get_state(self) -> dict[str, Any]:
        return {}

    def set_state(self, state: dict[str, Any]) -> None:
        pass

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_dict()})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.to_dict() == self.to_dict()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(repr(self))


# ---------------------------------------------------------------------- value ranges
class Range(Constraint):
    """`min <= column <= max` (either end optional; `strict=True` excludes the ends).

    Numbers, or dates written as text ("2020-01-01") for datetime columns.
    """

    type = "range"

    def __init__(
        self, column: str, min: Any = None, max: Any = None, *, strict: bool = False
    ) -> None:
        self.column, self.min, self.max, self.strict = column, min, max, bool(strict)

    def columns(self) -> list[str]:
        return [self.column]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "column": self.column}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        if self.strict:
            out["strict"] = True
        return out

    def describe(self) -> str:
        low, high = ("<", "<") if self.strict else ("<=", "<=")
        text = self.column
        if self.min is not None:
            text = f"{self.min} {low} {text}"
        if self.max is not None:
            text = f"{text} {high} {self.max}"
        return text

    def problems(self, metadata: Metadata) -> list[str]:
        out = super().problems(metadata)
        if out:
            return out
        kind = metadata.columns[self.column].kind
        if kind not in NUMBER_KINDS:
            out.append(f"constraint {self.describe()}: {self.column!r} is {kind}, not a number")
        elif self.min is None and self.max is None:
            out.append(f"constraint range on {self.column!r} needs a min, a max or both")
        else:
            for end in (self.min, self.max):
                if end is not None and _bound(end, kind) is None:
                    out.append(f"constraint {self.describe()}: cannot read {end!r} as a {kind}")
        return out

    def check(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        kind = metadata.columns[self.column].kind
        values = numbers(rows, self.column, metadata)
        ok = np.ones(len(rows), dtype=bool)
        with np.errstate(invalid="ignore"):
            if self.min is not None:
                low = _bound(self.min, kind)
                ok &= values > low if self.strict else values >= low
            if self.max is not None:
                high = _bound(self.max, kind)
                ok &= values < high if self.strict else values <= high
        return ok | np.isnan(values)


class Positive(Range):
    """`column > 0` (or `>= 0` with `strict=False`)."""

    type = "positive"

    def __init__(self, column: str, *, strict: bool = True) -> None:
        super().__init__(column, 0, None, strict=strict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "column": self.column}
        if not self.strict:
            out["strict"] = False
        return out

    def problems(self, metadata: Metadata) -> list[str]:
        out = super().problems(metadata)
        if not out and metadata.columns[self.column].kind not in PLAIN_NUMBER_KINDS:
            out.append(f"constraint positive: {self.column!r} is not numerical")
        return out


class _OneColumn(Constraint):
    """A constraint on one column with no other settings."""

    def __init__(self, column: str) -> None:
        self.column = column

    def columns(self) -> list[str]:
        return [self.column]

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "column": self.column}


class Integer(_OneColumn):
    """`column` holds whole numbers; sampled values are rounded."""

    type = "integer"

    def describe(self) -> str:
        return f"{self.column} is a whole number"

    def problems(self, metadata: Metadata) -> list[str]:
        out = super().problems(metadata)
        if not out and metadata.columns[self.column].kind not in PLAIN_NUMBER_KINDS:
            out.append(f"constraint integer: {self.column!r} is not numerical")
        return out

    def check(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        values = numbers(rows, self.column, metadata)
        return np.isnan(values) | (values == np.round(values))

    def reverse(self, rows: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
        values = numbers(rows, self.column, metadata)
        if np.all(np.isnan(values) | (values == np.round(values))):
            return rows
        rows = rows.copy()
        rows[self.column] = _as_integers(np.round(values))
        return rows


# ---------------------------------------------------------------------- unique and custom
class Unique(_OneColumn):
    """No two sampled rows of one `sample` call share a value of `column`."""

    type = "unique"

    def describe(self) -> str:
        return f"{self.column} is unique"

    def check(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        values = rows[self.column]
        return ~(values.duplicated(keep="first").to_numpy() & values.notna().to_numpy())


class Custom(Constraint):
    """A Python predicate `fn(rows) -> bool per row`, kept by rejection (Python API only).

    Custom constraints live in memory only: they cannot be written to metadata JSON or model files.

    Example:
        >>> Custom(lambda rows: rows["a"] % 2 == 0, name="a is even").describe()
        'a is even'
    """

    type = "custom"
    serialisable = False

    def __init__(self, fn: Callable[[pd.DataFrame], Any], *, name: str | None = None) -> None:
        self.fn = fn
        self.name: str = name or str(getattr(fn, "__name__", "custom"))

    def columns(self) -> list[str]:
        return []

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "name": self.name}

    def describe(self) -> str:
        return self.name

    def check(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        result = np.asarray(self.fn(rows.copy()), dtype=bool).reshape(-1)
        if result.shape != (len(rows),):
            from lookalike.errors import MetadataError

            raise MetadataError(
                f"Custom constraint {self.name!r} returned {result.shape[0]} values for "
                f"{len(rows)} rows; it must return one True/False per row."
            )
        return result

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Custom) and other.fn is self.fn

    def __hash__(self) -> int:
        return id(self.fn)


# ---------------------------------------------------------------------- helpers
def numbers(rows: pd.DataFrame, column: str, metadata: Metadata) -> np.ndarray:
    """A column as float64: numbers as they are, dates as seconds since 1970, missing as NaN."""
    values = rows[column]
    if metadata.columns[column].kind in DATE_KINDS:
        return seconds(parse_datetimes(values, metadata.columns[column].format))
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype(float).to_numpy()
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _bound(value: Any, kind: str) -> float | None:
    if kind in DATE_KINDS:
        return to_seconds(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _as_integers(values: np.ndarray) -> pd.Series:
    if np.isnan(values).any():
        array = pd.array(np.where(np.isnan(values), 0, values).astype(np.int64), dtype="Int64")
        array[np.isnan(values)] = pd.NA
        return pd.Series(array)
    return pd.Series(values.astype(np.int64))
