"""A Bayesian network over discretised columns, with optional differential privacy (PrivBayes).

Fitting:
1. every encoded column becomes a discrete node: categories, booleans and missing flags keep their
   codes; numbers and dates are cut into `bins` quantile bins (equal-width bins under `epsilon`);
2. the structure is grown greedily: starting from one node, each step adds the (child, parents)
   pair, parents drawn from the nodes already placed (at most `max_parents` of them), with the best
   score: mutual information minus an AIC penalty for the table's size (PrivBayes: the exponential
   mechanism on the mutual information instead);
3. each node gets a conditional probability table, smoothed toward the node's marginal with
   `smoothing` pseudo-rows per parent configuration (unseen configurations fall back to it).

Sampling draws the nodes in order (forward sampling), then turns each bin back into a number
drawn within the bin from stored within-bin quantiles (uniformly under `epsilon`). Conditions on
categories are met natively: evidence nodes are clamped and the rows reweighted by the evidence's
likelihood given their parents, then resampled (likelihood weighting), so ancestors of the
evidence follow the conditional distribution, not the prior.

Differential privacy (`epsilon`), PrivBayes-style (Zhang et al., 2017): 30 % of the budget picks
the structure (exponential mechanism, one step at a time, on the mutual information with its
published sensitivity bound) and 70 % goes to Laplace noise on the tables (L1 sensitivity 2 per
table under changing one row, d tables). What the guarantee covers, honestly: the structure and
the probabilities are epsilon-differentially private for neighbouring tables of the same size that
differ in one row. It does NOT cover the column domains that the transformer reads from the data
without noise: the list of categories, each number's min/max (the bins are equal-width over it),
decimals, which columns have missing values, the row count. If those are sensitive, give public
metadata and check it. The model's sampled rows are post-processing and add no further cost.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.models.base import Conditions, Model
from lookalike.values import check_whole

_STRUCTURE_SHARE = 0.3  # PrivBayes' beta: share of epsilon spent on the structure
_POOL = 6  # candidate parents per child considered (those with the highest pairwise MI)
_INNER = 17  # within-bin quantiles stored per bin
_USEFULNESS = 4.0  # PrivBayes' theta: noisy tables need ~theta rows per cell to be useful


class BayesianNetwork(Model):
    """Bayesian network with greedy mutual-information structure; optional PrivBayes DP.

    Args:
        max_parents: the most parents a node may have (the size of each table grows with it).
        bins: bins per continuous column (fewer when the column has fewer distinct values).
        smoothing: pseudo-rows per parent configuration, spread as the node's marginal.
        epsilon: differential-privacy budget (> 0); None (default) learns without noise. See the
            module docstring for what the guarantee covers.
        max_cells: the largest conditional table allowed (child values x parent configurations).
        random_state: seed for fitting and sampling.
    """

    name = "bayesnet"

    def __init__(
        self,
        *,
        max_parents: int = 2,
        bins: int = 20,
        smoothing: float = 1.0,
        epsilon: float | None = None,
        max_cells: int = 100_000,
        random_state: int | None = None,
    ) -> None:
        super().__init__(random_state=random_state)
        self.max_parents = max_parents
        self.bins = bins
        self.smoothing = smoothing
        self.epsilon = epsilon
        self.max_cells = max_cells

    def _check_params(self) -> None:
        for key in ("max_parents", "bins", "max_cells"):
            value = getattr(self, key)
            check_whole(value, f"bayesnet: {key}", low=0 if key == "max_parents" else 1)
        if not isinstance(self.smoothing, int | float) or not self.smoothing > 0:
            raise DataError(f"bayesnet: smoothing must be positive, got {self.smoothing!r}.")
        eps = self.epsilon
        if eps is not None and (
            isinstance(eps, bool) or not isinstance(eps, int | float) or not 0 < eps < math.inf
        ):
            raise DataError(
                f"bayesnet: epsilon must be a positive number (the privacy budget), got {eps!r}; "
                "leave it out to learn without differential privacy."
            )

    # ------------------------------------------------------------------ fit
    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        self._check_params()
        self.columns_ = list(encoded.columns)
        sizes = {c.name: c.size for c in self.transformer_.encoded_columns}
        n = len(encoded)
        nodes = np.empty((n, len(self.columns_)), dtype=np.int64)
        self.kinds_: list[str] = []
        self.cards_: list[int] = []
        self.inner_: dict[int, np.ndarray] = {}
        for j, name in enumerate(self.columns_):
            values = encoded[name].to_numpy()
            if values.dtype.kind == "f":
                edges, inner = self._bin_edges(values.astype(float))
                nodes[:, j] = _bin_of(values, edges)
                if self.epsilon is None:
                    inner = _within_bins(values, nodes[:, j], inner)
                self.inner_[j] = inner
                self.kinds_.append("continuous")
                self.cards_.append(len(inner))
            else:
                self.kinds_.append("discrete")
                self.cards_.append(max(int(sizes.get(name, 0)), int(values.max()) + 1))
                nodes[:, j] = values
        self._learn_structure(nodes, rng)
        self._learn_tables(nodes, rng)

    def _bin_edges(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Bin edges and, per bin, a placeholder inner grid (uniform between the edges)."""
        if self.epsilon is None:
            edges = np.unique(np.quantile(values, np.linspace(0, 1, self.bins + 1)))
        else:  # equal width over the (unprotected) range: no other data-dependent cut points
            edges = np.unique(np.linspace(values.min(), values.max(), self.bins + 1))
        if len(edges) == 1:
            edges = np.array([edges[0], edges[0]])
        inner = np.linspace(edges[:-1], edges[1:], _INNER, axis=1)
        return edges, inner

    def _learn_structure(self, nodes: np.ndarray, rng: np.random.Generator) -> None:
        n, d = nodes.shape
        cards = self.cards_
        private = self.epsilon is not None
        cache: dict[tuple[int, tuple[int, ...]], float] = {}

        def information(child: int, parents: tuple[int, ...]) -> float:
            key = (child, parents)
            if key not in cache:
                cache[key] = _mutual_information(nodes, cards, child, parents)
            return cache[key]

        cell_cap = float(self.max_cells)
        if private:
            table_budget = float(self.epsilon) * (1 - _STRUCTURE_SHARE)  # type: ignore[arg-type]
            cell_cap = min(cell_cap, n * table_budget / (d * _USEFULNESS))
            step_budget = float(self.epsilon) * _STRUCTURE_SHARE / max(d - 1, 1)  # type: ignore[arg-type]
            sensitivity = _mi_sensitivity_bits(n)
            first = int(rng.integers(d))
        else:
            pairwise = np.zeros((d, d))
            for a, b in itertools.combinations(range(d), 2):
                pairwise[a, b] = pairwise[b, a] = information(a, (b,))
            first = int(np.argmax(pairwise.sum(1))) if d > 1 else 0
        penalty = 1.0 / max(n, 1)  # AIC: one row's worth of information per free parameter

        order, parents_of = [first], {first: ()}
        remaining = [j for j in range(d) if j != first]
        while remaining:
            choices: list[tuple[int, tuple[int, ...]]] = []
            scores: list[float] = []
            for child in remaining:
                if private:
                    pool = list(rng.permutation(order)[:_POOL])
                    sizes: list[int] = list(range(1, min(self.max_parents, len(pool)) + 1))
                else:
                    pool = sorted(order, key=lambda p: -pairwise[child, p])[:_POOL]
                    sizes = list(range(min(self.max_parents, len(pool)) + 1))
                for size in sizes:
                    for parents in itertools.combinations(sorted(pool), size):
                        cells = cards[child] * math.prod(cards[p] for p in parents)
                        if parents and cells > cell_cap:
                            continue
                        info = information(child, parents) if parents else 0.0
                        if private:
                            scores.append(info / math.log(2))
                        else:
                            configs = cells // cards[child]  # AIC gain over no parents
                            scores.append(info - penalty * (cards[child] - 1) * (configs - 1))
                        choices.append((child, parents))
                if private and not any(c == child for c, _ in choices):
                    choices.append((child, ()))
                    scores.append(0.0)
            if private:
                logits = step_budget * np.asarray(scores) / (2 * sensitivity)
                weights = np.exp(logits - logits.max())
                pick = int(rng.choice(len(choices), p=weights / weights.sum()))
            else:
                pick = int(np.argmax(scores))
            child, parents = choices[pick]
            order.append(child)
            parents_of[child] = parents
            remaining.remove(child)
        self.order_ = order
        self.parents_ = [list(parents_of[j]) for j in range(d)]

    def _learn_tables(self, nodes: np.ndarray, rng: np.random.Generator) -> None:
        d = nodes.shape[1]
        self.tables_: list[np.ndarray] = []
        for child in range(d):
            counts = _joint_counts(nodes, self.cards_, child, tuple(self.parents_[child]))
            if self.epsilon is not None:
                scale = 2.0 * d / (float(self.epsilon) * (1 - _STRUCTURE_SHARE))
                counts = np.maximum(counts + rng.laplace(0.0, scale, size=counts.shape), 0.0)
            marginal = counts.sum(0)
            total = marginal.sum()
            marginal = marginal / total if total > 0 else np.full(len(marginal), 1 / len(marginal))
            prior = self.smoothing * marginal
            table = (counts + prior) / (counts.sum(1, keepdims=True) + self.smoothing)
            self.tables_.append(table)

    # ------------------------------------------------------------------ sample
    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        nodes, _ = self._forward(n, {}, rng)
        return self._to_encoded(nodes, rng)

    def _sample_conditioned(
        self, n: int, conditions: Conditions, rng: np.random.Generator
    ) -> pd.DataFrame | None:
        """Equality conditions on discrete columns by likelihood weighting; else None."""
        evidence: dict[int, int] = {}
        for column, wanted in conditions.items():
            if column not in self.columns_ or isinstance(wanted, tuple):
                return None
            j = self.columns_.index(column)
            if self.kinds_[j] != "discrete":
                return None
            evidence[j] = int(self.transformer_.encode_categories(column, [wanted], strict=True)[0])
        candidates = 3 * n + 1000
        nodes, weights = self._forward(candidates, evidence, rng)
        total = weights.sum()
        if not total > 0:
            return None
        chosen = rng.choice(candidates, size=n, p=weights / total)
        return self._to_encoded(nodes[chosen], rng)

    def _forward(
        self, n: int, evidence: dict[int, int], rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        nodes = np.zeros((n, len(self.columns_)), dtype=np.int64)
        weights = np.ones(n)
        for child in self.order_:
            config = np.zeros(n, dtype=np.int64)
            for parent in self.parents_[child]:
                config = config * self.cards_[parent] + nodes[:, parent]
            probs = self.tables_[child][config]
            if child in evidence:
                nodes[:, child] = evidence[child]
                weights *= probs[:, evidence[child]]
                continue
            cum = np.cumsum(probs, axis=1)
            draws = rng.random(n) * cum[:, -1]
            nodes[:, child] = np.minimum((draws[:, None] >= cum).sum(1), probs.shape[1] - 1)
        return nodes, weights

    def _to_encoded(self, nodes: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
        out: dict[str, np.ndarray] = {}
        n = len(nodes)
        for j, name in enumerate(self.columns_):
            if self.kinds_[j] == "discrete":
                out[name] = nodes[:, j]
                continue
            inner = self.inner_[j]
            position = rng.random(n) * (inner.shape[1] - 1)
            low = np.minimum(position.astype(np.int64), inner.shape[1] - 2)
            frac = position - low
            rows = inner[nodes[:, j]]
            picked = np.take_along_axis(rows, low[:, None], 1)[:, 0]
            upper = np.take_along_axis(rows, low[:, None] + 1, 1)[:, 0]
            out[name] = picked + frac * (upper - picked)
        return pd.DataFrame(out)[self.columns_]

    # ------------------------------------------------------------------ state
    def _get_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "columns": self.columns_,
            "kinds": self.kinds_,
            "cards": [int(c) for c in self.cards_],
            "order": [int(j) for j in self.order_],
            "parents": [[int(p) for p in ps] for ps in self.parents_],
        }
        for j, table in enumerate(self.tables_):
            state[f"table.{j}"] = table
        for j, inner in self.inner_.items():
            state[f"inner.{j}"] = inner
        return state

    def _set_state(self, state: dict[str, Any]) -> None:
        self.columns_ = list(state["columns"])
        self.kinds_ = list(state["kinds"])
        self.cards_ = [int(c) for c in state["cards"]]
        self.order_ = [int(j) for j in state["order"]]
        self.parents_ = [[int(p) for p in ps] for ps in state["parents"]]
        d = len(self.columns_)
        self.tables_ = [np.asarray(state[f"table.{j}"], dtype=float) for j in range(d)]
        self.inner_ = {
            j: np.asarray(state[f"inner.{j}"], dtype=float)
            for j in range(d)
            if self.kinds_[j] == "continuous"
        }
        if sorted(self.order_) != list(range(d)) or len(self.parents_) != d:
            raise ValueError("the network's order or parents do not match its columns")
        for j in range(d):
            configs = math.prod(self.cards_[p] for p in self.parents_[j])
            if self.tables_[j].shape != (configs, self.cards_[j]):
                raise ValueError(f"table {j} has the wrong shape")


# ---------------------------------------------------------------------- helpers
def _bin_of(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    bins = len(edges) - 1
    return np.clip(np.searchsorted(edges[1:-1], values, side="right"), 0, bins - 1)


def _within_bins(values: np.ndarray, bins: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Per bin, `_INNER` quantiles of the values that fell in it (the edges for empty bins)."""
    out = inner.copy()
    grid = np.linspace(0, 1, inner.shape[1])
    for b in range(len(inner)):
        members = values[bins == b]
        if len(members):
            out[b] = np.quantile(members, grid)
    return out


def _joint_counts(
    nodes: np.ndarray, cards: list[int], child: int, parents: tuple[int, ...]
) -> np.ndarray:
    """Counts as a (parent configurations x child values) array."""
    config = np.zeros(len(nodes), dtype=np.int64)
    for parent in parents:
        config = config * cards[parent] + nodes[:, parent]
    configs = math.prod(cards[p] for p in parents)
    flat = np.bincount(config * cards[child] + nodes[:, child], minlength=configs * cards[child])
    return flat.reshape(configs, cards[child]).astype(float)


def _mutual_information(
    nodes: np.ndarray, cards: list[int], child: int, parents: tuple[int, ...]
) -> float:
    """I(child; parents) in nats, from the empirical joint distribution."""
    joint = _joint_counts(nodes, cards, child, parents) / len(nodes)
    outer = joint.sum(1, keepdims=True) * joint.sum(0, keepdims=True)
    mask = joint > 0
    return float((joint[mask] * np.log(joint[mask] / outer[mask])).sum())


def _mi_sensitivity_bits(n: int) -> float:
    """PrivBayes' bound on how much one changed row can move I(X; parents), in bits (any domain)."""
    if n < 2:
        return 1.0
    return (2 / n) * math.log2((n + 1) / 2) + ((n - 1) / n) * math.log2((n + 1) / (n - 1))
