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
from lookalike.models._normal_scores import ScoredRows
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
        from lookalike.models._normal_scores import check_quantiles

        check_quantiles("noise", self.quantiles)
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
        self.rows_ = ScoredRows.fit(encoded, self.quantiles, rng)

    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        rows = _shuffled_rows(len(self.rows_.codes), n, rng)
        return self.rows_.draw(rows, lambda size: self._noise(size, rng), self.flip, rng)

    def _noise(self, size: int, rng: np.random.Generator) -> np.ndarray:
        if self.scale <= 0:
            return np.zeros(size)
        if self.distribution == "laplace":
            return rng.laplace(0.0, self.scale / np.sqrt(2.0), size=size)
        return rng.normal(0.0, self.scale, size=size)

    def _get_state(self) -> dict[str, Any]:
        return self.rows_.get_state()

    def _set_state(self, state: dict[str, Any]) -> None:
        self.rows_ = ScoredRows.from_state(state)


def _shuffled_rows(size: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` row indices: whole shuffles of range(size), so every real row is used evenly."""
    rounds = -(-n // size)
    return np.concatenate([rng.permutation(size) for _ in range(rounds)])[:n]
