"""Drawing values from `cart`'s array trees: shrinkage towards ancestors, smoothed numbers
from a leaf's pool, draws restricted to a range, and condition rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.models._rake import raked_draw
from lookalike.models._trees import _LEAF

_REDRAWS = 8  # tries to redraw a pooled rare category from the same leaf before the marginal


def _back_off(
    tree: dict[str, np.ndarray], node: np.ndarray, strength: float, rng: np.random.Generator
) -> np.ndarray:
    """Move each row from its leaf to the parent with probability strength / (strength + rows),
    and so on up: hierarchical shrinkage of small leaves towards their ancestors.
    """
    if strength <= 0 or len(tree["left"]) == 1:
        return node
    parent, count = tree["parent"], tree["count"]
    node = node.copy()
    active = np.arange(len(node))
    while len(active):
        at = node[active]
        up = (rng.random(len(active)) * (strength + count[at]) < strength) & (parent[at] >= 0)
        active = active[up]
        node[active] = parent[node[active]]
    return node


def _smooth_draw(
    pool: np.ndarray,
    start: np.ndarray,
    count: np.ndarray,
    common: np.ndarray,
    rng: np.random.Generator,
    smoothing: float,
) -> np.ndarray:
    """Numbers from each leaf: common values copied, rare ones smoothed.

    A leaf's slice holds its common values (shared by many rows) first, then its rare ones. A
    draw that lands on the common part copies that value (point masses stay exact); one that lands
    on the rare part is read off the rare values' quantile function with linear interpolation,
    so a number that few people share is never emitted as it is.
    """
    u = rng.random(len(start)) * count
    out = pool[start + np.minimum(u.astype(np.int64), np.maximum(count - 1, 0))]
    rare = np.flatnonzero(u >= common)
    if len(rare) and smoothing > 0:
        size = (count - common)[rare]
        position = (u[rare] - common[rare]) / size * np.maximum(size - 1, 0)
        low = position.astype(np.int64)
        high = np.minimum(low + 1, np.maximum(size - 1, 0))
        base = start[rare] + common[rare]
        a, b = pool[base + low], pool[base + high]
        out[rare] = a + smoothing * (position - low) * (b - a)
    return out


def _truncated_draw(
    tree: dict[str, np.ndarray],
    lo: float,
    hi: float,
    n: int,
    rng: np.random.Generator,
    smoothing: float,
) -> np.ndarray:
    """Marginal draws restricted to [lo, hi] (for a condition on a column drawn first)."""
    pool = tree["pool"]
    inside = (pool >= lo) & (pool <= hi)
    is_common = np.arange(len(pool)) < tree["common"][0]
    sub = np.concatenate([pool[inside & is_common], pool[inside & ~is_common]])
    if not len(sub):
        return np.full(n, np.nan)  # nothing in range: every row is rejected
    zero = np.zeros(n, np.int64)
    common = np.full(n, int((inside & is_common).sum()))
    return _smooth_draw(sub, zero, np.full(n, len(sub)), common, rng, smoothing)


def _meets(column: np.ndarray, rule: Any) -> np.ndarray:
    if rule[0] == "code":
        return column == rule[1]
    return (column >= rule[1]) & (column <= rule[2])


def _timestamp_seconds(value: Any) -> float:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return float((stamp - pd.Timestamp(0)) / pd.Timedelta(seconds=1))


def leaf_draw(
    model: Any,
    tree: dict[str, np.ndarray],
    node: np.ndarray,
    j: int,
    rng: np.random.Generator,
    rule: Any,
    features: np.ndarray | None = None,
) -> np.ndarray:
    """Column j's values from these nodes of one of its trees (after shrinkage towards their
    ancestors): numbers smoothed, a pooled rare category redrawn, a category condition clamped.
    """
    node = _back_off(tree, node, getattr(model, "shrinkage_", model.shrinkage), rng)
    start, count, pool = tree["start"][node], tree["count"][node], tree["pool"]
    if not model.discrete_[j]:
        if rule is not None and rule[0] == "range" and len(tree["left"]) == 1:
            return _truncated_draw(tree, rule[1], rule[2], len(node), rng, model.smoothing)
        if (tree["left"][node] != _LEAF).any():  # a leaf under it, by its share of rows
            element = start + (rng.random(len(node)) * count).astype(np.int64)
            node = tree["leaf"][np.minimum(element, len(pool) - 1)]
            start, count = tree["start"][node], tree["count"][node]
        return _smooth_draw(pool, start, count, tree["common"][node], rng, model.smoothing)
    code = model.pooled_code_[j]
    if "rake_weight" in tree and features is not None:
        asked = rule is not None and rule[0] == "code"  # a pooled category may be asked for
        return raked_draw(tree, node, features, 0 if asked else code, rng)
    out = pool[start + (rng.random(len(node)) * count).astype(np.int64)]
    if rule is not None and rule[0] == "code":
        if len(tree["left"]) == 1:  # a marginal: clamp, nothing to reject
            return np.full(len(node), float(rule[1]))
        return out
    if code > 0:  # a pooled rare category is redrawn, never emitted
        for _ in range(_REDRAWS):
            again = np.flatnonzero(out == code)
            if not len(again):
                break
            pick = rng.random(len(again)) * count[again]
            out[again] = pool[start[again] + pick.astype(np.int64)]
        again = np.flatnonzero(out == code)
        if len(again):
            common = pool[pool < code]
            if len(common):
                out[again] = common[rng.integers(len(common), size=len(again))]
    return out
