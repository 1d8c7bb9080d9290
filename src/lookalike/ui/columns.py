"""What the Data page shows about each column: its kind, why it was detected, and kind changes."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from lookalike.errors import DataError
from lookalike.kinds import PERSONAL_KINDS
from lookalike.metadata import KINDS, Column, Metadata, detect_column

KIND_WORDS = {  # what each kind means, for people who have not read the README
    "numerical": "a number: its distribution and range are kept",
    "categorical": "one of a set of values: every value and its share are kept",
    "boolean": "two values (yes/no, 0/1): the share of each is kept",
    "datetime": "a date or a time, in the same format",
    "id": "a key: new unique values in the same pattern, never a real one",
    "pii": "personal data: replaced by realistic fakes, never learned",
    "constant": "the same value in every row",
}


def _few(values: pd.Series, n: int = 3) -> str:
    shown = [str(v) for v in values.dropna().unique()[:n]]
    return ", ".join(shown)


def _reason_number(column: Column, series: pd.Series) -> str:
    whole = "whole numbers" if column.integer else "numbers with decimals"
    return f"{whole} from {column.min} to {column.max}"


def _reason_datetime(column: Column, series: pd.Series) -> str:
    how = f"the format {readable_format(column.format)}" if column.format else "dates"
    return f"every value reads as a date in {how}"


def _reason_pii(column: Column, series: pd.Series) -> str:
    if column.pii_kind in (None, "text") and column.confidence == 0.5:
        return "most values are different (free text or codes): treated as personal"
    sure = f" ({column.confidence:.0%} sure)" if column.confidence is not None else ""
    return f"values look like {(column.pii_kind or 'text').replace('_', ' ')}{sure}"


_REASONS: dict[str, Callable[[Column, pd.Series], str]] = {  # why a column got its kind
    "numerical": _reason_number,
    "categorical": lambda c, s: f"{s.nunique()} different values, such as {_few(s)}",
    "boolean": lambda c, s: f"only two values: {_few(s, 2)}",
    "datetime": _reason_datetime,
    "id": lambda c, s: f"every value is different ({s.nunique()} of {len(s)}), like a key",
    "pii": _reason_pii,
    "constant": lambda c, s: (
        "every row has the same value" if s.notna().any() else "every value is empty"
    ),
}


def reason(column: Column, series: pd.Series) -> str:
    """One sentence on why this column got its kind (or that the user chose it)."""
    explain = _REASONS.get(column.kind)
    return explain(column, series) if explain else ""


_FORMAT_WORDS = {"%Y": "YYYY", "%m": "MM", "%d": "DD", "%H": "hh", "%M": "mm", "%S": "ss"}
_FORMAT_WORDS.update({"%f": "ffffff", "%b": "Mon", "%B": "Month", "%z": "+hhmm"})


def readable_format(fmt: str) -> str:
    """`%d/%m/%Y` -> `DD/MM/YYYY`."""
    for code, word in _FORMAT_WORDS.items():
        fmt = fmt.replace(code, word)
    return fmt


def column_rows(frame: pd.DataFrame, metadata: Metadata, chosen: dict[str, str]) -> list[dict]:
    """One row per column for the Data page's table."""
    rows = []
    for name, column in metadata.columns.items():
        why = reason(column, frame[name])
        if name in chosen:
            why = f"you chose {column.kind} (detected: {chosen[name]})"
        rows.append(
            {
                "name": name,
                "kind": column.kind,
                "pii_kind": column.pii_kind or "",
                "missing": f"{column.missing_share:.1%}",
                "reason": why,
                "meaning": KIND_WORDS.get(column.kind, ""),
            }
        )
    return rows


def retype(series: pd.Series, name: str, kind: str, pii_kind: str | None = None) -> Column:
    """The column as `kind`, with the facts that kind needs; DataError when the values do not fit.

    The detected column is kept when it already has that kind.
    """
    if kind not in KINDS:
        raise DataError(f"column {name!r}: unknown kind {kind!r}; use one of {', '.join(KINDS)}.")
    detected = detect_column(series, name)
    if kind == detected.kind and (kind not in PERSONAL_KINDS or not pii_kind):
        return detected
    return _RETYPES[kind](series, name, detected, pii_kind)


def _as_numerical(series: pd.Series, name: str, detected: Column, pii_kind: str | None) -> Column:
    numbers = pd.to_numeric(series, errors="coerce")
    bad = series[numbers.isna() & series.notna()]
    if len(bad):
        raise DataError(
            f"column {name!r} has non-numeric value(s) such as {bad.iloc[0]!r}; it cannot "
            "be numerical. Keep it categorical."
        )
    values = numbers.dropna()
    whole = bool((values == values.round()).all())
    low, high = (float(values.min()), float(values.max())) if len(values) else (None, None)
    return Column(
        name,
        "numerical",
        detected.missing_share,
        integer=whole,
        decimals=0 if whole else None,
        min=_plain(low),
        max=_plain(high),
    )


def _as_categorical(series: pd.Series, name: str, detected: Column, pii_kind: str | None) -> Column:
    return Column(name, "categorical", detected.missing_share, n_categories=int(series.nunique()))


def _as_boolean(series: pd.Series, name: str, detected: Column, pii_kind: str | None) -> Column:
    if series.nunique() > 2:
        raise DataError(
            f"column {name!r} has {series.nunique()} different values; a boolean has two. "
            "Keep it categorical."
        )
    return Column(name, "boolean", detected.missing_share, n_categories=2)


def _as_id(series: pd.Series, name: str, detected: Column, pii_kind: str | None) -> Column:
    pattern = "int" if pd.api.types.is_integer_dtype(series.dropna()) else None
    return Column(name, "id", detected.missing_share, pattern=pattern)


def _as_pii(series: pd.Series, name: str, detected: Column, pii_kind: str | None) -> Column:
    from lookalike.pii.fakes import KINDS as FAKE_KINDS

    chosen = pii_kind or detected.pii_kind or "text"
    if chosen not in FAKE_KINDS:
        raise DataError(
            f"column {name!r}: unknown personal-data kind {chosen!r}; use one of "
            f"{', '.join(FAKE_KINDS)}."
        )
    return Column(name, "pii", detected.missing_share, pii_kind=chosen)


def _as_constant(series: pd.Series, name: str, detected: Column, pii_kind: str | None) -> Column:
    value = series.dropna().iloc[0] if series.notna().any() else None
    return Column(name, "constant", detected.missing_share, value=_plain(value))


_RETYPES: dict[str, Callable[[pd.Series, str, Column, str | None], Column]] = {
    "numerical": _as_numerical,
    "categorical": _as_categorical,
    "boolean": _as_boolean,
    "datetime": lambda series, name, detected, pii_kind: _as_datetime(
        series, name, detected.missing_share
    ),
    "id": _as_id,
    "pii": _as_pii,
    "constant": _as_constant,
}


def _as_datetime(series: pd.Series, name: str, missing: float) -> Column:
    from lookalike.values import DATETIME_FORMATS

    text = series.dropna().astype(str).str.strip()
    for fmt in DATETIME_FORMATS:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if len(text) and parsed.notna().all():
            return Column(name, "datetime", missing, format=fmt)
    raise DataError(
        f"column {name!r}: values such as {_few(series, 1)!r} do not read as dates; keep its "
        "detected kind."
    )


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def preview(frame: pd.DataFrame, n: int = 10) -> dict[str, Any]:
    """The first `n` rows as text cells (empty for missing), for an HTML table."""
    head = frame.head(n)
    cells = [["" if pd.isna(v) else str(v) for v in row] for row in head.itertuples(index=False)]
    return {"columns": [str(c) for c in frame.columns], "rows": cells}
