"""Conditions for `Model.sample`: which values a sampled row must have.

A condition set maps columns to what their value must be:

    {"Class": 1}                       equal to a value (a category, a number, a date)
    {"age": (60, None)}                a range, both ends included; None leaves an end open
    {"age": Interval(60, None, low_closed=False)}   a range with open (strict) ends: age > 60
    {"score": None}                    missing

`check_conditions` turns a condition set into canonical conditions and fails fast on anything the
training data never had (an unknown column, a category never seen, a number outside the observed
range); `condition_mask` tells which decoded rows meet them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lookalike.codecs import codec_for
from lookalike.errors import ConditionError
from lookalike.kinds import (
    DATE_KINDS,
    KEY_KINDS,
    NUMBER_KINDS,
    REGENERATED_KINDS,
    TWO_VALUE_KINDS,
)
from lookalike.metadata import Metadata
from lookalike.values import (
    category_key,
    is_missing,
    parse_datetimes,
    seconds,
    to_seconds,
)


class Interval(tuple):  # a (low, high) pair with two flags
    """A (low, high) range; either end None for open. Ends are included unless marked open.

    It is a 2-tuple, so models that read conditions as `low, high = wanted` keep working.

    Example:
        >>> Interval(60, None, low_closed=False)   # age > 60
        Interval(60, None, low_closed=False, high_closed=True)
    """

    low_closed: bool
    high_closed: bool

    def __new__(
        cls, low: Any, high: Any, *, low_closed: bool = True, high_closed: bool = True
    ) -> Interval:
        """A range from `low` to `high`; each end included unless its flag says open."""
        self = super().__new__(cls, (low, high))
        self.low_closed = bool(low_closed)
        self.high_closed = bool(high_closed)
        return self

    def __reduce__(self) -> Any:  # picklable, for sampling in worker processes
        return (_interval, (self[0], self[1], self.low_closed, self.high_closed))

    @property
    def low(self) -> Any:
        """The lower end (None: no lower bound)."""
        return self[0]

    @property
    def high(self) -> Any:
        """The upper end (None: no upper bound)."""
        return self[1]

    def __repr__(self) -> str:
        return (
            f"Interval({self.low!r}, {self.high!r}, low_closed={self.low_closed}, "
            f"high_closed={self.high_closed})"
        )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Interval):
            return tuple(self) == tuple(other) and (self.low_closed, self.high_closed) == (
                other.low_closed,
                other.high_closed,
            )
        return tuple(self) == other and self.low_closed and self.high_closed

    def __hash__(self) -> int:
        return hash((tuple(self), self.low_closed, self.high_closed))

    def describe(self, column: str) -> str:
        """`age>=60 and age<70` style text."""
        parts = []
        if self.low is not None:
            parts.append(f"{column}{'>=' if self.low_closed else '>'}{self.low}")
        if self.high is not None:
            parts.append(f"{column}{'<=' if self.high_closed else '<'}{self.high}")
        return " and ".join(parts) or f"{column} anything"


def _interval(low: Any, high: Any, low_closed: bool, high_closed: bool) -> Interval:
    return Interval(low, high, low_closed=low_closed, high_closed=high_closed)


def as_interval(value: Any) -> Interval | None:
    """An Interval from an Interval or a (low, high) tuple/list of two; else None."""
    if isinstance(value, Interval):
        return value
    if isinstance(value, tuple | list) and len(value) == 2:
        return Interval(value[0], value[1])
    return None


def column_facts(data: pd.DataFrame, metadata: Metadata) -> dict[str, dict[str, Any]]:
    """What the training data held per column, so impossible conditions fail before sampling.

    Categorical and boolean columns: the distinct values; numbers and dates: min and max (dates in
    seconds); every column: whether it had missing values.
    """
    facts: dict[str, dict[str, Any]] = {}
    for name, column in metadata.columns.items():
        series = data[name]
        missing = codec_for(column).missing(series, column)
        values = series[~missing]
        facts[name] = {"has_null": bool(missing.any()), **codec_for(column).facts(values, column)}
    return facts


# ---------------------------------------------------------------------- canonical conditions
@dataclass(frozen=True)
class Condition:
    """One column's condition, checked against the training facts."""

    column: str
    kind: str  # the column's kind
    value: Any = None  # equality: the training value (category as stored, float, seconds)
    interval: Interval | None = None  # ranges (numbers in their unit; dates in seconds)
    missing: bool = False  # the value must be missing

    def describe(self) -> str:
        """The condition in words, for error messages."""
        if self.missing:
            return f"{self.column} missing"
        if self.interval is not None:
            return self.interval.describe(self.column)
        return f"{self.column}={self.value}"


def check_conditions(
    conditions: dict[str, Any], metadata: Metadata, facts: dict[str, dict[str, Any]]
) -> list[Condition]:
    """Canonical conditions; raises ConditionError at once for what the data never had."""
    if not isinstance(conditions, dict):
        raise ConditionError(
            f"conditions must be a dict such as {{'Class': 1}} or a DataFrame of partial rows, "
            f"got {type(conditions).__name__}."
        )
    out = []
    for column, wanted in conditions.items():
        if column not in metadata.columns:
            raise ConditionError(
                f"unknown column {column!r} in the conditions; columns are: "
                f"{', '.join(metadata.columns)}."
            )
        out.append(_check_one(str(column), wanted, metadata.columns[column].kind, facts[column]))
    return out


def _check_one(column: str, wanted: Any, kind: str, fact: dict[str, Any]) -> Condition:
    if is_missing(wanted):  # blank text too: the one rule of values.category_key
        if not fact["has_null"]:
            raise ConditionError(f"no row with {column} missing in the training data.")
        return Condition(column, kind, missing=True)
    interval = as_interval(wanted)
    if kind in REGENERATED_KINDS:
        raise ConditionError(
            f"column {column!r} is {'an id' if kind in KEY_KINDS else 'personal data (pii)'}: its "
            "values are generated, not learned from the data, so it cannot be a condition."
        )
    if kind in NUMBER_KINDS:
        return _check_number(column, wanted, interval, kind, fact)
    if interval is not None:
        numbers = [v for v in fact.get("values", []) if _as_float(v) is not None]
        if not numbers or len(numbers) < len(fact.get("values", [])):
            raise ConditionError(
                f"column {column!r} is {kind}: write {column}=VALUE, not a range "
                f"({interval.describe(column)})."
            )
        span = _float_interval(interval)
        inside = [v for v in numbers if _inside(float(_as_float(v) or 0.0), span)]
        if not inside:
            raise ConditionError(
                f"no row with {interval.describe(column)} in the training data "
                f"({column} takes {_few(numbers)})."
            )
        return Condition(column, kind, interval=_float_interval(interval))
    return Condition(column, kind, value=_match_category(column, wanted, fact["values"], kind))


def _check_number(
    column: str, wanted: Any, interval: Interval | None, kind: str, fact: dict[str, Any]
) -> Condition:
    def to_number(value: Any) -> float | None:
        if value is None:
            return None
        number = to_seconds(value) if kind in DATE_KINDS else _as_float(value)
        if number is None:
            what = "a date" if kind in DATE_KINDS else "a number"
            raise ConditionError(
                f"column {column!r} holds {what}; cannot compare it with {value!r}."
            )
        return number

    low, high = fact.get("min"), fact.get("max")
    observed = (
        f"{column} is between {_show(low, kind)} and {_show(high, kind)}"
        if low is not None
        else f"{column} has no values"
    )
    if interval is None:
        number = to_number(wanted)
        if low is None or not (low - _tol(low) <= number <= high + _tol(high)):  # type: ignore[operator]
            raise ConditionError(
                f"no row with {column}={wanted} in the training data ({observed})."
            )
        return Condition(column, kind, value=number)
    lo, hi = to_number(interval.low), to_number(interval.high)
    span = Interval(lo, hi, low_closed=interval.low_closed, high_closed=interval.high_closed)
    if lo is not None and hi is not None and (lo > hi or (lo == hi and not span.low_closed)):
        raise ConditionError(f"the range {interval.describe(column)} is empty.")
    empty = (
        low is None
        or high is None
        or (
            (lo is not None and (lo > high or (lo == high and not span.low_closed)))
            or (hi is not None and (hi < low or (hi == low and not span.high_closed)))
        )
    )
    if empty:
        raise ConditionError(
            f"no row with {interval.describe(column)} in the training data ({observed})."
        )
    return Condition(column, kind, interval=span)


def _match_category(column: str, wanted: Any, values: list[Any], kind: str) -> Any:
    key = category_key(wanted)
    text = str(wanted).strip().lower()
    for value in values:
        if category_key(value) == key:
            return value
    for value in values:  # lenient spellings from the command line: "Nice " or "nice"
        if str(value).strip().lower() == text:
            return value
    number = _as_float(wanted)
    if number is not None and not isinstance(wanted, bool):  # "1" for 1.0, "7" for 7
        for value in values:
            if not isinstance(value, str | bool) and _as_float(value) == number:
                return value
    word = _bool_word(text)
    if kind in TWO_VALUE_KINDS and word is not None:  # "true", "yes", "1" for True (or 1, or "y")
        for value in values:
            if _bool_or_none(value) is word:
                return value
    raise ConditionError(
        f"no row with {column}={wanted} in the training data ({column} takes {_few(values)})."
    )


# ---------------------------------------------------------------------- masks
def condition_mask(conditions: list[Condition], metadata: Metadata, rows: pd.DataFrame) -> Any:
    """Bool array: the rows that meet every condition."""
    out = np.ones(len(rows), dtype=bool)
    for condition in conditions:
        values = rows[condition.column]
        if condition.missing:
            out &= values.isna().to_numpy()
            continue
        if condition.kind in NUMBER_KINDS or condition.interval is not None:
            if condition.kind in DATE_KINDS:
                fmt = metadata.columns[condition.column].format
                numbers = seconds(parse_datetimes(values, fmt))
            else:
                numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
            if condition.interval is not None:
                out &= _inside_array(numbers, condition.interval)
            else:
                target = float(condition.value)
                out &= np.abs(numbers - target) <= 1e-9 * max(1.0, abs(target))
            continue
        out &= values.eq(condition.value).fillna(False).to_numpy(dtype=bool)
    return out


def _inside(number: float, interval: Interval) -> bool:
    return bool(_inside_array(np.array([number]), interval)[0])


def _inside_array(numbers: np.ndarray, interval: Interval) -> np.ndarray:
    out = ~np.isnan(numbers)
    with np.errstate(invalid="ignore"):
        if interval.low is not None:
            out &= numbers >= interval.low if interval.low_closed else numbers > interval.low
        if interval.high is not None:
            out &= numbers <= interval.high if interval.high_closed else numbers < interval.high
    return out


# ---------------------------------------------------------------------- small helpers
def _as_float(value: Any) -> float | None:
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.number):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _float_interval(interval: Interval) -> Interval:
    low = None if interval.low is None else _as_float(interval.low)
    high = None if interval.high is None else _as_float(interval.high)
    return Interval(low, high, low_closed=interval.low_closed, high_closed=interval.high_closed)


def _tol(value: float | None) -> float:
    return 0.0 if value is None else 1e-9 * max(1.0, abs(value))


def _show(value: float | None, kind: str) -> str:
    if value is None or not math.isfinite(value):
        return "?"
    if kind in DATE_KINDS:
        return str(pd.Timestamp(value, unit="s"))
    return f"{value:g}"


def _few(values: list[Any], most: int = 8) -> str:
    shown = ", ".join(str(v) for v in values[:most])
    return shown + (f", ... ({len(values)} values)" if len(values) > most else "")


_TRUE = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE = {"false", "f", "no", "n", "0", "0.0"}


def _bool_word(text: str) -> bool | None:
    return True if text in _TRUE else False if text in _FALSE else None


def _bool_or_none(value: Any) -> bool | None:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    return _bool_word(str(value).strip().lower())


def select_rows(
    data: pd.DataFrame, conditions: dict[str, Any], metadata: Metadata | None = None
) -> pd.DataFrame:
    """The rows of `data` that meet `conditions` (same forms as `sample(conditions=...)`), e.g.
    to fit a model on a subgroup only; raises ConditionError when no row does.
    """
    metadata = metadata or Metadata.detect(data)
    checked = check_conditions(conditions, metadata, column_facts(data, metadata))
    rows = data[condition_mask(checked, metadata, data)].reset_index(drop=True)
    if rows.empty:
        wanted = " and ".join(c.describe() for c in checked)
        raise ConditionError(f"no row of the table has {wanted}; loosen the condition.")
    return rows
