"""Column types of a table: detect them, check them against data, and read/write them as JSON.

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

import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError, MetadataError
from lookalike.kinds import DATE_KINDS, KINDS, PLAIN_NUMBER_KINDS, ColumnKind
from lookalike.values import DATETIME_FORMATS, is_text, json_default, json_value, parse_datetimes

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_LIKE = re.compile(
    rf"\d{{1,4}}[-/.]\d{{1,2}}[-/.]\d{{1,4}}|\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}",
    re.IGNORECASE,
)
_BOOLEAN_WORDS = {
    frozenset({"true", "false"}),
    frozenset({"yes", "no"}),
    frozenset({"y", "n"}),
    frozenset({"t", "f"}),
}
_RARE = 5  # a value fewer rows have is rare: a column of mostly rare values is not a category
_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key)$|^id[_\W]|Id$|ID$", re.IGNORECASE)


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
        from lookalike.column_fields import check_column_fields

        check_column_fields(name, data, KINDS)
        return cls(name=name, **data)


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
                parsed = parse_datetimes(values, column.format)
                if parsed.isna().any():
                    bad = values[parsed.isna().to_numpy()].iloc[0]
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
        return cls(columns, list(constraints), list(suggested))

    def to_json(self, path: str | Path | None = None) -> str:
        """JSON text; also written atomically to `path` when given."""
        text = json.dumps(self.to_dict(), indent=2, default=json_default)
        if path is not None:
            from lookalike.io.files import atomic_path

            with atomic_path(path) as tmp:
                Path(tmp).write_text(text + "\n", encoding="utf-8")
        return text

    @classmethod
    def from_json(cls, path_or_text: str | Path) -> Metadata:
        """Read metadata from a JSON file path (or a JSON string)."""
        text = str(path_or_text)
        if not text.lstrip().startswith("{"):
            path = Path(path_or_text)
            if not path.exists():
                raise MetadataError(f"metadata file {path} does not exist.")
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise MetadataError(f"metadata file {path} cannot be read ({error}).") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise MetadataError(
                f"metadata is not valid JSON ({error.msg} at line {error.lineno})."
            ) from None
        except RecursionError:
            raise MetadataError("metadata JSON is nested too deeply to be metadata.") from None
        return cls.from_dict(data)

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


# ---------------------------------------------------------------------- detection helpers
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


def detect_column(series: pd.Series, name: str) -> Column:
    """Detect one column's kind and facts."""
    n = len(series)
    values = series.dropna()
    text = None
    if is_text(values):
        text = _stripped(values)
        values, text = values[text != ""], text[text != ""]
    missing_share = round(1 - len(values) / n, 6) if n else 0.0
    distinct = values.nunique()
    if distinct <= 1:
        value = json_value(values.iloc[0]) if len(values) else None
        return Column(name, "constant", missing_share, value=value)

    if pd.api.types.is_bool_dtype(values):
        return Column(name, "boolean", missing_share, n_categories=2)
    from lookalike.pii.detect import detect_hinted_pii, detect_pii

    # card numbers and ZIP codes read as numbers, a date of birth as dates: the name says PII
    hinted = detect_hinted_pii(values, name)
    if hinted is not None:
        kind, confidence = hinted
        return Column(name, "pii", missing_share, pii_kind=kind, confidence=round(confidence, 3))
    if pd.api.types.is_datetime64_any_dtype(values):
        return Column(name, "datetime", missing_share, format=None)
    if pd.api.types.is_numeric_dtype(values):
        return _detect_number_column(values, name, missing_share)

    text = _stripped(values) if text is None else text
    codes, uniques = pd.factorize(text)  # string checks run once per distinct value
    spellings = pd.Series(uniques, dtype=object)
    if distinct == 2 and frozenset(spellings.str.lower()) in _BOOLEAN_WORDS:
        return Column(name, "boolean", missing_share, n_categories=2)
    numbers = pd.to_numeric(spellings, errors="coerce")
    if numbers.notna().all():
        return _detect_number_column(pd.Series(numbers.to_numpy()[codes]), name, missing_share)
    fmt = _detect_datetime_format(spellings)
    if fmt is not None:
        return Column(name, "datetime", missing_share, format=fmt)
    if _mixed_datetimes(spellings):  # dates in several formats: dates, sampled as ISO stamps
        return Column(name, "datetime", missing_share, format=None)

    found = detect_pii(text, name)
    if found is not None:
        kind, confidence = found
        return Column(name, "pii", missing_share, pii_kind=kind, confidence=round(confidence, 3))
    unique_share = distinct / len(values)
    if distinct == len(values) and len(values) >= 20 and not spellings.str.contains(r"\s").any():
        return Column(name, "id", missing_share, pattern=_string_pattern(text))
    counts = np.bincount(codes[codes >= 0])
    rare_rows = float(counts[counts < _RARE].sum()) / max(len(values), 1)
    if distinct > 50 and (unique_share > 0.5 or rare_rows > 0.5):
        # near-unique codes and short text (tickets, cabins, job titles) that no check found
        # personal: learned by frequent value and pattern (`lookalike.pii.codes`), not copied
        return Column(name, "pii", missing_share, pii_kind="code", confidence=0.5)
    return Column(name, "categorical", missing_share, n_categories=int(distinct))


def _stripped(values: pd.Series) -> pd.Series:
    """Values as stripped text, stripping each distinct value once."""
    codes, uniques = pd.factorize(values)
    stripped = pd.Series(uniques, dtype=object).astype(str).str.strip().to_numpy(dtype=object)
    return pd.Series(stripped[codes], index=values.index, dtype=object)


def _detect_number_column(values: pd.Series, name: str, missing_share: float) -> Column:
    """Numbers, unless their values pass a PII check (card numbers): then PII, whatever the
    column's name or dtype.
    """
    from lookalike.pii import detect_number_pii

    found = detect_number_pii(values)
    if found is not None:
        kind, confidence = found
        return Column(name, "pii", missing_share, pii_kind=kind, confidence=confidence)
    return _detect_numeric(values.astype(float), name, missing_share, len(values))


def _detect_numeric(values: pd.Series, name: str, missing_share: float, n: int) -> Column:
    array = values.to_numpy(dtype=float)
    finite = array[np.isfinite(array)]
    if len(finite) == 0:
        return Column(name, "constant", missing_share, value=None)
    integer = bool(np.all(finite == np.round(finite)))
    distinct = len(np.unique(finite))
    if integer and distinct == 2 and set(np.unique(finite)) <= {0.0, 1.0}:
        return Column(name, "boolean", missing_share, n_categories=2)
    if (
        integer
        and distinct == n
        and n >= 20
        and _ID_NAME.search(name)
        and np.all(np.diff(np.sort(finite)) == 1)
    ):
        return Column(name, "id", missing_share, pattern="int")
    return Column(
        name,
        "numerical",
        missing_share,
        integer=integer,
        decimals=0 if integer else _decimals(finite),
        min=json_value(finite.min()),
        max=json_value(finite.max()),
    )


def _decimals(values: np.ndarray, most: int = 8) -> int | None:
    sample = values[:5000]
    if np.abs(sample).max() > 1e12:
        return None
    for d in range(1, most + 1):
        scaled = sample * 10**d
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6 + 1e-12 * np.abs(scaled)):
            return d
    return None


def _detect_datetime_format(text: pd.Series) -> str | None:
    if not text.str.contains(r"\d").all() or text.str.len().max() > 40:
        return None
    sample = text.iloc[:500]
    for fmt in DATETIME_FORMATS:
        parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
        if parsed.notna().all() and parse_datetimes(text, fmt).notna().all():
            return fmt
    return None


def _mixed_datetimes(text: pd.Series) -> bool:
    """Whether every spelling looks like a date (numbers split by - / . or a month name with a
    year), though not all in one format, and parses as one when read with mixed formats.
    """
    if not len(text) or not text.str.contains(r"\d").all() or text.str.len().max() > 40:
        return False
    if not text.iloc[:2000].str.contains(_DATE_LIKE).all():
        return False
    return bool(parse_datetimes(text, None).notna().all())


def _string_pattern(text: pd.Series) -> str:
    r"""A template of the most common shape: 9 digit, A upper, a lower; `\\c` a fixed character.

    Characters that are the same in every id of that shape stay literal (`AB-00017` and
    `AB-00342` give `\\A\\B-99999`); other punctuation is literal as it is.
    """

    def shape(value: str) -> str:
        return "".join(
            "9" if c.isdigit() else "A" if c.isupper() else "a" if c.islower() else c for c in value
        )

    sample = text.iloc[:2000]
    shapes = sample.map(shape)
    common = str(shapes.value_counts().index[0])
    members = sample[shapes == common].tolist()
    out = []
    for i, char in enumerate(common):
        if char in "Aa":  # digits stay free: 00017 and 00342 share zeros only by chance
            column = {m[i] for m in members}
            out.append("\\" + column.pop() if len(column) == 1 and len(members) > 1 else char)
        else:
            out.append(char)
    return "".join(out)
