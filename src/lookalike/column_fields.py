"""Types and ranges of a metadata column's fields, checked when metadata is read from JSON (a
`--metadata` file or a model file): a hand-edited `"min": "x"`, `"decimals": 1e30` or
`"format": 5` is a MetadataError naming the column and field, not a crash mid-fit or a silently
odd sample.
"""

from __future__ import annotations

import math
from typing import Any

from lookalike.errors import MetadataError

MAX_DECIMALS = 15


def check_column_fields(name: str, data: dict[str, Any], kinds: tuple[str, ...]) -> None:
    """Raise MetadataError unless every field of column `name` has a usable type and range."""

    def bad(field: str, what: str) -> MetadataError:
        return MetadataError(f"column {name!r}: {field} must be {what}, got {data[field]!r}.")

    if data.get("kind") not in kinds:
        raise MetadataError(
            f"column {name!r}: unknown kind {data.get('kind')!r}; use one of {', '.join(kinds)}."
        )
    share = data.get("missing_share", 0.0)
    if not _number(share) or not 0 <= share <= 1:
        raise bad("missing_share", "a share from 0 to 1")
    if data.get("integer") is not None and not isinstance(data["integer"], bool):
        raise bad("integer", "true or false")
    decimals = data.get("decimals")
    if decimals is not None and (
        isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 15
    ):
        raise bad("decimals", f"a whole number from 0 to {MAX_DECIMALS}")
    for field in ("min", "max", "confidence"):
        if data.get(field) is not None and not _number(data[field]):
            raise bad(field, "a finite number")
    if _number(data.get("min")) and _number(data.get("max")) and data["min"] > data["max"]:
        raise MetadataError(f"column {name!r}: min {data['min']} is above max {data['max']}.")
    for field in ("format", "pattern", "pii_kind"):
        if data.get(field) is not None and not isinstance(data[field], str):
            raise bad(field, "text")
    if data.get("format") is not None and "%" not in data["format"]:
        raise bad("format", "a strftime format such as '%Y-%m-%d'")
    count = data.get("n_categories")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise bad("n_categories", "a whole number >= 0")
    value = data.get("value")
    if value is not None and not isinstance(value, str | int | float | bool):
        raise bad("value", "one text, number or true/false")


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )
