"""Noise perturbation of real rows: the oldest disclosure-control method, as a baseline.

Every synthetic row is a real row, drawn in shuffled order, with noise on each value:

* continuous columns: Gaussian or Laplace noise added to the column's normal score (its value
  mapped through its own empirical distribution), so the noise is scaled per column, a spike such
  as "capital gain = 0" stays a spike and values stay inside the real range;
* discrete columns (categories, booleans, missing flags): with probability `flip` the value is
  redrawn from the column's marginal distribution (randomised response that keeps the marginal).

The privacy/utility knob is `scale` (noise in standard deviations of each column's score) with
`flip`: at `scale=0, flip=0` the model returns the real rows shuffled (full fidelity, no privacy);
larger values move each row further from its source and erase more of the dependencies. There is
no formal guarantee at any setting: every row is still built from one real row, and an attacker who
knows a person's other values can often find that row. Measure the result with `lookalike evaluate`
(distance to closest record, exact copies) before sharing it. The model file holds the real rows
(encoded): treat it like the real data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.models._normal_scores import from_scores, quantile_grid, to_scores
from lookalike.models.base import Model

_DISTRIBUTIONS = ("gaussian", "laplace")


class NoiseSynthesizer(Model):
    """Real rows, shuffled, with per-column noise and category flips.

    Args:
        scale: standard deviation of the noise on each continuous column's normal score
            (0 = no noise; 0.25 moves a typical value by about a quarter of the column's spread).
        distribution: "gaussian" or "laplace" (heavier tails, same standard deviation).
        flip: probability that a discrete value is redrawn from its column's marginal.
        quantiles: size of the quantile grid that maps scores back to values.
        random_state: seed for fitting and sampling.
    """

    name = "noise"

    def __init__(
        self,
        *,
        scale: float = 0.25,
        distribution: str = "gaussian",
        flip: float = 0.05,
        quantiles: int = 1000,
        random_state: int | None = None,
    ) -> None:
        super().__init__(random_state=random_state)
        self.scale = scale
        self.distribution = distribution
        self.flip = flip
        self.quantiles = quantiles

    def _check_params(self) -> None:
        if not isinstance(self.scale, int | float) or not self.scale >= 0:
            raise DataError(f"noise: scale must be 0 or more, got {self.scale!r}.")
        if not isinstance(self.flip, int | float) or not 0 <= self.flip <= 1:
            raise DataError(f"noise: flip must be a probability in [0, 1], got {self.flip!r}.")
        if self.distribution not in _DISTRIBUTIONS:
            raise DataError(
                f"noise: distribution must be one of {', '.join(_DISTRIBUTIONS)}, "
                f"got {self.distribution!r}."
            )

    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        self._check_params()
        self.columns_ = list(encoded.columns)
        self.continuous_ = [c for c in self.columns_ if encoded[c].dtype.kind == "f"]
        self.discrete_ = [c for c in self.columns_ if c not in self.continuous_]
        n = len(encoded)
        self.scores_ = np.empty((n, len(self.continuous_)))
        self.grids_: list[np.ndarray] = []
        for j, name in enumerate(self.continuous_):
            values = encoded[name].to_numpy(dtype=float)
            self.scores_[:, j] = to_scores(values, rng)
            self.grids_.append(quantile_grid(values, self.quantiles))
        self.codes_ = encoded[self.discrete_].to_numpy(dtype=np.int64).reshape(n, -1)
        self.marginals_ = [
            np.bincount(self.codes_[:, j], minlength=int(self.codes_[:, j].max()) + 1) / n
            for j in range(len(self.discrete_))
        ]

    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        rows = _shuffled_rows(len(self.codes_), n, rng)
        out: dict[str, np.ndarray] = {}
        for j, name in enumerate(self.continuous_):
            scores = self.scores_[rows, j]
            if self.scale > 0:
                if self.distribution == "laplace":
                    scores = scores + rng.laplace(0.0, self.scale / np.sqrt(2.0), size=n)
                else:
                    scores = scores + rng.normal(0.0, self.scale, size=n)
            out[name] = from_scores(scores, self.grids_[j])
        for j, name in enumerate(self.discrete_):
            codes = self.codes_[rows, j].copy()
            redraw = rng.random(n) < self.flip
            marginal = self.marginals_[j]
            codes[redraw] = rng.choice(len(marginal), size=int(redraw.sum()), p=marginal)
            out[name] = codes
        return pd.DataFrame(out)[self.columns_]

    def _get_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "columns": self.columns_,
            "continuous": self.continuous_,
            "discrete": self.discrete_,
            "scores": self.scores_,
            "codes": self.codes_,
        }
        for j, grid in enumerate(self.grids_):
            state[f"grid.{j}"] = grid
        for j, marginal in enumerate(self.marginals_):
            state[f"marginal.{j}"] = marginal
        return state

    def _set_state(self, state: dict[str, Any]) -> None:
        self.columns_ = list(state["columns"])
        self.continuous_ = list(state["continuous"])
        self.discrete_ = list(state["discrete"])
        self.scores_ = np.asarray(state["scores"], dtype=float)
        self.codes_ = np.asarray(state["codes"], dtype=np.int64)
        self.grids_ = [np.asarray(state[f"grid.{j}"]) for j in range(len(self.continuous_))]
        self.marginals_ = [np.asarray(state[f"marginal.{j}"]) for j in range(len(self.discrete_))]
        if self.scores_.shape[1] != len(self.continuous_) or self.codes_.shape[1] != len(
            self.discrete_
        ):
            raise ValueError("stored rows do not match the columns")


def _shuffled_rows(size: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` row indices: whole shuffles of range(size), so every real row is used evenly."""
    rounds = -(-n // size)
    return np.concatenate([rng.permutation(size) for _ in range(rounds)])[:n]
