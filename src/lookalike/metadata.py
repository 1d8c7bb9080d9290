"""Column types of a table: detect them, check them against data, and read/write them as JSON.

One `Column` per column (`lookalike.column`), detected by `lookalike.column_detect`; both are
re-exported here, where they used to live.

Kinds:
    numerical    numbers (integer or continuous) with observed min/max and decimals
    categorical  a finite set of values (strings or numbers)
    boolean      two values (True/False, 0/1, yes/no); written back as they came
    datetime     dates or timestamps, with the string format they were written in
    id           a unique key per row; regenerated in the same pattern, never copied
    pii          personal free text (names, emails, phones, ...); replaced by fakes. pii_kind
                 "code" (tickets, cabins, job titles: near-unique text no check found
                 personal) is learned by frequent value and pattern instead (lookalike.pii.codes)
    constant     a single value (or no value at all: an all-null column)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lookalike.column import Column
from lookalike.column_detect import _detect_datetime_format, _string_pattern, detect_column
from lookalike.errors import DataError, MetadataError
from lookalike.io.json_files import read_json, write_json
from lookalike.kinds import DATE_KINDS, KINDS, PLAIN_NUMBER_KINDS
from lookalike.values import DATE_SHARE, json_default, parse_datetimes

__all__ = ["Column", "Metadata", "_detect_datetime_format", "_string_pattern", "detect_column"]


@dataclass
class Metadata:
    """Column kinds of a table, in column order; plain JSON a person can read and edit.

    Example:
        >>> meta = Metadata.detect(pd.DataFrame({"age": [31, 45, 27], "sex": ["F", "M", "F"]}))
        >>> meta.columns["sex"].kind
        'categorical'
    """

    columns: dict[str, Column] = field(default_factory=dict)
    constraints: list[Any] = field(default_factory=list)  # specs (dicts) or Constraint objects
    # likely constraints found by `lookalike inspect`: not applied until moved to "constraints"
    suggested_constraints: list[dict[str, Any]] = field(default_factory=list)
    # a table of ordered rows per entity (lookalike.sequences): the entity column and the order
    sequence_key: str | None = None
    order_by: str | None = None

    # ------------------------------------------------------------------ detection
    @classmethod
    def detect(cls, data: Any) -> Metadata:
        """Detect every column's kind from the values (and, for ids and PII, the names).

        `data` is a pandas DataFrame or any frame with `to_pandas()` (polars, pyarrow), as `fit`
        accepts.
        """
        data = _as_pandas(data)
        _check_frame(data)
        return cls({str(name): detect_column(data[name], str(name)) for name in data.columns})

    # ------------------------------------------------------------------ validation
    def validate(self, data: Any) -> None:
        """Check that `data` fits this metadata; raises MetadataError listing every problem."""
        data = _as_pandas(data)
        _check_frame(data)
        problems = []
        missing = [name for name in self.columns if name not in data.columns]
        if missing:
            problems.append(
                f"column(s) {', '.join(map(repr, missing))} are in the metadata but not in the "
                f"data (data has: {', '.join(map(str, data.columns[:20]))})"
            )
        extra = [str(c) for c in data.columns if c not in self.columns]
        if extra:
            problems.append(
                f"column(s) {', '.join(map(repr, extra))} are in the data but not in the "
                "metadata; add them or drop them from the data"
            )
        for name, column in self.columns.items():
            if column.kind not in KINDS:
                problems.append(
                    f"column {name!r} has kind {column.kind!r}; use one of {', '.join(KINDS)}"
                )
                continue
            if name not in data.columns:
                continue
            values = data[name].dropna()
            if column.kind in PLAIN_NUMBER_KINDS:
                numbers = pd.to_numeric(values, errors="coerce")
                bad = values[numbers.isna()]
                if len(bad):
                    problems.append(
                        f"column {name!r} is numerical but has {len(bad)} non-numeric value(s) "
                        f"such as {bad.iloc[0]!r}; fix the data or set its kind to 'categorical'"
                    )
                elif len(numbers) and not np.isfinite(numbers.to_numpy(dtype=float)).all():
                    problems.append(
                        f"column {name!r} has infinite values; replace them (e.g. with empty "
                        "cells for missing) and try again"
                    )
            elif column.kind in DATE_KINDS and len(values):
                # a few junk cells ("n/a?") are missing values; more means a wrong format
                unparsed = parse_datetimes(values, column.format).isna().to_numpy()
                if unparsed.mean() > 1 - DATE_SHARE:
                    bad = values[unparsed].iloc[0]
                    problems.append(
                        f"column {name!r} has value {bad!r} that does not match its datetime "
                        f"format {column.format!r}; fix the value or the format"
                    )
        if problems:
            raise MetadataError(problems)

    # ------------------------------------------------------------------ (de)serialisation
    def to_dict(self) -> dict[str, Any]:
        """Plain dict: {"columns": {name: {...}}, "constraints": [...]}."""
        out: dict[str, Any] = {"columns": {n: c.to_dict() for n, c in self.columns.items()}}
        if self.constraints:  # dicts, or objects from lookalike.constraints (Custom cannot be)
            out["constraints"] = [_constraint_spec(c) for c in self.constraints]
        if self.suggested_constraints:
            out["suggested_constraints"] = self.suggested_constraints
        for name in ("sequence_key", "order_by"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metadata:
        """Metadata from its JSON form (`to_dict`); raises MetadataError on a malformed one."""
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            raise MetadataError(
                'metadata must be a JSON object with a "columns" object; '
                "write one with `lookalike inspect DATA -o metadata.json`."
            )
        columns = {}
        for name, spec in data["columns"].items():
            if not isinstance(spec, dict):
                raise MetadataError(f"column {name!r}: expected an object, got {spec!r}.")
            columns[name] = Column.from_dict(name, spec)
        constraints = data.get("constraints", [])
        if not isinstance(constraints, list) or not all(
            isinstance(c, dict) and isinstance(c.get("type"), str) for c in constraints
        ):
            raise MetadataError(
                '"constraints" must be a list of objects with a "type", such as '
                '{"type": "inequality", "low": "start", "high": "end"}.'
            )
        suggested = data.get("suggested_constraints", [])
        if not isinstance(suggested, list):
            raise MetadataError('"suggested_constraints" must be a list.')
        sequence = {k: data[k] for k in ("sequence_key", "order_by") if data.get(k) is not None}
        for name, value in sequence.items():
            if not isinstance(value, str) or (value not in columns and columns):
                raise MetadataError(f'"{name}" must name a column of the table, got {value!r}.')
        return cls(columns, list(constraints), list(suggested), **sequence)

    def to_json(self, path: str | Path | None = None) -> str:
        """JSON text; also written atomically to `path` when given."""
        return write_json(self.to_dict(), path, default=json_default)

    @classmethod
    def from_json(cls, path_or_text: str | Path) -> Metadata:
        """Read metadata from a JSON file path (or a JSON string)."""
        return cls.from_dict(read_json(path_or_text, "metadata"))

    # ------------------------------------------------------------------ display
    def to_frame(self) -> pd.DataFrame:
        """One row per column: kind, missing share and the kind's details."""
        rows = []
        for name, c in self.columns.items():
            details = {k: v for k, v in c.to_dict().items() if k not in ("kind", "missing_share")}
            rows.append(
                {
                    "column": name,
                    "kind": c.kind + (f" ({c.pii_kind})" if c.pii_kind else ""),
                    "missing": f"{c.missing_share:.1%}",
                    "details": ", ".join(f"{k}={v}" for k, v in details.items()),
                }
            )
        return pd.DataFrame(rows, columns=["column", "kind", "missing", "details"])

    def __str__(self) -> str:
        return str(self.to_frame().to_string(index=False))

    def _repr_html_(self) -> str:
        return str(self.to_frame().to_html(index=False))

    def names(self, *kinds: str) -> list[str]:
        """Column names of the given kinds (all columns when none given)."""
        return [n for n, c in self.columns.items() if not kinds or c.kind in kinds]


def _constraint_spec(constraint: Any) -> dict[str, Any]:
    """A constraint's JSON spec: dicts as they are, objects by their `to_dict`."""
    if isinstance(constraint, dict):
        return constraint
    if not getattr(constraint, "serialisable", True):
        raise MetadataError(
            f"constraint {constraint.describe()!r} is a Custom (Python) constraint: it cannot be "
            "written to JSON or a model file; it applies only to models fitted in this session."
        )
    return dict(constraint.to_dict())


# ---------------------------------------------------------------------- frames
def _as_pandas(data: Any) -> Any:
    """A polars or pyarrow frame as pandas; anything else unchanged (`_check_frame` judges it)."""
    if not isinstance(data, pd.DataFrame) and hasattr(data, "to_pandas"):
        return data.to_pandas()
    return data


def _check_frame(data: pd.DataFrame) -> None:
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"expected a pandas DataFrame, got {type(data).__name__}.")
    if data.shape[1] == 0:
        raise DataError("the table has no columns; check the file and its delimiter.")
    if data.shape[0] == 0:
        raise DataError("the table has no rows; a model needs at least a few rows to learn from.")
    duplicated = data.columns[data.columns.duplicated()].tolist()
    if duplicated:
        raise DataError(
            f"duplicate column name(s) {', '.join(map(repr, duplicated))}; rename them so "
            "every column name is unique."
        )
