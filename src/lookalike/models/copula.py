"""Gaussian copula with empirical marginals.

Every encoded column is mapped to a normal score through its own empirical distribution (ties and
categories spread uniformly over their probability mass: the distributional transform), the
dependence between columns is the correlation matrix of those scores, and sampling runs the map
backwards. Marginals are exact up to the quantile grid, categories of any cardinality cost one
column (no one-hot), and sampling is a matrix product plus interpolation: millions of rows/s.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from lookalike.models.base import Model

_EPS = 1e-6


class GaussianCopula(Model):
    """Gaussian copula on exact empirical marginals.

    Args:
        quantiles: size of the quantile grid that stores each continuous marginal.
        order_passes: rounds of re-ordering categories along the main axis of the data, so
            that monotone (copula) dependence can express category associations; 0 keeps
            categories in frequency order.
        random_state: seed for fitting and sampling.
    """

    name = "copula"

    def __init__(
        self, *, quantiles: int = 1000, order_passes: int = 2, random_state: int | None = None
    ) -> None:
        super().__init__(random_state=random_state)
        self.quantiles = quantiles
        self.order_passes = order_passes

    def _check_params(self) -> None:
        from lookalike.errors import DataError
        from lookalike.models._normal_scores import check_quantiles

        check_quantiles("copula", self.quantiles)
        passes = self.order_passes
        if isinstance(passes, bool) or not isinstance(passes, int) or not 0 <= passes <= 100:
            raise DataError(
                f"copula: order_passes must be a whole number from 0 to 100, got {passes!r}."
            )

    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        self._check_params()
        n = len(encoded)
        grid = np.linspace(0.0, 1.0, max(2, min(self.quantiles, n)))
        self.columns_ = list(encoded.columns)
        self.kinds_ = []
        self.marginals_: list[np.ndarray] = []
        self.orders_: dict[int, np.ndarray] = {}
        noise = rng.uniform(size=(n, len(self.columns_)))
        scores = np.empty((n, len(self.columns_)))
        for j, name in enumerate(self.columns_):
            values = encoded[name].to_numpy()
            if np.issubdtype(values.dtype, np.integer):
                self.kinds_.append("discrete")
                self.orders_[j] = np.arange(int(values.max()) + 1 if n else 1)
                self.marginals_.append(np.empty(0))
            else:
                order = np.sort(values)
                below = np.searchsorted(order, values, side="left") / n
                above = np.searchsorted(order, values, side="right") / n
                scores[:, j] = ndtri(np.clip(below + noise[:, j] * (above - below), _EPS, 1 - _EPS))
                self.kinds_.append("continuous")
                self.marginals_.append(np.quantile(values, grid))
        # Categories have no natural order, and a copula only sees monotone dependence: order each
        # discrete column's categories along the table's main axis of variation (two passes).
        for _ in range(self.order_passes + 1):
            for j in self.orders_:
                self.marginals_[j], scores[:, j] = _discrete_scores(
                    encoded[self.columns_[j]].to_numpy(), self.orders_[j], noise[:, j]
                )
            if _ == self.order_passes or n < 3:
                break
            axis = _main_axis(scores)
            for j in self.orders_:
                codes = encoded[self.columns_[j]].to_numpy()
                size = len(self.orders_[j])
                counts = np.bincount(codes, minlength=size)
                means = np.bincount(codes, weights=axis, minlength=size) / np.maximum(counts, 1)
                self.orders_[j] = np.argsort(means, kind="stable")
        corr = np.corrcoef(scores, rowvar=False) if n > 1 else np.eye(len(self.columns_))
        corr = np.atleast_2d(np.nan_to_num(corr))
        np.fill_diagonal(corr, 1.0)
        self.correlation_ = _nearest_positive_definite(corr)

    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        chol = np.linalg.cholesky(self.correlation_)
        u = ndtr(rng.standard_normal((n, len(self.columns_))) @ chol.T)
        out: dict[str, np.ndarray] = {}
        for j, name in enumerate(self.columns_):
            marginal = self.marginals_[j]
            if self.kinds_[j] == "discrete":
                ranks = np.searchsorted(marginal, u[:, j], side="right")
                ranks = np.minimum(ranks, len(marginal) - 1)
                out[name] = self.orders_[j][ranks].astype(np.int64)
            else:
                grid = np.linspace(0.0, 1.0, len(marginal))
                out[name] = np.interp(u[:, j], grid, marginal)
        return pd.DataFrame(out)

    def _get_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "columns": self.columns_,
            "kinds": self.kinds_,
            "correlation": self.correlation_,
        }
        for j, marginal in enumerate(self.marginals_):
            state[f"marginal.{j}"] = marginal
        for j, order in self.orders_.items():
            state[f"order.{j}"] = order
        return state

    def _set_state(self, state: dict[str, Any]) -> None:
        self.columns_ = list(state["columns"])
        self.kinds_ = list(state["kinds"])
        self.correlation_ = np.asarray(state["correlation"], dtype=float)
        self.marginals_ = [np.asarray(state[f"marginal.{j}"]) for j in range(len(self.columns_))]
        self.orders_ = {
            j: np.asarray(state[f"order.{j}"], dtype=np.int64)
            for j, kind in enumerate(self.kinds_)
            if kind == "discrete"
        }
        if self.correlation_.shape != (len(self.columns_), len(self.columns_)):
            raise ValueError("correlation matrix does not match the columns")


def _discrete_scores(
    codes: np.ndarray, order: np.ndarray, noise: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative probabilities in `order` and each row's normal score within its category."""
    probs = np.bincount(codes, minlength=len(order)) / len(codes)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    cum = np.cumsum(probs[order])
    low = cum[rank[codes]] - probs[codes]
    u = low + noise * probs[codes]
    return cum, ndtri(np.clip(u, _EPS, 1 - _EPS))


def _main_axis(scores: np.ndarray) -> np.ndarray:
    """Each row's coordinate on the first principal component of the normal scores."""
    centred = scores - scores.mean(axis=0)
    spread = centred.std(axis=0)
    centred = centred / np.where(spread > 0, spread, 1.0)
    _, _, vt = np.linalg.svd(centred[: min(len(centred), 20_000)], full_matrices=False)
    return np.asarray(centred @ vt[0])


def _nearest_positive_definite(corr: np.ndarray) -> np.ndarray:
    """Clip eigenvalues so the Cholesky factor exists; keep a unit diagonal."""
    values, vectors = np.linalg.eigh((corr + corr.T) / 2)
    fixed = vectors @ np.diag(np.maximum(values, 1e-6)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    return np.asarray(fixed / np.outer(scale, scale))
