"""One column of a table's metadata: its kind and the facts generation needs to reproduce it.

`Column.from_dict` reads the JSON form (a `--metadata` file, a model file) and refuses unknown
fields and values of the wrong type or range (`lookalike.column_fields`). The kinds are those of
`lookalike.kinds`; detection from values is `lookalike.column_detect`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from lookalike.column_fields import check_column_fields
from lookalike.errors import MetadataError
from lookalike.kinds import KINDS, ColumnKind


@dataclass
class Column:
    """One column's type and the facts about it that generation needs to reproduce it."""

    name: str
    kind: ColumnKind
    missing_share: float = 0.0
    integer: bool | None = None  # numerical: whole numbers only
    decimals: int | None = None  # numerical: decimals written (None: full precision)
    min: float | None = None
    max: float | None = None
    format: str | None = None  # datetime: strftime format (None: ISO timestamps)
    pattern: str | None = None  # id: character-class template, "int" or "uuid"
    pii_kind: str | None = None  # pii: name, email, phone, address, text, ...
    confidence: float | None = None  # pii: how sure detection is (0-1)
    value: Any = None  # constant: the single value
    n_categories: int | None = None  # categorical/boolean: distinct values seen

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe dict without the fields that do not apply (None)."""
        return {k: v for k, v in asdict(self).items() if v is not None and k != "name"}

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> Column:
        """A column from its JSON form; unknown keys are refused with the known ones."""
        known = {f.name for f in fields(cls)} - {"name"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise MetadataError(
                f"column {name!r}: unknown field(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(sorted(known))}."
            )
        if "kind" not in data:
            raise MetadataError(f"column {name!r} has no 'kind'; use one of {', '.join(KINDS)}.")
        check_column_fields(name, data, KINDS)
        return cls(name=name, **data)
