"""Array decision trees for `cart`: growing, honest filling and pruning, leaf value pools.

A tree is a dict of arrays (children, feature, threshold, per-leaf slices into a sorted pool of
fill values), so model files stay JSON + numbers and a batch of rows walks down it vectorised.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from lookalike.models._rake import rake
from lookalike.models._recode import recoded, recoding

_LEAF = -1
_PRIOR = 2.0  # pseudo-rows of the parent's class shares in a node's estimate (for pruning)


def _with_spikes(rank: np.ndarray, y: np.ndarray, share: float) -> np.ndarray:
    """What a number's trees split on: its rank, plus an indicator per point mass."""
    distinct, counts = np.unique(y, return_counts=True)
    common = distinct[counts >= share * len(y)][:8]
    if not len(common):
        return rank
    return np.column_stack([rank, *(y == v for v in common)]).astype(float)


def _at(rows: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if rows is None else rows[index]


def _halves(n: int, rng: np.random.Generator) -> list[np.ndarray]:
    perm = rng.permutation(n)
    return [np.sort(perm[: n // 2]), np.sort(perm[n // 2 :])]


def _root_tree(y: np.ndarray, rare: np.ndarray | None) -> dict[str, np.ndarray]:
    """A one-leaf tree: the column's marginal."""
    arrays = {
        "left": np.array([_LEAF]),
        "right": np.array([_LEAF]),
        "feature": np.array([0]),
        "threshold": np.array([0.0]),
    }
    leaves = np.zeros(len(y), dtype=np.int64)
    return {**arrays, **_pools(leaves, y, rare, arrays["left"], arrays["right"])}


def _rare_values(y: np.ndarray, rare_count: int) -> np.ndarray:
    """Rows whose number is shared by fewer than `rare_count` rows: these are smoothed.

    Numbers many rows share (0, 40 hours, a common price) are copied, so point masses and value
    grids stay exact; smoothing them would make values that never occur (and are easy to spot).
    """
    _, inverse, counts = np.unique(y, return_inverse=True, return_counts=True)
    return np.asarray(counts[inverse] < max(rare_count, 2))


def _fill(
    est: Any,
    features: np.ndarray,
    target: np.ndarray,
    y: np.ndarray,
    rare: np.ndarray | None,
    min_fill: int,
    slack: float | None,
) -> dict[str, np.ndarray]:
    """Arrays of a fitted sklearn tree, its leaves filled with (features, y) rows.

    `target` is what the tree was fitted on (y, or its ranks for numbers).

    Unless `slack` is None, the (held-out) fill rows prune the tree: a split is undone when
    predicting with its children does not lower the fill rows' loss, or raises it by less than
    `slack` times the loss (reduced-error pruning), so splits that only fit noise in the growing
    half go. Splits whose children would hold fewer than
    `min_fill` fill rows are undone too.
    """
    tree = est.tree_
    discrete = hasattr(est, "classes_")
    left = tree.children_left.astype(np.int64).copy()
    right = tree.children_right.astype(np.int64).copy()
    arrays = {
        "left": left,
        "right": right,
        "feature": tree.feature.astype(np.int64).clip(0),
        "threshold": tree.threshold.astype(float),
    }
    leaves = _apply(arrays, features)
    counts = np.bincount(leaves, minlength=len(left))
    loss = _held_out_loss(est, leaves, target, discrete)
    subtree = loss.copy()
    for i in range(len(left) - 1, -1, -1):  # children have larger ids than their parent
        if left[i] == _LEAF:
            continue
        a, b = left[i], right[i]
        counts[i] = counts[a] + counts[b]
        split = subtree[a] + subtree[b]
        if slack is not None and split >= loss[i] * (1 + slack):  # other half disagrees: undo
            left[i] = right[i] = _LEAF
        else:
            subtree[i] = split
    for i in range(len(left)):
        if left[i] != _LEAF and (counts[left[i]] < min_fill or counts[right[i]] < min_fill):
            left[i] = right[i] = _LEAF
    leaves = _apply(arrays, features)
    return {**arrays, **_pools(leaves, y, rare, left, right)}


def _held_out_loss(est: Any, leaves: np.ndarray, y: np.ndarray, discrete: bool) -> np.ndarray:
    """Per node: loss of the fill rows under that node when predicted by the node's value."""
    tree = est.tree_
    nodes = tree.node_count
    left, right = tree.children_left, tree.children_right
    if discrete:
        classes = est.classes_
        index = np.clip(np.searchsorted(classes, y), 0, len(classes) - 1)
        seen = classes[index] == y
        counts = np.zeros((nodes, len(classes) + 1))
        np.add.at(counts, (leaves, np.where(seen, index, len(classes))), 1.0)
    else:
        counts = np.zeros((nodes, 3))
        np.add.at(counts, leaves, np.column_stack([np.ones_like(y), y, y * y]))
    for i in range(nodes - 1, -1, -1):
        if left[i] != _LEAF:
            counts[i] = counts[left[i]] + counts[right[i]]
    if discrete:
        value = tree.value[:, 0, :]
        size = tree.weighted_n_node_samples[:, None]
        probs = value / np.maximum(value.sum(axis=1, keepdims=True), 1e-12)
        # each node's estimate is shrunk towards its parent's (the root's towards uniform), so
        # small children are not penalised for classes they happen not to contain
        root = (probs[0] * size[0] + 0.5) / (size[0] + 0.5 * len(classes))
        probs[0] = root
        for i in range(nodes):
            if left[i] != _LEAF:
                for c in (left[i], right[i]):
                    probs[c] = (probs[c] * size[c] + _PRIOR * probs[i]) / (size[c] + _PRIOR)
        unseen = 0.5 / (size[0, 0] + 0.5 * (len(classes) + 1))
        return -(counts[:, :-1] * np.log(probs)).sum(axis=1) - counts[:, -1] * np.log(unseen)
    mean = tree.value[:, 0, 0]
    return np.asarray(counts[:, 2] - 2 * mean * counts[:, 1] + counts[:, 0] * mean * mean)


def _pools(
    leaves: np.ndarray,
    y: np.ndarray,
    rare: np.ndarray | None,
    left: np.ndarray,
    right: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per-node slices of one value pool sorted by leaf; in a leaf, common values come first.

    Node ids are in preorder, so the leaves under any node are contiguous in the pool and an
    inner node's slice is the union of its leaves' slices (used by shrinkage).
    """
    nodes = len(left)
    flag = np.zeros(len(y), dtype=np.int64) if rare is None else rare.astype(np.int64)
    order = np.lexsort((y, flag, leaves))
    counts = np.bincount(leaves, minlength=nodes)
    common = np.bincount(leaves, weights=1 - flag, minlength=nodes)
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    parent = np.full(nodes, -1, dtype=np.int64)
    for i in range(nodes - 1, -1, -1):
        if left[i] != _LEAF:
            counts[i] = counts[left[i]] + counts[right[i]]
            parent[left[i]] = parent[right[i]] = i
    return {
        "start": start.astype(np.int64),
        "count": counts.astype(np.int64),
        "common": common.astype(np.int64),
        "parent": parent,
        "pool": y[order],
        "leaf": leaves[order].astype(np.int64),
    }


def _apply(tree: dict[str, np.ndarray], features: np.ndarray) -> np.ndarray:
    """Leaf id of each row: a vectorised walk down the tree."""
    features = recoded(tree, features)
    left, right = tree["left"], tree["right"]
    feature, threshold = tree["feature"], tree["threshold"]
    node = np.zeros(len(features), dtype=np.int64)
    active = np.flatnonzero(np.full(len(features), left[0] != _LEAF))
    while len(active):
        at = node[active]
        goes_left = features[active, feature[at]] <= threshold[at]
        nxt = np.where(goes_left, left[at], right[at])
        node[active] = nxt
        active = active[left[nxt] != _LEAF]
    return node


def _stacked(trees: list[dict[str, np.ndarray]], thresholds: list[float]) -> dict[str, np.ndarray]:
    """One tree whose top splits on feature 0 send a row to trees[k] (its label's own tree):
    thresholds[k] separates label k from k + 1. Node ids stay in preorder, so every node's
    slice of the pool is still the union of its leaves' slices.
    """
    if len(trees) == 1:
        return trees[0]
    right = _stacked(trees[1:], thresholds[1:])
    left = trees[0]
    a = len(left["left"])
    shift_a, shift_b = 1, 1 + a
    pool_a = len(left["pool"])

    def moved(child: np.ndarray, shift: int) -> np.ndarray:
        return np.where(child == _LEAF, _LEAF, child + shift)

    out = {
        "left": np.concatenate(
            [[shift_a], moved(left["left"], shift_a), moved(right["left"], shift_b)]
        ),
        "right": np.concatenate(
            [[shift_b], moved(left["right"], shift_a), moved(right["right"], shift_b)]
        ),
        "feature": np.concatenate([[0], left["feature"], right["feature"]]),
        "threshold": np.concatenate([[thresholds[0]], left["threshold"], right["threshold"]]),
        "start": np.concatenate([[0], left["start"], right["start"] + pool_a]),
        "count": np.concatenate(
            [[left["count"][0] + right["count"][0]], left["count"], right["count"]]
        ),
        "common": np.concatenate([[0], left["common"], right["common"]]),
        "parent": np.concatenate(
            [
                [-1],
                np.where(left["parent"] < 0, 0, left["parent"] + shift_a),
                np.where(right["parent"] < 0, 0, right["parent"] + shift_b),
            ]
        ),
        "pool": np.concatenate([left["pool"], right["pool"]]),
        "leaf": np.concatenate([left["leaf"] + shift_a, right["leaf"] + shift_b]),
    }
    for key in ("left", "right", "feature", "start", "count", "common", "parent", "leaf"):
        out[key] = out[key].astype(np.int64)
    out["threshold"] = out["threshold"].astype(float)
    return out


def _grow(
    column: tuple[Any, ...], rows: np.ndarray, settings: dict[str, Any], rng: np.random.Generator
) -> list[dict[str, np.ndarray]]:
    """The trees of one column on these rows: cross-fitted honest pairs (grown on one half,
    filled with the other), or one tree on all rows when the rows are too few for halves.

    `column` is (tree class, features, what to split on, fitted target, values, rare flags).
    """
    cls = column[0]
    features, split_on, target, y, rare = (c if c is None else c[rows] for c in column[1:])
    n, min_leaf = len(rows), int(settings["min_leaf"])
    if n < 2 * min_leaf or features.shape[1] == 0:
        return [_root_tree(y, rare)]
    honest = bool(settings["honest"]) and n >= 4 * min_leaf
    every = np.arange(n)
    trees = []
    for k in range(int(settings["trees"]) if honest else 1):
        if honest and k % 2 == 0:
            halves = _halves(n, rng)
        grow, fill = (halves[k % 2], halves[1 - k % 2]) if honest else (every, every)
        est = cls(min_samples_leaf=min_leaf, random_state=int(rng.integers(2**31)))
        nominal = settings.get("nominal")
        recode = {} if nominal is None else recoding(features, grow, target, nominal, _classes(est))
        seen = recoded(recode, features)
        est.fit(seen[grow], split_on[grow])
        min_fill = max(settings["min_fill"], min_leaf // 4) if honest else 1
        slack = settings["prune"] if honest else None
        tree = {**_fill(est, seen[fill], target[fill], y[fill], _at(rare, fill), min_fill, slack)}
        tree.update(recode)
        if nominal is not None and _classes(est) and settings.get("rake"):
            tree.update(rake(tree, _apply(tree, features), features, y, nominal))
        trees.append(tree)
    return trees


def _classes(est: Any) -> bool:
    from sklearn.base import is_classifier

    return bool(is_classifier(est))


def _by_label(
    label: np.ndarray,
    feature: np.ndarray,
    column: tuple[Any, ...],
    settings: dict[str, Any],
    rng: np.random.Generator,
) -> list[dict[str, np.ndarray]]:
    """Trees grown apart for each value of a label (few values), stacked under splits on it:
    the column's dependence on the label is kept whole, whatever else the trees split on.
    """
    classes = np.unique(label)
    per_class = [_grow(column, np.flatnonzero(label == c), settings, rng) for c in classes]
    count = max(len(t) for t in per_class)
    at = [feature[label == c][0] for c in classes]  # each class's (scaled) feature value
    thresholds = [(a + b) / 2 for a, b in itertools.pairwise(at)]
    return [_stacked([t[k % len(t)] for t in per_class], thresholds) for k in range(count)]
