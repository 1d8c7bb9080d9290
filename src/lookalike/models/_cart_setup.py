"""`cart`'s set-up: the default minimum leaf size, parameter checks and the column order."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.transform import NULL_SUFFIX
from lookalike.values import check_whole


def auto_min_leaf(n: int) -> int:
    """The default minimum leaf size for n training rows: grows with the square root of n."""
    return int(np.clip(round(np.sqrt(n) / 8), 10, 200))


def _check_params(model: Any) -> None:
    from lookalike.errors import DataError

    if model.min_leaf is not None:
        check_whole(model.min_leaf, "cart: min_leaf")
    if not 0 <= model.spikes <= 1:
        raise DataError(f"cart: spikes must be between 0 and 1, got {model.spikes!r}.")
    if not 0 <= model.smoothing <= 1:
        raise DataError(f"cart: smoothing must be between 0 and 1, got {model.smoothing!r}.")
    if model.rare_count < 0:
        raise DataError(f"cart: rare_count must be 0 or more, got {model.rare_count!r}.")
    if model.copy_count < 0:
        raise DataError(f"cart: copy_count must be 0 or more, got {model.copy_count!r}.")
    if model.max_time is not None and model.max_time <= 0:
        raise DataError(f"cart: max_time must be positive, got {model.max_time!r}.")


def _column_order(encoded: pd.DataFrame, order: str | list[str]) -> list[str]:
    """Columns with at most three categories first ("few"), by number of distinct values
    ("auto") or as in the table ("table").

    Few-valued columns first and near-unique numbers last means no tree splits on a near-unique
    number (which would act as a row key and chain a synthetic row to one real row). Missing-value
    flags come just before their column; columns named in a list `order` come first.
    """
    from lookalike.errors import DataError

    columns = list(encoded.columns)
    if isinstance(order, str) and order not in ("few", "auto", "table"):
        raise DataError(
            f"cart: order must be 'few', 'auto', 'table' or a list of columns, got {order!r}."
        )
    distinct = {c: encoded[c].nunique() for c in columns}
    if order == "auto":
        columns = sorted(columns, key=lambda c: distinct[c])
    if order == "few":  # labels and flags first, fewest categories first
        integer = {c for c in columns if np.issubdtype(encoded[c].dtype, np.integer)}
        few = sorted((c for c in columns if c in integer and distinct[c] <= 3), key=distinct.get)
        columns = few + [c for c in columns if c not in few]
    flags = {c for c in columns if c.endswith(NULL_SUFFIX)}
    out: list[str] = []
    for c in columns:
        if c in flags:
            continue
        if c + NULL_SUFFIX in flags:
            out.append(c + NULL_SUFFIX)
        out.append(c)
    out += [c for c in columns if c in flags and c not in out]
    if isinstance(order, str):
        return out
    first: list[str] = []
    for name in order:
        wanted = [c for c in (name + NULL_SUFFIX, name) if c in out]
        if not wanted:
            raise DataError(f"cart: order names {name!r}, which is not a learned column.")
        first += [c for c in wanted if c not in first]
    return first + [c for c in out if c not in first]
