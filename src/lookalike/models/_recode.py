"""Categories as trees should see them: each tree orders a categorical feature's levels by the
column it predicts, so one split can separate any group of categories.

Category codes go by frequency, so a split on a raw code (`occupation <= 3.5`) groups the four
most frequent occupations, an arbitrary set; a category of a few dozen rows is then cut out only
by two splits that greedy growing rarely finds, and its rows share leaves with unrelated ones (the
rate of the target within it drifts towards the overall rate). Ordering the levels by the mean of
the predicted value is the classic remedy: for a binary or numeric target the best split of the
ordered levels is the best partition of the categories (Breiman et al. 1984, CART, sec. 9.4; R's
rpart does the same); for a column of many classes the levels are ordered by the first principal
component of their class shares (Coppersmith, Hong and Hosking 1999). The order is learnt on the
half that grows the tree, so the half that fills it stays honest.

A tree's recoding is four arrays (features recoded, and per feature a slice of sorted level keys
and their positions), stored with the tree; trees without them split on the raw codes.
"""

from __future__ import annotations

import numpy as np

_PRIOR = 2.0  # pseudo-rows of the overall mean in each level's mean
KEYS = ("recode_feature", "recode_start", "recode_key", "recode_value")


def recoding(
    features: np.ndarray,
    grow: np.ndarray,
    target: np.ndarray,
    nominal: np.ndarray,
    discrete: bool,
) -> dict[str, np.ndarray]:
    """The level order of each nominal feature, learnt on the `grow` rows' target."""
    chosen, starts, keys, values = [], [0], [], []
    y = target[grow]
    if discrete:
        classes, at = np.unique(y, return_inverse=True)
        shares = np.eye(len(classes))[at.reshape(-1)]
    else:
        shares = y.reshape(-1, 1).astype(float)
    overall = shares.mean(axis=0) if len(y) else np.zeros(shares.shape[1])
    for i in np.flatnonzero(nominal[: features.shape[1]]):
        levels = np.unique(features[:, i])
        if len(levels) < 3:
            continue
        where = np.clip(np.searchsorted(levels, features[grow, i]), 0, len(levels) - 1)
        sums = np.zeros((len(levels), shares.shape[1]))
        np.add.at(sums, where, shares)
        counts = np.bincount(where, minlength=len(levels))[:, None]
        means = (sums + _PRIOR * overall) / (counts + _PRIOR)
        # a number's rank, or a two-class column's second share; else the first component
        score = means[:, -1] if means.shape[1] <= 2 else _first_component(means, counts[:, 0])
        rank = np.empty(len(levels))
        rank[np.argsort(score, kind="stable")] = np.arange(len(levels))
        chosen.append(i)
        keys.append(levels.astype(float))
        values.append(rank)
        starts.append(starts[-1] + len(levels))
    if not chosen:
        return {}
    return {
        "recode_feature": np.asarray(chosen, dtype=np.int64),
        "recode_start": np.asarray(starts, dtype=np.int64),
        "recode_key": np.concatenate(keys),
        "recode_value": np.concatenate(values),
    }


def _first_component(means: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each level's class shares projected on their first principal component (row-weighted)."""
    weight = counts + _PRIOR
    center = (means * weight[:, None]).sum(axis=0) / weight.sum()
    spread = (means - center) * np.sqrt(weight)[:, None]
    _, _, vt = np.linalg.svd(spread, full_matrices=False)
    direction = vt[0] * (1.0 if vt[0][np.argmax(np.abs(vt[0]))] >= 0 else -1.0)
    return np.asarray(means @ direction)


def recoded(tree: dict[str, np.ndarray], features: np.ndarray) -> np.ndarray:
    """The features a tree splits on: its nominal features replaced by their level positions."""
    chosen = tree.get("recode_feature")
    if chosen is None or not len(chosen):
        return features
    out = features.copy()
    start, key, value = tree["recode_start"], tree["recode_key"], tree["recode_value"]
    for k, i in enumerate(chosen):
        levels, ranks = key[start[k] : start[k + 1]], value[start[k] : start[k + 1]]
        at = np.clip(np.searchsorted(levels, features[:, i]), 0, len(levels) - 1)
        out[:, i] = ranks[at]
    return out
