"""Sequential tree synthesis (synthpop-style CART) with privacy-aware leaves.

Columns of the encoded frame are put in an order; the first is drawn from its marginal, and each
later one from the leaf of a decision tree grown on the columns before it. What makes this a
private generator rather than a row copier:

- **Honest, cross-fitted trees.** The rows are split in two halves; the tree grown on one half is
  filled with the other half's values (and vice versa, one tree per half, picked at random per
  row). A split that isolates a few odd rows in one half is filled with rows that did not cause it,
  so a leaf holds a distribution, not the rows it was cut around. Leaves that the other half
  leaves nearly empty are merged back into their parent.
- **Smoothed numbers.** A number is drawn from the leaf's empirical quantile function with linear
  interpolation between neighbouring values, not copied from one donor: point masses (zeros, ties)
  stay exact and the rest becomes a fresh value between two real ones.
- **A minimum leaf size** chosen from the row count, so no leaf describes a handful of people.
- **Structural zeros are kept.** Two values of few-valued columns that never occur together
  although independence would expect at least ten such rows (workclass missing but an
  occupation given, an education and an education-num that disagree) are never drawn together.
- **Rare categories are not emitted.** A category seen fewer than `rare_count` times is pooled
  while fitting and never drawn (its mass goes to the other categories of the same leaf), unless
  a condition asks for it explicitly. (A column whose categories are *all* rare, i.e. labels that
  should have been an id or personal data, is drawn from its marginal, unlinked to the row.)
- **Optional held-out pruning** (`prune=0.0`): the half that fills a tree also prunes it, keeping
  only splits that predict it; samples then sit as far from the training rows as fresh rows do
  (DCR share ~0.505 on adult) at some cost in fidelity.

On tables of 2,000 rows or more, columns with at most three categories (a target, a flag) are
drawn first: every later column is drawn given them, so the relation between a label and the
rest is kept at full resolution (adult: TSTR/TRTR 0.979 -> 0.995), and numbers with point masses
(40 hours a week) are split on their rank and on an indicator per point mass, so trees model how
often a row sits on one, not only where its rank falls. On smaller tables both made leaves follow
the rows too closely (DCR share up 0.01-0.025 on diabetes and titanic), so they are not used.

A number that is an exact linear function of an earlier one (a total's difference column, a unit
conversion) is drawn as that function, so formula constraints stay exact.

Trees are stored as arrays (children, feature, threshold, and per-leaf slices into a sorted value
pool), so model files are JSON + numbers and sampling is a vectorised walk down each tree. The
model file holds the training values of each leaf: share samples, not the file.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from lookalike.models.base import Conditions, Model
from lookalike.transform import NULL_SUFFIX

_LEAF = -1
_PRIOR = 2.0  # pseudo-rows of the parent's class shares in a node's estimate (for pruning)
_MAX_LEVELS = 100  # columns with more distinct values take no part in structural zeros
_STRUCTURAL = 10.0  # a pair never seen is ruled out when independence expects this many rows
_MIN_FILL = 2  # the fewest fill rows an honest leaf may hold
_SMALL = 2000  # tables with fewer rows keep the table's order and split numbers on ranks only
_REDRAWS = 8  # tries to redraw a pooled rare category from the same leaf before the marginal


class CARTSynthesizer(Model):
    """Sequential CART synthesis: each column drawn from a tree leaf given the columns before it.

    Args:
        min_leaf: the fewest training rows a leaf may hold; None chooses it from the row count.
        honest: grow each tree on one half of the rows and fill its leaves with the other half
            (cross-fitted pairs of trees); False grows one tree on all rows.
        trees: honest trees per column (pairs on fresh halves); one is picked at random per row.
        smoothing: how far a rare number moves towards its neighbour in the leaf: 1 draws it
            anywhere between the two (quantile interpolation), 0 copies it as plain CART does.
        prune: honest trees are pruned on the half that fills them: a split stays only if it
            lowers that half's loss, or raises it by less than `prune` times the loss (larger keeps
            more splits: closer fit, less privacy); None keeps every split.
        shrinkage: pseudo-count of hierarchical shrinkage: a value is drawn from the leaf's
            parent with probability shrinkage / (shrinkage + leaf rows), and so on up the tree.
        rare_count: categories seen fewer times than this are never sampled (0 keeps them all),
            and numbers shared by fewer rows are smoothed rather than copied.
        order: "few" (columns with at most three categories first, then the table's order;
            "table" below 2,000 rows),
            "auto" (columns with few distinct values first, near-unique numbers last),
            "table" (the table's order), or a list of column names to put first.
        spikes: a number that at least this share of rows have is a point mass: trees for that
            column also split on an indicator of it (up to 8 per column; from 2,000 rows); 0
            splits on ranks only.
        max_time: stop growing trees after this many seconds; the remaining columns are drawn
            from their marginals.
        random_state: seed for fitting and sampling.
    """

    name = "cart"

    def __init__(
        self,
        *,
        min_leaf: int | None = None,
        honest: bool = True,
        trees: int = 2,
        smoothing: float = 1.0,
        shrinkage: float = 0.0,
        prune: float | None = None,
        rare_count: int = 5,
        order: str | list[str] = "few",
        spikes: float = 0.05,
        max_time: float | None = None,
        random_state: int | None = None,
    ) -> None:
        super().__init__(random_state=random_state)
        self.min_leaf = min_leaf
        self.honest = honest
        self.trees = trees
        self.smoothing = smoothing
        self.shrinkage = shrinkage
        self.prune = prune
        self.rare_count = rare_count
        self.order = order
        self.spikes = spikes
        self.max_time = max_time

    # ------------------------------------------------------------------ fit
    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        from scipy.stats import rankdata
        from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

        _check_params(self)
        start = time.perf_counter()
        n = len(encoded)
        self.columns_ = _column_order(
            encoded, "table" if self.order == "few" and n < _SMALL else self.order
        )
        self.min_leaf_ = int(self.min_leaf) if self.min_leaf else auto_min_leaf(n)
        self.discrete_ = [bool(np.issubdtype(encoded[c].dtype, np.integer)) for c in self.columns_]
        raw = np.column_stack([encoded[c].to_numpy(dtype=float) for c in self.columns_])
        self.pooled_code_ = [
            self._pooled_code(encoded, c, d)
            for c, d in zip(self.columns_, self.discrete_, strict=True)
        ]
        values = raw.copy()  # targets and pools: rare categories mapped to their pooled code
        for j, code in enumerate(self.pooled_code_):
            if code >= 0:
                values[:, j] = np.minimum(values[:, j], code)
        self.center_ = values.mean(axis=0) if n else np.zeros(values.shape[1])
        scale = values.std(axis=0) if n else np.ones(values.shape[1])
        self.scale_ = np.where(scale > 0, scale, 1.0)
        features = ((values - self.center_) / self.scale_).astype(np.float32)
        honest = self.honest and n >= 4 * self.min_leaf_
        all_rows = np.arange(n)
        self.linear_ = _linear_copies(raw, self.discrete_)
        self.levels_, self.zeros_ = _structural_zeros(raw)
        self.trees_: list[list[dict[str, np.ndarray]]] = []
        for j in range(len(self.columns_)):
            y = values[:, j]
            rare = None if self.discrete_[j] else _rare_values(y, self.rare_count)
            out_of_time = self.max_time is not None and time.perf_counter() - start > self.max_time
            all_rare = self.pooled_code_[j] == 0  # e.g. near-unique labels: no context kept
            copy = self.linear_[j][0] >= 0  # an exact linear function of an earlier column
            if j == 0 or out_of_time or all_rare or copy or n < 2 * self.min_leaf_:
                self.trees_.append([_root_tree(raw[:, j] if all_rare else y, rare)])
                continue
            trees = []
            # numbers are split on their ranks: outliers do not steer the tree or its pruning
            target = y if self.discrete_[j] else rankdata(y) / n
            cls = DecisionTreeClassifier if self.discrete_[j] else DecisionTreeRegressor
            split_on = target
            if not self.discrete_[j] and self.spikes > 0 and n >= _SMALL:
                split_on = _with_spikes(target, y, self.spikes)
            for k in range(self.trees if honest else 1):
                if honest and k % 2 == 0:
                    halves = _halves(n, rng)
                grow, fill = (halves[k % 2], halves[1 - k % 2]) if honest else (all_rows, all_rows)
                est = cls(min_samples_leaf=self.min_leaf_, random_state=int(rng.integers(2**31)))
                est.fit(features[grow, :j], split_on[grow])
                min_fill = max(_MIN_FILL, self.min_leaf_ // 4) if honest else 1
                slack = self.prune if honest else None
                trees.append(
                    _fill(
                        est,
                        features[fill, :j],
                        target[fill],
                        y[fill],
                        _at(rare, fill),
                        min_fill,
                        slack,
                    )
                )
            self.trees_.append(trees)

    def _pooled_code(self, encoded: pd.DataFrame, column: str, discrete: bool) -> int:
        """First rare code of a categorical column (codes are by frequency), or -1 for none."""
        if not discrete or not self.rare_count or column.endswith(NULL_SUFFIX):
            return -1
        if self.transformer_.metadata_.columns[column].kind != "categorical":
            return -1
        counts = np.bincount(encoded[column].to_numpy(), minlength=1)
        rare = np.flatnonzero(counts < self.rare_count)  # a tail: codes go by frequency
        return int(rare[0]) if len(rare) else -1

    # ------------------------------------------------------------------ sample
    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        values, _ = self._generate(n, rng, {})
        return self._frame(values)

    def _sample_conditioned(
        self, n: int, conditions: Conditions, rng: np.random.Generator
    ) -> pd.DataFrame | None:
        """n candidate rows drawn column by column, dropping a row as soon as a conditioned
        column misses its condition (the base keeps the rows that meet them all).

        Rejecting while drawing is exact: the kept rows follow the model's distribution given
        the conditions. A category condition on the first column costs nothing (it is clamped),
        and a range on a column drawn from its marginal is drawn inside the range.
        """
        values, _ = self._generate(n, rng, self._constraints(conditions))
        return self._frame(values)

    def _generate(
        self, n: int, rng: np.random.Generator, constraints: dict[int, Any]
    ) -> tuple[np.ndarray, np.ndarray]:
        """n rows of encoded values in column order (fewer if constraints reject some)."""
        p = len(self.columns_)
        values = np.empty((n, p))
        features = np.empty((n, p), dtype=np.float32)
        index: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # level positions, once per column
        for j in range(p):
            rule = constraints.get(j)
            source, offset, slope = self.linear_[j]
            if source >= 0:
                column = offset + slope * values[:, int(source)]
            else:
                column = self._draw_column(j, features, rng, rule)
                if rule is None and self.zeros_[j]:  # never a pair the data rules out: redraw
                    rows = np.arange(len(column))
                    bad = rows[self._ruled_out(j, values, column, index, rows)]
                    for _ in range(_REDRAWS):
                        if not len(bad):
                            break
                        column[bad] = self._draw_column(j, features[bad], rng, None)
                        bad = bad[self._ruled_out(j, values, column[bad], index, bad)]
                    if len(bad):  # still ruled out: the marginal among allowed values
                        column[bad] = self._allowed_draw(j, values[bad], column[bad], rng)
            if rule is not None:
                keep = _meets(column, rule)
                values, features, column = values[keep], features[keep], column[keep]
                index = {i: (at[keep], ok[keep]) for i, (at, ok) in index.items()}
                if rule[0] == "code":  # a pooled rare category becomes the one asked for
                    column = np.full(len(column), float(rule[2]))
            values[:, j] = column
            code = self.pooled_code_[j]
            feature = np.minimum(column, code) if code >= 0 else column
            features[:, j] = (feature - self.center_[j]) / self.scale_[j]
        return values, features

    def _draw_column(
        self, j: int, features: np.ndarray, rng: np.random.Generator, rule: Any
    ) -> np.ndarray:
        """Column j for rows with these features: each row's value from one of j's trees."""
        trees = self.trees_[j]
        if len(trees) == 1:
            return self._draw_leaf(trees[0], _apply(trees[0], features[:, :j]), j, rng, rule)
        pick = rng.integers(len(trees), size=len(features))
        column = np.empty(len(features))
        for k, tree in enumerate(trees):
            rows = np.flatnonzero(pick == k)
            node = _apply(tree, features[rows, :j])
            column[rows] = self._draw_leaf(tree, node, j, rng, rule)
        return column

    def _ruled_out(
        self,
        j: int,
        values: np.ndarray,
        column: np.ndarray,
        index: dict[int, tuple[np.ndarray, np.ndarray]],
        rows: np.ndarray,
    ) -> np.ndarray:
        """Which of these rows' values of column j form a structural zero with an earlier
        column (`index` caches each earlier column's level positions for all rows)."""
        bad = np.zeros(len(column), dtype=bool)
        at_j, ok_j = _level_index(self.levels_[j], column)
        for i, zero in self.zeros_[j]:
            if i not in index:
                index[i] = _level_index(self.levels_[i], values[:, i])
            at_i, ok_i = index[i][0][rows], index[i][1][rows]
            bad |= ok_i & ok_j & zero[at_i, at_j]
        return bad

    def _allowed_draw(
        self, j: int, rows: np.ndarray, column: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """Column j drawn from its marginal among the values each row's earlier values allow
        (a row nothing is allowed for keeps its value)."""
        levels = self.levels_[j]
        pool = self.trees_[j][0]["pool"]
        at, ok = _level_index(levels, pool)
        weight = np.bincount(at[ok], minlength=len(levels)).astype(float)
        code = self.pooled_code_[j]
        if code >= 0:
            weight[levels >= code] = 0.0  # pooled rare categories are never drawn
        allowed = np.ones((len(rows), len(levels)), dtype=bool)
        for i, zero in self.zeros_[j]:
            at_i, ok_i = _level_index(self.levels_[i], rows[:, i])
            allowed &= ~(zero[at_i] & ok_i[:, None])
        cumulative = np.cumsum(allowed * weight, axis=1)
        total = cumulative[:, -1]
        u = rng.random(len(rows)) * total
        pick = np.minimum((cumulative <= u[:, None]).sum(axis=1), len(levels) - 1)
        return np.where(total > 0, levels[pick], column)

    def _draw_leaf(
        self,
        tree: dict[str, np.ndarray],
        node: np.ndarray,
        j: int,
        rng: np.random.Generator,
        rule: Any,
    ) -> np.ndarray:
        node = _back_off(tree, node, self.shrinkage, rng)
        start, count, pool = tree["start"][node], tree["count"][node], tree["pool"]
        if not self.discrete_[j]:
            if rule is not None and rule[0] == "range" and len(tree["left"]) == 1:
                return _truncated_draw(tree, rule[1], rule[2], len(node), rng, self.smoothing)
            if (tree["left"][node] != _LEAF).any():  # a leaf under it, by its share of rows
                element = start + (rng.random(len(node)) * count).astype(np.int64)
                node = tree["leaf"][np.minimum(element, len(pool) - 1)]
                start, count = tree["start"][node], tree["count"][node]
            return _smooth_draw(pool, start, count, tree["common"][node], rng, self.smoothing)
        out = pool[start + (rng.random(len(node)) * count).astype(np.int64)]
        code = self.pooled_code_[j]
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

    def _constraints(self, conditions: Conditions) -> dict[int, Any]:
        """Conditions as per-column rules on encoded values, checked while rows are drawn."""
        rules: dict[int, Any] = {}
        position = {c: j for j, c in enumerate(self.columns_)}
        for column, wanted in conditions.items():
            kind = self.metadata_.columns[column].kind
            if kind in ("categorical", "boolean") and not isinstance(wanted, tuple):
                if column not in position:
                    continue
                code = int(self.transformer_.encode_categories(column, [wanted], strict=True)[0])
                pooled = self.pooled_code_[position[column]]
                match = pooled if 0 <= pooled <= code else code
                rules[position[column]] = ("code", match, code)
            elif kind in ("numerical", "datetime") and column in position:
                low, high = wanted if isinstance(wanted, tuple) else (wanted, wanted)
                bounds = self._encoded_bounds(column, low, high)
                if bounds is not None:
                    rules[position[column]] = ("range", *bounds)
                flag = column + NULL_SUFFIX
                if flag in position:
                    rules[position[flag]] = ("code", 0, 0)
        return rules

    def _encoded_bounds(self, column: str, low: Any, high: Any) -> tuple[float, float] | None:
        """A loose encoded interval holding every value that decodes into [low, high]."""
        meta = self.metadata_.columns[column]
        try:
            if meta.kind == "datetime":
                to_seconds = _timestamp_seconds
                margin = float(self.transformer_.columns_[column].get("resolution") or 1.0)
            else:
                to_seconds = float
                margin = 0.5 if meta.integer else 0.5 * 10.0 ** -(meta.decimals or 12)
            lo = -np.inf if low is None else to_seconds(low) - margin
            hi = np.inf if high is None else to_seconds(high) + margin
            lo, hi = lo - 1e-9 * abs(lo), hi + 1e-9 * abs(hi)
        except (TypeError, ValueError):
            return None
        if meta.kind == "numerical":  # decoding clips to the observed range
            if meta.min is not None and lo <= meta.min:
                lo = -np.inf
            if meta.max is not None and hi >= meta.max:
                hi = np.inf
        return float(lo), float(hi)

    def _frame(self, values: np.ndarray) -> pd.DataFrame:
        out = {}
        for j, column in enumerate(self.columns_):
            out[column] = values[:, j].astype(np.int64) if self.discrete_[j] else values[:, j]
        return pd.DataFrame(out)[[c.name for c in self.transformer_.encoded_columns]]

    # ------------------------------------------------------------------ state
    def _get_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "columns": self.columns_,
            "discrete": self.discrete_,
            "pooled_code": self.pooled_code_,
            "min_leaf": self.min_leaf_,
            "trees": [len(t) for t in self.trees_],
            "center": self.center_,
            "scale": self.scale_,
            "linear": self.linear_,
        }
        for j, levels in enumerate(self.levels_):
            state[f"levels.{j}"] = levels
            for i, zero in self.zeros_[j]:
                state[f"zeros.{i}.{j}"] = zero
        for j, trees in enumerate(self.trees_):
            for k, tree in enumerate(trees):
                for key, array in tree.items():
                    state[f"tree.{j}.{k}.{key}"] = array
        return state

    def _set_state(self, state: dict[str, Any]) -> None:
        self.columns_ = list(state["columns"])
        self.discrete_ = [bool(d) for d in state["discrete"]]
        self.pooled_code_ = [int(c) for c in state["pooled_code"]]
        self.min_leaf_ = int(state["min_leaf"])
        self.center_ = np.asarray(state["center"], dtype=float)
        self.scale_ = np.asarray(state["scale"], dtype=float)
        self.linear_ = [(int(a), float(b), float(c)) for a, b, c in state["linear"]]
        p = len(self.columns_)
        self.levels_ = [np.asarray(state.get(f"levels.{j}", np.zeros(0))) for j in range(p)]
        self.zeros_: list[list[tuple[int, np.ndarray]]] = [[] for _ in range(p)]
        for key, value in state.items():
            if key.startswith("zeros."):
                _, i, j = key.split(".")
                self.zeros_[int(j)].append((int(i), np.asarray(value, dtype=bool)))
        for pairs in self.zeros_:
            pairs.sort(key=lambda pair: pair[0])
        self.trees_ = []
        for j, count in enumerate(state["trees"]):
            trees = []
            for k in range(int(count)):
                prefix = f"tree.{j}.{k}."
                trees.append(
                    {
                        key[len(prefix) :]: np.asarray(value)
                        for key, value in state.items()
                        if key.startswith(prefix)
                    }
                )
            self.trees_.append(trees)


# ---------------------------------------------------------------------- fitting helpers
def auto_min_leaf(n: int) -> int:
    """The default minimum leaf size for n training rows: grows with the square root of n."""
    return int(np.clip(round(np.sqrt(n) / 8), 10, 200))


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


def _with_spikes(rank: np.ndarray, y: np.ndarray, share: float) -> np.ndarray:
    """What a number's trees split on: its rank, plus an indicator per point mass."""
    distinct, counts = np.unique(y, return_counts=True)
    common = distinct[counts >= share * len(y)][:8]
    if not len(common):
        return rank
    return np.column_stack([rank, *(y == v for v in common)]).astype(float)


def _check_params(model: CARTSynthesizer) -> None:
    from lookalike.errors import DataError

    if model.min_leaf is not None and (isinstance(model.min_leaf, bool) or model.min_leaf < 1):
        raise DataError(f"cart: min_leaf must be a whole number >= 1, got {model.min_leaf!r}.")
    if not 0 <= model.spikes <= 1:
        raise DataError(f"cart: spikes must be between 0 and 1, got {model.spikes!r}.")
    if not 0 <= model.smoothing <= 1:
        raise DataError(f"cart: smoothing must be between 0 and 1, got {model.smoothing!r}.")
    if model.rare_count < 0:
        raise DataError(f"cart: rare_count must be 0 or more, got {model.rare_count!r}.")
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


# ---------------------------------------------------------------------- sampling helpers
def _apply(tree: dict[str, np.ndarray], features: np.ndarray) -> np.ndarray:
    """Leaf id of each row: a vectorised walk down the tree."""
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


def _back_off(
    tree: dict[str, np.ndarray], node: np.ndarray, strength: float, rng: np.random.Generator
) -> np.ndarray:
    """Move each row from its leaf to the parent with probability strength / (strength + rows),
    and so on up: hierarchical shrinkage of small leaves towards their ancestors."""
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
