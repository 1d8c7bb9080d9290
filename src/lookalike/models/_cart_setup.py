"""`cart`'s set-up: the default minimum leaf size, the column order and pooled rare codes (its
parameters are checked by the declarations in `cart.CARTSynthesizer.params`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.kinds import CATEGORY_KINDS, TWO_VALUE_KINDS
from lookalike.transform import NULL_SUFFIX


def pooled_code(model: Any, encoded: pd.DataFrame, column: str, discrete: bool) -> int:
    """First rare code of a categorical column (codes are by frequency), or -1 for none."""
    if not discrete or not model.rare_count or column.endswith(NULL_SUFFIX):
        return -1
    if model.transformer_.metadata_.columns[column].kind not in CATEGORY_KINDS - TWO_VALUE_KINDS:
        return -1
    counts = np.bincount(encoded[column].to_numpy(), minlength=1)
    rare = np.flatnonzero(counts < model.rare_count)  # a tail: codes go by frequency
    return int(rare[0]) if len(rare) else -1


def auto_min_leaf(n: int) -> int:
    """The default minimum leaf size for n training rows: grows with the square root of n."""
    return int(np.clip(round(np.sqrt(n) / 8), 10, 200))


_PRUNE_FROM = 2000  # "auto" prunes tables of at least this many rows
_AUTO_PRUNE = 0.05  # ... with this slack


def auto_prune(prune: float | str | None, n: int) -> float | None:
    """The pruning slack a fit of n rows uses: "auto" is 0.05 from 2,000 rows, None below.

    Measured (BENCHMARKS.md, issue 18, third session): adult seeds 0-2 DCR share 0.518-0.523 ->
    0.508-0.520 at C2ST 0.517-0.523 (target 0.53); creditcard every seed DCR <= 0.518 (was up
    to 0.532), quality median 0.958; 2,000-row adult subsamples: worst DCR 0.589 -> 0.558, rate
    ratio 1.087 -> 1.05. Below 2,000 rows pruning costs TSTR/TRTR and small groups' fidelity.
    """
    if prune == "auto":
        return _AUTO_PRUNE if n >= _PRUNE_FROM else None
    return None if prune is None else float(prune)


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
