"""CSV formula injection: text cells a spreadsheet would run as a formula are neutralised.

Excel, LibreOffice and Google Sheets evaluate a cell that starts with `=`, `+`, `-` or `@` (and
some read a leading tab or carriage return the same way), so a synthetic or anonymised CSV that
copies such text from its source could run `=HYPERLINK(...)` or worse when opened. CSV outputs
prefix those cells with a single quote (`'=1+2`), the usual mitigation (OWASP "CSV Injection"),
which spreadsheets show as text. Numbers are never touched, nor text that is a plain number
(`-3`, `+1.5e3`). `--allow-formulas` (CLI) or `allow_formulas=True` writes cells as they are.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every text cell that starts like a formula prefixed by a quote; columns that
    need no change are shared, not copied.
    """
    changed: dict[str, pd.Series] = {}
    for name in frame.columns:
        series = frame[name]
        if not (
            pd.api.types.is_object_dtype(series)
            or pd.api.types.is_string_dtype(series)
            or isinstance(series.dtype, pd.CategoricalDtype)
        ):
            continue
        fixed = _neutralise(series)
        if fixed is not None:
            changed[name] = fixed
    if not changed:
        return frame
    out = frame.copy(deep=False)
    for name, series in changed.items():
        out[name] = series
    return out


def _neutralise(series: pd.Series) -> pd.Series | None:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)  # each distinct value once
    values = np.asarray(uniques, dtype=object)
    risky = np.array([_risky(v) for v in values], dtype=bool)
    if not risky.any():
        return None
    values[risky] = [PREFIX + v for v in values[risky]]
    out = np.empty(len(codes), dtype=object)
    present = codes >= 0
    out[present] = values[codes[present]]
    out[~present] = None
    return pd.Series(out, index=series.index, name=series.name, dtype=object)


def _risky(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.match(value)
