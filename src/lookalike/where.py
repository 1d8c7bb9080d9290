"""Conditions written as text (`--where "age>=60"`) -> the `conditions` dict of `Model.sample`.

The CLI, the web app and scripts share this reading, so `"Class=1"` means the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from lookalike.conditions import Interval, as_interval
from lookalike.errors import DataError

_WHERE = re.compile(r"^\s*([^<>=!]+?)\s*(>=|<=|==|=|>|<)\s*(.*?)\s*$")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def split_and(items: Iterable[str]) -> list[str]:
    """`["Outcome=1 and Age>=50"]` -> `["Outcome=1", "Age>=50"]`; a text whose parts are not
    each a condition (a value such as "salt and pepper") stays whole.
    """
    out: list[str] = []
    for item in items:
        parts = _AND.split(item)
        whole = len(parts) == 1 or not all(_WHERE.match(part) for part in parts)
        out += [item] if whole else parts
    return out


def where_texts(where: Mapping[str, Any] | Iterable[str] | str) -> list[str]:
    """Conditions in the user's own words, one per condition: `"Outcome=1 and Age>=50"` ->
    `["Outcome=1", "Age>=50"]`; `{"Age": (50, None)}` -> `["Age>=50"]` (not a parsed "50.0").
    """
    if not isinstance(where, Mapping):
        return [text.strip() for text in split_and([where] if isinstance(where, str) else where)]
    words = []
    for column, value in where.items():
        interval = as_interval(value)
        if interval is not None:
            words.append(interval.describe(column))
        else:
            words.append(f"{column} missing" if value is None else f"{column}={value}")
    return words


def parse_where(items: Iterable[str]) -> dict[str, Any]:
    """`["Class=1", "age>=60", "age<70"]` -> {"Class": "1", "age": Interval("60", "70", ...)}.

    `=` (or `==`) asks for a value (an empty value asks for missing); `>=` and `<=` include the
    bound, `>` and `<` exclude it. A column takes one `=`, or at most one lower and one upper bound.
    Values stay text (quotes removed); `Model.sample` matches them to the column's type.
    One text may join conditions with "and": `"Outcome=1 and Age>=50"`.

    Example:
        >>> parse_where(["Class=1"])
        {'Class': '1'}
    """
    conditions: dict[str, Any] = {}
    for item in split_and(items):
        match = _WHERE.match(item)
        if not match:
            raise DataError(
                f"cannot read --where {item!r}; write COLUMN=VALUE, COLUMN>=VALUE, COLUMN>VALUE, "
                "COLUMN<=VALUE or COLUMN<VALUE."
            )
        column, op, raw = match.groups()
        value = raw.strip().strip("'\"")
        previous = conditions.get(column)
        if op in ("=", "=="):
            if column in conditions:
                raise DataError(f"--where gives {column!r} twice; give it one value or a range.")
            conditions[column] = None if value == "" else value
            continue
        if value == "":
            raise DataError(f"--where {item!r} has no value after {op}.")
        if column in conditions and not isinstance(previous, Interval):
            raise DataError(f"--where gives {column!r} both a value and a range; keep one.")
        conditions[column] = _bound(column, op, value, previous)
    return conditions


def _bound(column: str, op: str, value: str, previous: Interval | None) -> Interval:
    """`previous` (or an open interval) with the bound `op value` added."""
    low = previous if previous is not None else Interval(None, None)
    if op.startswith(">"):
        if low.low is not None:
            raise DataError(f"--where gives {column!r} two lower bounds; keep one.")
        return Interval(value, low.high, low_closed=op == ">=", high_closed=low.high_closed)
    if low.high is not None:
        raise DataError(f"--where gives {column!r} two upper bounds; keep one.")
    return Interval(low.low, value, low_closed=low.low_closed, high_closed=op == "<=")
