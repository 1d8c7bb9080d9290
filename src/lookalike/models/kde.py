"""Kernel density estimation on the transformed space, with a kernel fit for categories.

The density is a mixed product kernel centred on every training row (Li and Racine's setting):

* continuous columns are first mapped to normal scores through their own empirical distribution
  (so skewed columns and spikes need no special care), then get a Gaussian kernel of width
  `h = m * s`, where `s` is Silverman's multivariate rule for standardised data;
* discrete columns get an Aitchison-Aitken-style kernel: keep the row's category with probability
  `1 - lam`, else draw it from the column's marginal (smoothing toward the marginal rather than the
  uniform, so rare categories stay rare and every marginal is kept exactly).

The bandwidth multiplier `m` and the category smoothing `lam` are chosen from the data by
likelihood cross-validation (held-out log-likelihood over a small grid, on a subsample to stay
fast) unless given. Sampling from a KDE is exact and cheap: pick a training row, add the kernel's
noise. The model file holds the training rows (encoded): treat it like the real data.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import logsumexp

from lookalike.errors import DataError
from lookalike.models._normal_scores import ScoredRows
from lookalike.models.base import Model

_MULTIPLIERS = (0.1, 0.2, 0.3, 0.45, 0.65, 1.0, 1.5)
_SMOOTHING = (0.0, 0.01, 0.03, 0.1, 0.3, 0.6)
_CV_HELD_OUT = 600
_CV_CENTRES = 3000


class KDESynthesizer(Model):
    """Mixed-kernel KDE: Gaussian on normal scores, marginal-smoothing kernel on categories.

    Args:
        bandwidth: "cv" (likelihood cross-validation), "silverman" (the rule as is) or a number,
            the multiplier of Silverman's rule for the continuous columns.
        category_smoothing: probability `lam` that a category is redrawn from its marginal; None
            chooses it with the bandwidth ("cv") or sets it to the rule's `s**2` (otherwise).
        quantiles: size of the quantile grid that maps scores back to values.
        random_state: seed for fitting and sampling.
    """

    name = "kde"

    def __init__(
        self,
        *,
        bandwidth: str | float = "cv",
        category_smoothing: float | None = None,
        quantiles: int = 1000,
        random_state: int | None = None,
    ) -> None:
        super().__init__(random_state=random_state)
        self.bandwidth = bandwidth
        self.category_smoothing = category_smoothing
        self.quantiles = quantiles

    def _check_params(self) -> None:
        from lookalike.models._normal_scores import check_quantiles

        check_quantiles("kde", self.quantiles)
        bandwidth = self.bandwidth
        if isinstance(bandwidth, str):
            if bandwidth not in ("cv", "silverman"):
                raise DataError(
                    f"kde: bandwidth must be 'cv', 'silverman' or a positive number, got "
                    f"{bandwidth!r}."
                )
        elif (
            isinstance(bandwidth, bool) or not isinstance(bandwidth, int | float) or bandwidth <= 0
        ):
            raise DataError(f"kde: bandwidth must be a positive number, got {bandwidth!r}.")
        lam = self.category_smoothing
        if lam is not None and (not isinstance(lam, int | float) or not 0 <= lam <= 1):
            raise DataError(f"kde: category_smoothing must be in [0, 1], got {lam!r}.")

    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        self._check_params()
        self.rows_ = ScoredRows.fit(encoded, self.quantiles, rng)
        n = len(encoded)
        rule = _silverman(n, len(self.rows_.columns))
        if self.bandwidth == "cv" and n >= 20:
            multiplier, lam = self._cross_validate(rule, rng)
        else:
            multiplier = 1.0 if isinstance(self.bandwidth, str) else float(self.bandwidth)
            lam = min(1.0, (multiplier * rule) ** 2)
        if self.category_smoothing is not None:
            lam = float(self.category_smoothing)
        self.width_ = float(multiplier * rule)
        self.smoothing_ = float(min(lam, 1.0))

    def _cross_validate(self, rule: float, rng: np.random.Generator) -> tuple[float, float]:
        """(multiplier, lam) with the best held-out log-likelihood on the grid.

        The held-out rows are scored against a subsample of centres, with the rule and the
        smoothing scaled to the subsample's size; the winning multiplier carries over to the full
        table through the rule, and lam is scaled back the same way (it shrinks like s**2).
        """
        stored = self.rows_
        n = len(stored.codes)
        order = rng.permutation(n)
        held = order[: min(_CV_HELD_OUT, n // 4)]
        centres = order[len(held) :][:_CV_CENTRES]
        dims = len(stored.continuous)
        local = _silverman(len(centres), len(stored.columns))
        a, b = stored.scores[held], stored.scores[centres]
        squared = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :] - 2.0 * a @ b.T
        squared = np.maximum(squared, 0.0).astype(np.float32)
        shrink = (rule / local) ** 2
        if self.category_smoothing is not None:
            grid = (float(self.category_smoothing) / shrink,)
        else:
            grid = _SMOOTHING
        best, best_score = (1.0, 0.0), -np.inf
        for lam in grid:
            lam = min(lam, 1.0)
            discrete = np.zeros(squared.shape, dtype=np.float32)
            for j in range(len(stored.discrete)):
                p = stored.marginals[j][stored.codes[held, j]]
                miss = np.log(np.maximum(lam * p, 1e-300)).astype(np.float32)
                hit = np.log(1.0 - lam + lam * p).astype(np.float32)
                match = stored.codes[held, j][:, None] == stored.codes[centres, j][None, :]
                discrete += np.where(match, hit[:, None], miss[:, None])
            for multiplier in _MULTIPLIERS:
                h = multiplier * local
                log_kernel = (
                    discrete - np.float32(0.5 / h**2) * squared - np.float32(dims * np.log(h))
                )
                score = float(logsumexp(log_kernel, axis=1).mean())
                if score > best_score:
                    best, best_score = (multiplier, float(lam * shrink)), score
        return best

    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        rows = rng.integers(0, len(self.rows_.codes), size=n)
        return self.rows_.draw(rows, partial(rng.normal, 0.0, self.width_), self.smoothing_, rng)

    def _get_state(self) -> dict[str, Any]:
        return {**self.rows_.get_state(), "width": self.width_, "smoothing": self.smoothing_}

    def _set_state(self, state: dict[str, Any]) -> None:
        self.rows_ = ScoredRows.from_state(state)
        self.width_ = float(state["width"])
        self.smoothing_ = float(state["smoothing"])


def _silverman(n: int, dims: int) -> float:
    """Silverman's multivariate rule of thumb for unit-variance data."""
    d = max(dims, 1)
    return float((4.0 / (d + 2.0)) ** (1.0 / (d + 4.0)) * max(n, 1) ** (-1.0 / (d + 4.0)))
