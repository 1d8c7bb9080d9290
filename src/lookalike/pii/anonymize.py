"""Pseudonymise the personal data of a real table: same rows, PII replaced consistently.

Every real value of a PII column is replaced by a fake of the same kind and shape (a phone
written "(555) 123-4567" stays in that format, a ticket "PC 17599" becomes "PC 40281"). The fake
is a function of (secret, kind, value) only: the same person gets the same fake in every row,
in every column of that kind, and in every table anonymised with the same secret, while without
the secret the mapping cannot be rebuilt or reversed (keyed BLAKE2b, a MAC). Fakes never equal a
real value of the column. Dates of birth are shifted by a keyed offset of up to a year, so ages
stay roughly right but the exact date is gone.

Other columns (numbers, categories, dates, row ids) are kept as they are: this removes direct
identifiers, it does not make a table safe against linkage on quasi-identifiers (age, postcode
area, ...). Use a synthetic model for that.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np
import pandas as pd

from lookalike.column_detect import BIRTH_DATE
from lookalike.errors import DataError
from lookalike.kinds import CATEGORY_KINDS, CONSTANT_KINDS, PERSONAL_KINDS
from lookalike.metadata import Metadata
from lookalike.pii import fakes
from lookalike.pii.column_fakes import fake_like, fit_fakes, shaper
from lookalike.pii.detect import detect_hinted_pii
from lookalike.pii.names import sex_slots
from lookalike.pii.sex import female_mask, pick_sex_column
from lookalike.pii.value_filter import normal
from lookalike.values import DATETIME_FORMATS


def anonymize(
    data: Any,
    *,
    metadata: Metadata | None = None,
    secret: str | bytes | None = None,
    random_state: int | None = None,
    locale: str = "en_US",
) -> pd.DataFrame:
    """Return a copy of `data` with its PII columns pseudonymised.

    Args:
        data: a DataFrame or a .csv/.parquet path.
        metadata: column kinds; columns of kind "pii" (with their `pii_kind`) are replaced.
            Detected when omitted (and then columns whose name and values say PII, such as
            card numbers stored as integers or a `date_of_birth`, are replaced too).
        secret: the key of the pseudonyms. Keep it to get the same pseudonyms next time; without
            it (and without `random_state`) a random key is used and thrown away.
        random_state: a seed used as the key when no secret is given: reproducible, but a seed
            is guessable, so prefer a real secret when the mapping must not be rebuilt.
        locale: Faker locale for names, emails and other pooled fakes.

    Example:
        >>> real = pd.DataFrame({"email": ["ann@x.org", "bo@y.com", "ann@x.org"], "n": [1, 2, 3]})
        >>> out = anonymize(real, secret="k")
        >>> out["email"][0] == out["email"][2] != "ann@x.org"
        True
    """
    if not isinstance(data, pd.DataFrame):
        from lookalike.io.files import read_table

        data = read_table(data)
    detected = metadata is None
    metadata = Metadata.detect(data) if metadata is None else metadata
    metadata.validate(data)
    key = _key(secret, random_state)
    sex = _sex_column(data, metadata)
    out = data.copy()
    for name, column in metadata.columns.items():
        # a date of birth is learned as a date by the models, but anonymize replaces it
        personal = column.kind in PERSONAL_KINDS or column.pii_kind == BIRTH_DATE
        kind = column.pii_kind if personal else None
        if kind is None and detected and column.kind not in CONSTANT_KINDS:
            found = detect_hinted_pii(data[name], name)
            kind = found[0] if found else None
        if kind is None:
            continue
        follows = sex if kind in ("name", "first_name") and sex is not None else None
        out[name] = pseudonymise(data[name], kind or "text", key, locale=locale, sex=follows)
    return out


def _key(secret: str | bytes | None, random_state: int | None) -> bytes:
    if secret is not None:
        if not secret:
            raise DataError("the secret is empty; give a long random string or leave it out.")
        return secret.encode() if isinstance(secret, str) else bytes(secret)
    if random_state is not None:
        return f"lookalike-seed:{int(random_state)}".encode()
    return os.urandom(32)


def _sex_column(data: pd.DataFrame, metadata: Metadata) -> pd.Series | None:
    """The table's sex/gender column (values such as F/M, female/male), if it has one."""
    candidates = {
        str(name): data[name].dropna().unique()[:20]
        for name, column in metadata.columns.items()
        if column.kind in CATEGORY_KINDS and data[name].nunique() <= 10
    }
    found = pick_sex_column(candidates)
    return None if found is None else data[found]


def pseudonymise(
    series: pd.Series,
    kind: str,
    key: bytes,
    *,
    locale: str = "en_US",
    sex: pd.Series | None = None,
) -> pd.Series:
    """Replace each value of `series` by a keyed fake of `kind`; equal values, equal fakes.

    With `sex` (a sex/gender column, `pii.sex`), names and first names get female first names
    where the rows of a value are mostly female, male ones where they are mostly male.
    """
    missing = series.isna().to_numpy().copy()
    plain = series
    if pd.api.types.is_float_dtype(series) and (series.dropna() == series.dropna().round()).all():
        plain = series.astype("Int64")  # 12345.0 (a ZIP code read with blanks) is "12345"
    text = plain.astype(str).str.strip()
    missing |= text.eq("").to_numpy()
    present = text[~missing]
    distinct, inverse = np.unique(present.to_numpy(dtype=str), return_inverse=True)
    distinct = distinct.astype(object)
    keys = fakes.row_keys([normal(v) for v in distinct], key, kind)
    draw = fakes.KeyedRandom(keys)
    if kind == "date_of_birth":
        replaced = _shift_dates(distinct, draw)
    else:
        state = fit_fakes(pd.Series(distinct), kind)
        shapes = _shapes(distinct, kind, state)
        if sex is not None:
            shapes = _sexed(shapes, distinct, inverse, sex[~missing], keys)
        replaced = fake_like(state, len(distinct), draw, locale, templates=shapes)
    values = np.empty(len(series), dtype=object)
    values[~missing] = replaced[inverse]
    values[missing] = None
    result = pd.Series(values, index=series.index, name=series.name)
    return _restore_dtype(result, series)


def _shapes(distinct: np.ndarray, kind: str, state: dict[str, Any]) -> np.ndarray | None:
    """Each real value's own shape, so every replacement keeps its format."""
    shape = shaper(kind, distinct, 5)
    return None if shape is None else np.array([shape(v) for v in distinct], dtype=object)


def _sexed(
    shapes: Any, distinct: np.ndarray, inverse: np.ndarray, sex: pd.Series, keys: np.ndarray
) -> Any:
    """Name shapes whose first names are female or male as the rows of each value mostly are
    (first names of neither: female or male by a keyed coin).
    """
    female, male = female_mask(sex.to_numpy(dtype=object))
    count = np.maximum(np.bincount(inverse, minlength=len(distinct)), 1)
    share_f = np.bincount(inverse, weights=female, minlength=len(distinct)) / count
    share_m = np.bincount(inverse, weights=male, minlength=len(distinct)) / count
    coin = fakes.KeyedRandom(keys, stream=7).random(len(distinct)) < 0.5
    return sex_slots(shapes, share_f > 0.5, share_m > 0.5, coin)


def _shift_dates(distinct: np.ndarray, draw: fakes.KeyedRandom) -> np.ndarray:
    text = pd.Series(distinct)
    fmt = next(
        (
            f
            for f in DATETIME_FORMATS
            if pd.to_datetime(text, format=f, errors="coerce").notna().all()
        ),
        None,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(text, format=fmt or "mixed", errors="coerce")
    offsets = draw.integers(-365, 366, size=len(distinct))
    out = np.empty(len(distinct), dtype=object)
    todo = np.arange(len(distinct))
    real = set(distinct.tolist())
    for attempt in range(1, 50):  # never a real date of birth, this person's or another's
        step = offsets[todo]
        step = np.where(step == 0, 1, step)
        shifted = parsed.iloc[todo] + pd.to_timedelta(step, unit="D")
        out[todo] = shifted.dt.strftime(fmt or "%Y-%m-%d").to_numpy(dtype=object)
        todo = todo[[v in real for v in out[todo]]]
        if not len(todo):
            break
        offsets[todo] = fakes.KeyedRandom(draw.keys[todo], stream=attempt).integers(
            -365, 366, size=len(todo)
        )
    unreadable = parsed.isna().to_numpy()
    if unreadable.any():  # not a date after all: replace by a fake date
        out[unreadable] = fakes.make("date_of_birth", int(unreadable.sum()), draw)[
            : int(unreadable.sum())
        ]
    return out


def _restore_dtype(result: pd.Series, original: pd.Series) -> pd.Series:
    """Numbers stay numbers (card numbers or ZIP codes stored as integers), dates stay dates."""
    if pd.api.types.is_datetime64_any_dtype(original):
        return pd.to_datetime(result, errors="coerce")
    if pd.api.types.is_numeric_dtype(original) and not pd.api.types.is_bool_dtype(original):
        numbers = pd.to_numeric(result, errors="coerce")
        if numbers.notna().sum() == result.notna().sum():
            return numbers.astype("Int64") if original.isna().any() else numbers.astype("int64")
    return result
