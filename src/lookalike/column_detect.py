"""Detect a column's kind and facts from its values (and, for ids and PII, its name).

`detect_column` is what `Metadata.detect` runs on every column: booleans, PII (by values and by
name hints, `lookalike.pii.detect`), numbers, dates, ids, near-unique codes and categories, in
that order. A text column of dates with a few junk cells ("n/a?", "unknown") is still a date
column when at least `DATE_SHARE` of its present values parse: the junk cells count as missing.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lookalike.column import Column
from lookalike.values import DATE_SHARE, DATETIME_FORMATS, is_text, json_value, parse_datetimes

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
    if hinted is not None and hinted[0] == BIRTH_DATE:
        birth = _birth_date(values, name, missing_share)
        if birth is not None:
            return birth
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
    dates = _mostly_dates(spellings, np.bincount(codes[codes >= 0], minlength=len(spellings)))
    if dates is not None:  # dates with a few junk cells ("n/a?"): those cells are missing
        fmt, junk = dates
        return Column(name, "datetime", round(1 - (len(values) - junk) / n, 6), format=fmt)

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


BIRTH_DATE = "date_of_birth"  # the pii_kind a birth date learned as a date keeps, as a marker


def _birth_date(values: pd.Series, name: str, missing_share: float) -> Column | None:
    """A date of birth is learned as a date (kind "datetime", pii_kind "date_of_birth" kept as
    a marker that `inspect`, the web app and `anonymize` see): it anchors a table's timeline
    (a death, a visit, a career) and its ages, which a fake would break. It stays a
    quasi-identifier like any learned column (never copied: rare values are smoothed, rare rows
    redrawn); setting its "kind" to "pii" in the metadata JSON fakes it instead.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return Column(name, "datetime", missing_share, format=None, pii_kind=BIRTH_DATE)
    spellings = pd.Series(_stripped(values).unique(), dtype=object)
    fmt = _detect_datetime_format(spellings)
    if fmt is None:
        return None
    return Column(name, "datetime", missing_share, format=fmt, pii_kind=BIRTH_DATE)


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


def _mostly_dates(spellings: pd.Series, counts: np.ndarray) -> tuple[str | None, int] | None:
    """(format, rows that do not parse) when at least `DATE_SHARE` of the rows are dates in one
    format (None: in mixed formats), else None. `counts` holds each spelling's rows.
    """
    rows = int(counts.sum())
    looks = (spellings.str.contains(r"\d") & (spellings.str.len() <= 40)).to_numpy(dtype=bool)
    if not rows or counts[looks].sum() < DATE_SHARE * rows:
        return None
    sample = spellings[looks].iloc[:500]
    best: tuple[str | None, int] | None = None
    for fmt in DATETIME_FORMATS:
        if parse_datetimes(sample, fmt).notna().mean() < 0.9:
            continue
        parsed = parse_datetimes(spellings, fmt).notna().to_numpy()
        junk = int(counts[~parsed].sum())
        if junk <= (1 - DATE_SHARE) * rows and (best is None or junk < best[1]):
            best = (fmt, junk)
    if best is not None:
        return best
    like = looks & spellings.str.contains(_DATE_LIKE).to_numpy(dtype=bool)
    if counts[like].sum() < DATE_SHARE * rows:
        return None
    parsed = like.copy()
    parsed[like] = parse_datetimes(spellings[like], None).notna().to_numpy()
    junk = int(counts[~parsed].sum())
    return (None, junk) if junk <= (1 - DATE_SHARE) * rows else None


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
