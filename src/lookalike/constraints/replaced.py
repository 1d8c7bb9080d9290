"""The column a constraint's transform puts in place of the originals, and numbers back into a
column's written form: the parts `inequality`, `fixed_combinations` and `formula` share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lookalike.column import Column
from lookalike.constraints.checks import _as_integers
from lookalike.kinds import DATE_KINDS


def from_numbers(
    values: np.ndarray, column: Column, resolution: float | None, clip: bool = True
) -> pd.Series:
    """Numbers (or seconds) back into the column's written form."""
    if column.kind in DATE_KINDS:
        null = np.isnan(values)
        if resolution:
            values = np.round(values / resolution) * resolution
        stamps = pd.Series(
            pd.to_datetime(np.round(np.where(null, 0, values) * 1e9).astype("int64"), unit="ns")
        )
        if column.format:
            text = stamps.dt.strftime(column.format).astype(object)
            text[null] = None
            return text
        return stamps.mask(null)
    if clip and (column.min is not None or column.max is not None):
        lo = column.min if column.min is not None else -np.inf
        hi = column.max if column.max is not None else np.inf
        values = np.clip(values, lo, hi)
    if column.integer:
        return _as_integers(np.round(values))
    if column.decimals is not None:
        values = np.round(values, column.decimals)
    return pd.Series(values)


def replace_columns(
    frame: pd.DataFrame,
    columns: dict[str, Column],
    old: list[str],
    name: str,
    series: pd.Series,
    column: Column,
) -> tuple[pd.DataFrame, dict[str, Column]]:
    """Put `name` where the first of `old` was and drop the others."""
    position = list(frame.columns).index(old[0])
    frame = frame.drop(columns=old)
    frame.insert(min(position, frame.shape[1]), name, series.to_numpy())
    out: dict[str, Column] = {}
    for key, value in columns.items():
        if key == old[0]:
            out[name] = column
        elif key not in old:
            out[key] = value
    return frame, out
