"""Raked leaves: a categorical column's leaf shares reweighted so that, on the training rows, its
distribution within each category of every earlier categorical column is the data's.

A tree's leaf pools rows of several categories; a category of a few dozen rows that no split
isolates gets the pooled leaf's shares, so the rate of a target within it drifts towards the
overall rate (on 1,000 adult rows the income rate of `Own-child` came out at 0.03-0.05 against
0.006 in the data). Raking (iterative proportional fitting, Deming and Stephan 1940) keeps the
tree and multiplies each leaf's class shares by one weight per (earlier category, class), fitted
so that the model's mean shares over the training rows of a category equal that category's
shares, shrunk towards the model's own by `_PRIOR` pseudo-rows (a small category moves little).
Only categories of at least `_MIN_ROWS` rows get a weight. A class a leaf never holds stays
impossible there (weights multiply), so leaves' zeros and structural zeros are kept.
"""

from __future__ import annotations

import numpy as np

_PRIOR = 10.0  # pseudo-rows of the model's own shares in a category's target shares
_MIN_ROWS = 20  # categories with fewer training rows keep weight 1
_ROUNDS = 5  # passes over the earlier columns
_MAX_LEVELS = 100  # columns with more categories are not raked on
KEYS = ("rake_feature", "rake_start", "rake_key", "rake_class", "rake_weight")


def node_shares(tree: dict[str, np.ndarray], classes: np.ndarray) -> np.ndarray:
    """Per node: how many of its pool values are each class (nodes x classes)."""
    pool = tree["pool"]
    at = np.clip(np.searchsorted(classes, pool), 0, len(classes) - 1)
    onehot = np.zeros((len(pool) + 1, len(classes)))
    onehot[np.arange(1, len(pool) + 1), at] = (classes[at] == pool).astype(float)
    cumulative = np.cumsum(onehot, axis=0)
    start, count = tree["start"], tree["count"]
    return np.asarray(cumulative[start + count] - cumulative[start])


def rake(
    tree: dict[str, np.ndarray],
    leaves: np.ndarray,
    features: np.ndarray,
    y: np.ndarray,
    nominal: np.ndarray,
) -> dict[str, np.ndarray]:
    """Weights for one tree of a categorical column, fitted on all training rows (their leaves,
    earlier features and values y); {} when nothing needs them.
    """
    classes = np.unique(y)
    if len(classes) < 2 or len(tree["left"]) == 1:
        return {}
    base = node_shares(tree, classes)[leaves]
    base /= np.maximum(base.sum(axis=1, keepdims=True), 1e-12)
    truth = np.eye(len(classes))[np.searchsorted(classes, y)]
    chosen, keys, where, starts = [], [], [], [0]
    for i in np.flatnonzero(nominal[: features.shape[1]]):
        levels, at = np.unique(features[:, i], return_inverse=True)
        if not 2 <= len(levels) <= _MAX_LEVELS:
            continue
        chosen.append(i)
        keys.append(levels.astype(float))
        where.append(at.reshape(-1))
        starts.append(starts[-1] + len(levels))
    if not chosen:
        return {}
    weight = np.zeros((starts[-1], len(classes)))  # log weights
    total = np.zeros_like(base)  # each row's summed log weights
    data = [_by_level(at, truth, len(keys[k])) for k, at in enumerate(where)]
    for _ in range(_ROUNDS):
        for k, at in enumerate(where):
            shares = base * np.exp(total)
            shares /= np.maximum(shares.sum(axis=1, keepdims=True), 1e-12)
            model = _by_level(at, shares, len(keys[k]))
            count = data[k].sum(axis=1, keepdims=True)
            target = (data[k] + _PRIOR * model / np.maximum(count, 1)) / (count + _PRIOR)
            fitted = model / np.maximum(count, 1)
            usable = (fitted > 1e-9) & (target > 1e-9)
            step = np.log(np.where(usable, target, 1.0) / np.where(usable, fitted, 1.0))
            step[count[:, 0] < _MIN_ROWS] = 0.0
            step = (
                np.clip(weight[starts[k] : starts[k + 1]] + step, -5.0, 5.0)
                - weight[starts[k] : starts[k + 1]]
            )
            weight[starts[k] : starts[k + 1]] += step
            total += step[at]
    return {
        "rake_feature": np.asarray(chosen, dtype=np.int64),
        "rake_start": np.asarray(starts, dtype=np.int64),
        "rake_key": np.concatenate(keys),
        "rake_class": classes.astype(float),
        "rake_weight": weight,
    }


def _by_level(at: np.ndarray, shares: np.ndarray, size: int) -> np.ndarray:
    """Sums of the rows' shares per level (levels x classes)."""
    columns = [
        np.bincount(at, weights=shares[:, c], minlength=size) for c in range(shares.shape[1])
    ]
    return np.column_stack(columns)


def raked_draw(
    tree: dict[str, np.ndarray],
    node: np.ndarray,
    features: np.ndarray,
    pooled: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """A class per row from its node's shares times the row's weights (never a pooled rare
    code >= `pooled` when pooled > 0, unless the node holds nothing else).
    """
    classes = tree["rake_class"]
    shares = node_shares(tree, classes)[node]
    chosen, start, key = tree["rake_feature"], tree["rake_start"], tree["rake_key"]
    log = np.zeros_like(shares)
    for k, i in enumerate(chosen):
        levels = key[start[k] : start[k + 1]]
        at = np.clip(np.searchsorted(levels, features[:, i]), 0, len(levels) - 1)
        hit = levels[at] == features[:, i]
        log += np.where(hit[:, None], tree["rake_weight"][start[k] + at], 0.0)
    shares = shares * np.exp(log)
    if pooled > 0:
        kept = shares * (classes < pooled)
        some = kept.sum(axis=1) > 0
        shares[some] = kept[some]
    cumulative = np.cumsum(shares, axis=1)
    u = rng.random(len(node)) * cumulative[:, -1]
    pick = np.minimum((cumulative <= u[:, None]).sum(axis=1), len(classes) - 1)
    return np.asarray(classes[pick], dtype=float)
