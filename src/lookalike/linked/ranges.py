"""A synthetic table at full size spans its columns' training range.

A table model draws its extremes by chance: a value that one training row holds (the 43-inch,
65-pound player of the baseball table) comes out in some samples and not in others, and cart's
honest, smoothed leaves make a lone extreme rarer still. Scores that bin each side on its own
range (SDMetrics' pair trends: 10 equal-width bins from each table's min to its max) then move
by up to 0.1 from one seed to the next on one row in 16,000.

So when a table is sampled at scale 1 or more without conditions, each number column whose
sample stops short of the training minimum or maximum (kept in its metadata, as the model file
already holds them) has that end moved onto the sample's own most extreme row: the row that is
already nearest gets the value, nothing else of it changes. Each end goes to a different row, so
no synthetic row gathers several real extremes (the real outlier row is not rebuilt). Columns of
a constraint are left alone (a moved value could break it), as are ordered children (a sequence
model's steps would lose their order) and date columns (their range is not kept as a fact).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.kinds import PLAIN_NUMBER_KINDS
from lookalike.metadata import Metadata


def span_columns(meta: Metadata, own: list[str], order_by: str | None) -> list[str]:
    """The columns of a table whose sample should reach the training min and max."""
    from lookalike.constraints import parse

    ruled = {c for spec in meta.constraints for c in parse(spec).columns()}
    out = []
    for name in own:
        column = meta.columns.get(name)
        if column is None or column.kind not in PLAIN_NUMBER_KINDS or name == order_by:
            continue
        if column.min is None or column.max is None or name in ruled:
            continue
        out.append(name)
    return out


def reach_range(chunk: pd.DataFrame, meta: Metadata, columns: list[str]) -> pd.DataFrame:
    """`chunk` with each column's training min and max on its most extreme row (see above)."""
    moved: set[int] = set()
    for name in columns:
        if name not in chunk or not pd.api.types.is_numeric_dtype(chunk[name]):
            continue
        values = chunk[name].to_numpy(dtype=float, na_value=np.nan, copy=True)
        column = meta.columns[name]
        for end, sign in ((column.min, 1.0), (column.max, -1.0)):
            present = np.flatnonzero(~np.isnan(values))
            if len(present) < 2 or end is None or (sign * (values[present] - end) <= 0).any():
                continue  # the sample already reaches (or passes) this end
            ranked = present[np.argsort(sign * values[present], kind="stable")]
            row = next((int(i) for i in ranked if int(i) not in moved), None)
            if row is None:
                continue
            moved.add(row)
            values[row] = end
            chunk.iloc[row, chunk.columns.get_loc(name)] = _cast(chunk[name], end)
    return chunk


def _cast(series: pd.Series, value: float) -> Any:
    return round(value) if pd.api.types.is_integer_dtype(series) else float(value)
