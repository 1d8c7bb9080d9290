"""Rules about single values that every layer shares: category keys, missing, dates, JSON, counts.

The bottom layer above `errors`: it imports numpy, pandas and `lookalike.errors` only, so any
module may use it. One rule, one function:

    category_key      which values are the same category (see its docstring for the rule)
    is_missing        None, NaN, pd.NA, NaT and blank text are missing
    is_text           a pandas column holding text (object or string dtype)
    DATETIME_FORMATS  the date formats detection tries, in order
    parse_datetimes   a column as datetimes with the detected format (unparseable -> NaT)
    DATE_SHARE        the share of a column's present values that must parse for it to be dates
    date_resolution   the coarsest step (day, hour, minute, second) all stamps fall on
    to_seconds        one stamp / `seconds` a column of stamps -> seconds since 1970 (UTC)
    json_value        a numpy / pandas scalar as a plain JSON value (NaN -> None, 3.0 -> 3)
    json_default      `json.dumps(default=...)`: json_value, else the value as text
    check_whole       "a whole number >= low" (bools are not numbers), else DataError
    CHUNK_ROWS        rows per chunk when streaming a table or sampling
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError

CHUNK_ROWS = 50_000  # rows per chunk when streaming a table, and per sampling chunk

NULL_KEY = "\x00null"

# a column is dates when this share of its present values parse; the others ("n/a?", "unknown")
# are missing values, not a reason to treat the whole column as text
DATE_SHARE = 0.95

DATETIME_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%Y%m%d",
    "%d %b %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%B %d, %Y",
)


def is_missing(value: Any) -> bool:
    """None, NaN, pd.NA, NaT and text that is empty after stripping are missing.

    Example:
        >>> [is_missing(v) for v in (None, float("nan"), " ", "a", 0)]
        [True, True, True, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return isinstance(value, str) and not value.strip()


def category_key(value: Any) -> str:
    """The key under which a value counts as a category; equal keys are the same category.

    The one rule (transform, conditions, constraints and the large-table scan all use it):
    missing values (`is_missing`: None, NaN, NA, NaT, blank text) share one key; booleans are
    their own (True is not 1); numbers compare by value whatever their type (1 == 1.0 ==
    np.int64(1)); text compares stripped (" a" == "a") and stays text: "1" is not 1, so codes
    such as "01" and "1" stay apart. Where one table's chunks type a column differently (CSV
    chunks read alone), the caller re-types the text first (see `scale.large_fit`).

    Example:
        >>> category_key(1) == category_key(1.0), category_key("1") == category_key(1)
        (True, False)
        >>> category_key("") == category_key(None) == category_key(float("nan"))
        True
    """
    if is_missing(value):
        return NULL_KEY
    if isinstance(value, bool | np.bool_):
        return f"b:{bool(value)}"
    if isinstance(value, int | float | np.number):
        return f"n:{float(value)!r}"
    return f"s:{str(value).strip()}"


def category_keys(series: pd.Series) -> np.ndarray:
    """`category_key` of every value of a column, computed once per distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    keys = np.array([*(category_key(v) for v in uniques), NULL_KEY], dtype=object)
    return keys[np.where(codes < 0, len(keys) - 1, codes)]


def is_text(series: pd.Series) -> bool:
    """True for a pandas column of text (object or string dtype)."""
    return bool(pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series))


def parse_datetimes(values: pd.Series, fmt: str | None) -> pd.Series:
    """`values` as datetimes with format `fmt` (None: any format); what does not parse is NaT."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fmt is None:
            return pd.to_datetime(values, errors="coerce", format="mixed")
        return pd.to_datetime(values.astype(str).str.strip(), format=fmt, errors="coerce")


def date_resolution(stamps: np.ndarray) -> float:
    """The coarsest step in seconds (a day, an hour, a minute, a second) every stamp falls on;
    0.0 when they are finer. Sampled dates are rounded to it, so dates stay dates.

    Example:
        >>> date_resolution(np.array([0.0, 86400.0])), date_resolution(np.array([0.5]))
        (86400.0, 0.0)
    """
    for step in (86400.0, 3600.0, 60.0, 1.0):
        if np.all(np.mod(stamps, step) == 0):
            return step
    return 0.0


def seconds(stamps: pd.Series) -> np.ndarray:
    """Seconds since 1970 (UTC for aware stamps) of a column of stamps, whatever their unit.

    Values that are not stamps yet are parsed first (unparseable -> NaN).
    """
    if not pd.api.types.is_datetime64_any_dtype(stamps):
        stamps = pd.Series(pd.to_datetime(stamps, errors="coerce"))
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return np.asarray((stamps - pd.Timestamp(0)) / pd.Timedelta(seconds=1), dtype=float)


def to_seconds(value: Any) -> float | None:
    """Seconds since 1970 (UTC) of one stamp (text, datetime, Timestamp); None if it is none."""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if stamp is pd.NaT:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return float((stamp - pd.Timestamp(0)) / pd.Timedelta(seconds=1))


def json_value(value: Any) -> Any:
    """A plain JSON value: numpy scalars unwrapped, whole floats as ints, NaN/inf as None,
    Timestamps as ISO text; anything else as it is.

    Example:
        >>> json_value(np.float64(3.0)), json_value(float("nan"))
        (3, None)
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def json_default(value: Any) -> Any:
    """For `json.dumps(default=...)`: `json_value`, or the value as text if that leaves it."""
    converted = json_value(value)
    if converted is value:
        return str(value)
    return converted


def is_whole(value: Any, low: int = 1) -> bool:
    """True for an int (numpy ints too, never a bool) of at least `low`."""
    return bool(
        not isinstance(value, bool | np.bool_)
        and isinstance(value, int | np.integer)
        and value >= low
    )


def check_whole(value: Any, name: str, low: int = 1, error: type[Exception] = DataError) -> None:
    """Raise `error` ("NAME must be a whole number >= LOW, got VALUE.") unless `is_whole`."""
    if not is_whole(value, low):
        raise error(f"{name} must be a whole number >= {low}, got {value!r}.")
