"""Sequential tree synthesis (synthpop-style CART) with privacy-aware leaves.

Columns of the encoded frame are put in an order; the first is drawn from its marginal, and each
later one from the leaf of a decision tree grown on the columns before it. What makes this a
private generator rather than a row copier:

- **Honest, cross-fitted trees.** The rows are split in two halves; the tree grown on one half is
  filled with the other half's values (and vice versa, one tree per half, picked at random per
  row). A split that isolates a few odd rows in one half is filled with rows that did not cause it,
  so a leaf holds a distribution, not the rows it was cut around. Leaves that the other half
  leaves nearly empty are merged back into their parent.
- **Categories keep their own rates.** Trees order a categorical feature's levels by the column
  they predict (`_recode`); a categorical column's leaf shares are raked (`_rake`) to the data's
  within every category of >= 20 rows of an earlier one (1,000-row adult subsamples: the income
  rate within categories had 1.58x the real subsample's own error, now 1.12x).
- **Smoothed numbers.** A number is read off the leaf's quantile function with interpolation:
  point masses (zeros, ties) stay exact, the rest becomes a fresh value between two real ones.
- **A minimum leaf size** chosen from the row count, so no leaf describes a handful of people.
- **Structural zeros are kept.** Two values of few-valued columns that never occur together
  although independence would expect at least ten such rows (workclass missing but an
  occupation given, an education and an education-num that disagree) are never drawn together.
- **Rare categories are not emitted.** A category seen fewer than `rare_count` times is pooled
  while fitting and never drawn (its mass goes to the other categories of the same leaf), unless
  a condition asks for it explicitly. (A column whose categories are *all* rare, i.e. labels that
  should have been an id or personal data, is drawn from its marginal, unlinked to the row.)
- **No copies of rare training rows.** A sampled row equal, once decoded, to a training row that
  fewer than `copy_count` rows share is redrawn from its end (`_copies`, a salted hash filter):
  on a table that is its own support (the mushroom table) a faithful model otherwise samples ~80%
  copies; frequent combinations stay, so copies fall to the natural rate.
- **Held-out pruning** from 2,000 rows (`prune="auto"`: 0.05; adult DCR share 0.518 -> 0.508),
  and an optional privacy calibration (`_privacy`).

On tables of 2,000 rows or more, columns with at most three categories (a target, a flag) are
drawn first: every later column is drawn given them, so the relation between a label and the
rest is kept at full resolution (adult: TSTR/TRTR 0.979 -> 0.995), and numbers with point masses
(40 hours a week) are split on their rank and on an indicator per point mass, so trees model how
often a row sits on one, not only where its rank falls. On smaller tables both made leaves follow
the rows too closely (DCR share up 0.01-0.025 on diabetes and titanic), so they are not used.
A number that is an exact linear function of an earlier one (a total's difference column, a unit
conversion) is drawn as that function, so formula constraints stay exact.

Trees are stored as arrays (children, feature, threshold, per-leaf slices into a sorted value
pool): model files are JSON + numbers (each leaf's training values: share samples, not the file).
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lookalike._progress import progress, stop_requested
from lookalike.models._cart_rules import canons, constraints
from lookalike.models._cart_setup import _column_order, auto_min_leaf, auto_prune, pooled_code
from lookalike.models._cart_state import cart_state, load_cart_state
from lookalike.models._copies import Canon, copy_filter, is_copy
from lookalike.models._leaf_draws import _REDRAWS, _meets, leaf_draw
from lookalike.models._privacy import KNOBS, calibrated
from lookalike.models._relations import (
    _linear_copies,
    _structural_zeros,
    allowed_draw,
    ruled_out,
)
from lookalike.models._subgroup_chain import (
    chain_for,
    check_subgroups,
    fit_side_chain,
    load_side,
    side_state,
)
from lookalike.models._trees import (
    _apply,
    _by_label,
    _grow,
    _rare_values,
    _root_tree,
    _with_spikes,
)
from lookalike.models.base import Conditions, Model, Param
from lookalike.transform import NULL_SUFFIX

_MIN_FILL = 2  # the fewest fill rows an honest leaf may hold
_FEW_SMALL = False  # labels first on small tables too (measured: worse there)
_SMALL = 2000  # tables with fewer rows keep the table's order and split numbers on ranks only
_COPY_ROUNDS = 40  # redraws of a row that copies a rare training row before it is kept


class CARTSynthesizer(Model):
    """Sequential CART synthesis: each column drawn from a tree leaf given the columns before it.

    Args:
        min_leaf: the fewest training rows a leaf may hold; None chooses it from the row count.
        honest: grow each tree on one half of the rows and fill its leaves with the other half
            (cross-fitted pairs of trees); False grows one tree on all rows.
        trees: honest trees per column (pairs on fresh halves); one is picked at random per row.
            More pairs average out the luck of one random half, at some cost in fidelity.
        smoothing: how far a rare number moves towards its neighbour in the leaf: 1 draws it
            anywhere between the two (quantile interpolation), 0 copies it as plain CART does.
        prune: honest trees are pruned on the half that fills them: a split stays only if it
            lowers that half's loss, or raises it by less than `prune` times the loss (larger keeps
            more splits: closer fit, less privacy); None keeps every split; "auto": 0.05 on
            tables of 2,000 rows or more, None below.
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
        stratify: when the first column is a label (two or three values), grow every later
            column's trees apart for each of its values.
        recode: each tree orders a categorical feature's levels by the column it predicts, so one
            split separates any group of categories (see `_recode`); False splits on raw codes.
        rake: a categorical column's leaf shares are reweighted so that its shares within each
            category (of 20 rows or more) of every earlier categorical column are the data's,
            shrunk towards the tree's (see `_rake`); needs `recode`.
        copy_count: a sampled row equal on every learned column to a training row that fewer
            than this many training rows share is redrawn (0 allows copies); see `_copies`.
        privacy: a DCR-share target (fresh rows: 0.5): fit measures the share on held-out
            folds and smooths more until it is met (see `_privacy`); None or 0: off.
        privacy_knob: what `privacy` raises: "prune" (prune, then prune harder) or "shrinkage".
        subgroups: columns a second chain draws first, for conditional samples of small
            subgroups (`_subgroup_chain`); "auto": the labels, on tables under 2,000 rows;
            None: no second chain.
        random_state: seed for fitting and sampling.
    """

    name = "cart"
    params: ClassVar[dict[str, Param]] = {
        **Model.params,
        "min_leaf": Param(int, ge=1, optional=True),
        "honest": Param(bool),
        "trees": Param(int, ge=1),
        "smoothing": Param(float, ge=0, le=1),
        "shrinkage": Param(float, ge=0),
        "prune": Param(float, ge=0, optional=True, choices=("auto",)),
        "rare_count": Param(int, ge=0),
        "order": Param(str, many=True, choices=("few", "auto", "table")),
        "spikes": Param(float, ge=0, le=1),
        "max_time": Param(float, gt=0, optional=True),
        "copy_count": Param(int, ge=0),
        "stratify": Param(bool),
        "recode": Param(bool),
        "rake": Param(bool),
        "privacy": Param(float, ge=0, le=1, optional=True),
        "privacy_knob": Param(choices=tuple(KNOBS)),
        "subgroups": Param(str, many=True, optional=True, choices=("auto",)),
    }
    # columns (by source name) that callers always give when sampling (`_generate(given=...)`);
    # `order` must put them first. They get no tree: lookalike.sequences conditions on them.
    given_sources: tuple[str, ...] = ()
    native_budget = 2_500  # a miss is dropped at its column: adult's 47-row subgroup (0.14%) fits

    def __init__(
        self,
        *,
        min_leaf: int | None = None,
        honest: bool = True,
        trees: int = 2,
        smoothing: float = 1.0,
        shrinkage: float = 0.0,
        prune: float | str | None = "auto",
        rare_count: int = 5,
        order: str | list[str] = "few",
        spikes: float = 0.05,
        max_time: float | None = None,
        copy_count: int = 5,
        stratify: bool = False,
        recode: bool = True,
        rake: bool = True,
        privacy: float | None = None,
        privacy_knob: str = "prune",
        subgroups: str | list[str] | None = "auto",
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
        self.copy_count = copy_count
        self.stratify = stratify
        self.recode = recode
        self.rake = rake
        self.privacy = privacy
        self.privacy_knob = privacy_knob
        self.subgroups = subgroups

    # ------------------------------------------------------------------ fit
    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        from scipy.stats import rankdata
        from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

        start = time.perf_counter()
        check_subgroups(self.subgroups, encoded)  # before the fit, not after it
        self.prune_, self.shrinkage_ = auto_prune(self.prune, len(encoded)), float(self.shrinkage)
        self.privacy_check_ = calibrated(self, encoded, rng)  # may raise prune_ or shrinkage_
        n = len(encoded)
        small = self.order == "few" and n < _SMALL and not _FEW_SMALL
        self.columns_ = _column_order(encoded, "table" if small else self.order)
        self.min_leaf_ = int(self.min_leaf) if self.min_leaf else auto_min_leaf(n)
        self.discrete_ = [bool(np.issubdtype(encoded[c].dtype, np.integer)) for c in self.columns_]
        raw = np.column_stack([encoded[c].to_numpy(dtype=float) for c in self.columns_])
        self.pooled_code_ = [
            pooled_code(self, encoded, c, d)
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
        all_rows = np.arange(n)
        settings = {
            "min_leaf": self.min_leaf_,
            "honest": self.honest,
            "trees": self.trees,
            "min_fill": _MIN_FILL,
            "prune": self.prune_,
        }
        # the first column is a label (at most three values): every later tree is grown apart
        # for each of its values, so each column keeps its whole dependence on the label
        self.label_ = (
            bool(self.stratify and self.discrete_[0] and len(np.unique(values[:, 0])) in (2, 3))
            if n
            else False
        )
        if self.recode and not self.label_:  # each tree orders categories by what it predicts
            settings["rake"] = self.rake
            settings["nominal"] = np.array(
                [
                    d and not c.endswith(NULL_SUFFIX)
                    for c, d in zip(self.columns_, self.discrete_, strict=True)
                ]
            )
        self.linear_ = _linear_copies(raw, self.discrete_)
        self.levels_, self.zeros_ = _structural_zeros(raw)
        self.trees_: list[list[dict[str, np.ndarray]]] = []
        sources = {c.name: c.source for c in self.transformer_.encoded_columns}
        given = sum(1 for c in self.columns_ if sources[c] in self.given_sources)
        for j in progress(range(len(self.columns_)), desc="fitting cart", unit="column"):
            y = values[:, j]
            rare = None if self.discrete_[j] else _rare_values(y, self.rare_count)
            out_of_time = self.max_time is not None and time.perf_counter() - start > self.max_time
            out_of_time = out_of_time or stop_requested()  # the web app's cancel button
            all_rare = self.pooled_code_[j] == 0  # e.g. near-unique labels: no context kept
            copy = self.linear_[j][0] >= 0  # an exact linear function of an earlier column
            if j == 0 or j < given or out_of_time or all_rare or copy or n < 2 * self.min_leaf_:
                self.trees_.append([_root_tree(raw[:, j] if all_rare else y, rare)])
                continue
            # numbers are split on their ranks: outliers do not steer the tree or its pruning
            target = y if self.discrete_[j] else rankdata(y) / n
            cls = DecisionTreeClassifier if self.discrete_[j] else DecisionTreeRegressor
            split_on = target
            if not self.discrete_[j] and self.spikes > 0 and n >= _SMALL:
                split_on = _with_spikes(target, y, self.spikes)

            column = (cls, features[:, :j], split_on, target, y, rare)
            if self.label_:
                trees = _by_label(values[:, 0], features[:, 0], column, settings, rng)
            else:
                trees = _grow(column, all_rows, settings, rng)
            self.trees_.append(trees)
        self.copies_ = copy_filter(raw, self._canons(), self.copy_count, rng)
        self.side_ = fit_side_chain(self, encoded, small, rng)  # after: the main chain unchanged

    # ------------------------------------------------------------------ sample
    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        return self._frame(self._fresh(n, rng, {}))

    def _sample_conditioned(
        self, n: int, conditions: Conditions, rng: np.random.Generator
    ) -> pd.DataFrame | None:
        """N candidate rows drawn column by column, dropping a row as soon as a conditioned
        column misses its condition (the base keeps the rows that meet them all).

        Rejecting while drawing is exact: the kept rows follow the model's distribution given
        the conditions. A category condition on the first column costs nothing (it is clamped),
        and a range on a column drawn from its marginal is drawn inside the range.
        """
        chain = chain_for(self, conditions)  # the chain drawing the conditioned columns first
        return chain._frame(chain._fresh(n, rng, chain._constraints(conditions)))

    def _fresh(self, n: int, rng: np.random.Generator, constraints: dict[int, Any]) -> np.ndarray:
        """N rows (fewer if constraints reject some), a row copying a rare training row redrawn
        from its end: first its last column, then its last two, ... (see `_copies`).
        """
        values, _ = self._generate(n, rng, constraints)
        canons = self._canons()
        bad = np.flatnonzero(is_copy(values, canons, self.copies_))
        last = len(self.columns_) - 1
        for attempt in range(_COPY_ROUNDS):
            if not len(bad):
                break
            # the last column first, then one more each time: the rest of the row is kept
            start = max(last - attempt, 0)
            again, _ = self._generate(len(bad), rng, constraints, values[bad], start)
            values[bad[: len(again)]] = again
            if len(again) < len(bad):  # conditions rejected some redraws: drop those rows
                values, bad = np.delete(values, bad[len(again) :], axis=0), bad[: len(again)]
            bad = bad[is_copy(values[bad], canons, self.copies_)]
        return values

    def _generate(
        self,
        n: int,
        rng: np.random.Generator,
        constraints: dict[int, Any],
        given: np.ndarray | None = None,
        start: int = 0,
        fixed: dict[int, np.ndarray] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """N rows of encoded values in column order (fewer if constraints reject some); columns
        before `start` are taken from `given` rows (which met their constraints already);
        `fixed` gives the encoded values of some columns (linked tables: a parent's context).
        """
        p = len(self.columns_)
        values = np.empty((n, p))
        features = np.empty((n, p), dtype=np.float32)
        index: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # level positions, once per column
        for j in range(p):
            rule = constraints.get(j) if j >= start else None
            source, offset, slope = self.linear_[j]
            if given is not None and j < start:
                column = given[:, j]
            elif fixed is not None and j in fixed:
                column = np.asarray(fixed[j], dtype=float)
            elif source >= 0:
                column = offset + slope * values[:, int(source)]
            else:
                column = self._draw_column(j, features, rng, rule)
                if rule is None and self.zeros_[j]:  # never a pair the data rules out: redraw
                    rows = np.arange(len(column))
                    bad = rows[ruled_out(self, j, values, column, index, rows)]
                    for _ in range(_REDRAWS):
                        if not len(bad):
                            break
                        column[bad] = self._draw_column(j, features[bad], rng, None)
                        bad = bad[ruled_out(self, j, values, column[bad], index, bad)]
                    if len(bad):  # still ruled out: the marginal among allowed values
                        column[bad] = allowed_draw(self, j, values[bad], column[bad], rng)
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
            node = _apply(trees[0], features[:, :j])
            return leaf_draw(self, trees[0], node, j, rng, rule, features)
        pick = rng.integers(len(trees), size=len(features))
        column = np.empty(len(features))
        for k, tree in enumerate(trees):
            rows = np.flatnonzero(pick == k)
            node = _apply(tree, features[rows, :j])
            column[rows] = leaf_draw(self, tree, node, j, rng, rule, features[rows])
        return column

    def _frame(self, values: np.ndarray) -> pd.DataFrame:
        out = {}
        for j, column in enumerate(self.columns_):
            out[column] = values[:, j].astype(np.int64) if self.discrete_[j] else values[:, j]
        return pd.DataFrame(out)[[c.name for c in self.transformer_.encoded_columns]]

    # ------------------------------------------------------------------ state
    def _get_state(self) -> dict[str, Any]:
        return {**cart_state(self), **side_state(self, cart_state)}

    def _set_state(self, state: dict[str, Any]) -> None:
        load_cart_state(self, state)
        load_side(self, state, load_cart_state)

    def _canons(self) -> list[Canon]:
        return canons(self)

    def _constraints(self, conditions: Conditions) -> dict[int, Any]:
        return constraints(self, conditions)
