"""Relations `cart` keeps exact rather than learns: a number that is a linear function of an
earlier one, and pairs of few-valued columns' values that never occur together (structural zeros).
"""

from __future__ import annotations

from typing import Any

import numpy as np

_MAX_LEVELS = 100  # columns with more distinct values take no part in structural zeros
_STRUCTURAL = 10.0  # a pair never seen is ruled out when independence expects this many rows


def _linear_copies(raw: np.ndarray, discrete: list[bool]) -> list[tuple[int, float, float]]:
    """Per column: (earlier column, offset, slope) when it is a linear function of that column
    in the data (a total's difference column equal to a part, a unit conversion), else (-1, 0, 0).

    Trees only approximate such exact relations; drawing the copy keeps them exact.
    """
    out: list[tuple[int, float, float]] = [(-1, 0.0, 0.0)] * raw.shape[1]
    if len(raw) < 3:
        return out
    spread = raw.std(axis=0)
    kept = [j for j in range(raw.shape[1]) if not discrete[j] and spread[j] > 0]
    if len(kept) < 2:
        return out
    corr = np.corrcoef(raw[:, kept], rowvar=False)
    for b, j in enumerate(kept):
        for a, i in enumerate(kept[:b]):
            if abs(corr[a, b]) > 1 - 1e-6:
                slope = float(np.cov(raw[:, i], raw[:, j])[0, 1] / raw[:, i].var(ddof=1))
                out[j] = (i, float(raw[:, j].mean() - slope * raw[:, i].mean()), slope)
                break
    return out


def _structural_zeros(
    raw: np.ndarray,
) -> tuple[list[np.ndarray], list[list[tuple[int, np.ndarray]]]]:
    """Per column: its distinct values (when few) and, per earlier few-valued column, the pairs
    of values never seen together although independence would expect many such rows.

    Such zeros are the data's logic, not chance; sampling never emits them. Only counts this
    large are used, so the absence of a rare combination of a few people reveals nothing.
    """
    n, p = raw.shape
    levels: list[np.ndarray] = []
    index: list[np.ndarray | None] = []
    for j in range(p):
        distinct, inverse = np.unique(raw[:, j], return_inverse=True)
        few = 2 <= len(distinct) <= _MAX_LEVELS and not np.isnan(distinct).any()
        levels.append(distinct if few else np.zeros(0))
        index.append(inverse.reshape(-1) if few else None)
    zeros: list[list[tuple[int, np.ndarray]]] = [[] for _ in range(p)]
    for j in range(p):
        at_j = index[j]
        if at_j is None:
            continue
        for i in range(j):
            at_i = index[i]
            if at_i is None:
                continue
            size_i, size_j = len(levels[i]), len(levels[j])
            counts = np.bincount(at_i * size_j + at_j, minlength=size_i * size_j)
            counts = counts.reshape(size_i, size_j)
            expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / n
            zero = (counts == 0) & (expected >= _STRUCTURAL)
            if zero.any():
                zeros[j].append((i, zero))
    return levels, zeros


def _level_index(levels: np.ndarray, column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of each value among `levels`, and whether it is one of them."""
    if not len(levels):
        return np.zeros(len(column), dtype=np.int64), np.zeros(len(column), dtype=bool)
    at = np.clip(np.searchsorted(levels, column), 0, len(levels) - 1)
    return at, levels[at] == column


def ruled_out(
    model: Any,
    j: int,
    values: np.ndarray,
    column: np.ndarray,
    index: dict[int, tuple[np.ndarray, np.ndarray]],
    rows: np.ndarray,
) -> np.ndarray:
    """Which of these rows' values of column j form a structural zero with an earlier
    column (`index` caches each earlier column's level positions for all rows).
    """
    bad = np.zeros(len(column), dtype=bool)
    at_j, ok_j = _level_index(model.levels_[j], column)
    for i, zero in model.zeros_[j]:
        if i not in index:
            index[i] = _level_index(model.levels_[i], values[:, i])
        at_i, ok_i = index[i][0][rows], index[i][1][rows]
        bad |= ok_i & ok_j & zero[at_i, at_j]
    return bad


def allowed_draw(
    model: Any, j: int, rows: np.ndarray, column: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Column j drawn from its marginal among the values each row's earlier values allow
    (a row nothing is allowed for keeps its value).
    """
    levels = model.levels_[j]
    pool = model.trees_[j][0]["pool"]
    at, ok = _level_index(levels, pool)
    weight = np.bincount(at[ok], minlength=len(levels)).astype(float)
    code = model.pooled_code_[j]
    if code >= 0:
        weight[levels >= code] = 0.0  # pooled rare categories are never drawn
    allowed = np.ones((len(rows), len(levels)), dtype=bool)
    for i, zero in model.zeros_[j]:
        at_i, ok_i = _level_index(model.levels_[i], rows[:, i])
        allowed &= ~(zero[at_i] & ok_i[:, None])
    cumulative = np.cumsum(allowed * weight, axis=1)
    total = cumulative[:, -1]
    u = rng.random(len(rows)) * total
    pick = np.minimum((cumulative <= u[:, None]).sum(axis=1), len(levels) - 1)
    return np.where(total > 0, levels[pick], column)
