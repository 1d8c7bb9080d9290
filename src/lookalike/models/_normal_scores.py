"""Map continuous columns to standard-normal scores through their own empirical distribution.

Shared by the models that work in a standardised space (`kde`, `noise`): every column becomes
roughly N(0, 1) whatever its shape, ties (point masses such as a spike at 0) are spread over their
probability mass, and the way back is a stored quantile grid, so values stay inside the real range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

_EPS = 1e-6


MAX_QUANTILES = 1_000_000


def check_quantiles(model: str, quantiles: object) -> None:
    """Refuse a quantile count outside 2..MAX_QUANTILES (never silently raise it to 2)."""
    from lookalike.errors import DataError

    if (
        isinstance(quantiles, bool)
        or not isinstance(quantiles, int)
        or not 2 <= quantiles <= MAX_QUANTILES
    ):
        raise DataError(
            f"{model}: quantiles must be a whole number from 2 to {MAX_QUANTILES:,}, "
            f"got {quantiles!r}."
        )


def quantile_grid(values: np.ndarray, size: int) -> np.ndarray:
    """`size` evenly spaced quantiles of `values` (fewer when there are fewer values)."""
    points = max(2, min(size, len(values)))
    return np.asarray(np.quantile(values, np.linspace(0.0, 1.0, points)), dtype=float)


def to_scores(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Normal scores of `values` under their own empirical distribution (ties jittered)."""
    n = len(values)
    order = np.sort(values)
    below = np.searchsorted(order, values, side="left") / n
    above = np.searchsorted(order, values, side="right") / n
    u = below + rng.uniform(size=n) * (above - below)
    return np.asarray(ndtri(np.clip(u, _EPS, 1 - _EPS)), dtype=float)


def from_scores(scores: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Values back from normal scores through a quantile grid made by `quantile_grid`."""
    probs = np.linspace(0.0, 1.0, len(grid))
    return np.asarray(np.interp(ndtr(scores), probs, grid), dtype=float)


@dataclass
class ScoredRows:
    """Training rows kept in the standardised space: continuous columns as normal scores (with a
    quantile grid each to map back), discrete columns as codes (with their marginals).
    """

    columns: list[str]
    continuous: list[str]
    discrete: list[str]
    scores: np.ndarray  # rows x continuous
    codes: np.ndarray  # rows x discrete
    grids: list[np.ndarray]
    marginals: list[np.ndarray]

    @classmethod
    def fit(cls, encoded: pd.DataFrame, quantiles: int, rng: np.random.Generator) -> ScoredRows:
        columns = list(encoded.columns)
        continuous = [c for c in columns if encoded[c].dtype.kind == "f"]
        discrete = [c for c in columns if c not in continuous]
        n = len(encoded)
        scores = np.empty((n, len(continuous)))
        grids = []
        for j, name in enumerate(continuous):
            values = encoded[name].to_numpy(dtype=float)
            scores[:, j] = to_scores(values, rng)
            grids.append(quantile_grid(values, quantiles))
        codes = encoded[discrete].to_numpy(dtype=np.int64).reshape(n, -1)
        marginals = [
            np.bincount(codes[:, j], minlength=int(codes[:, j].max()) + 1) / n
            for j in range(len(discrete))
        ]
        return cls(columns, continuous, discrete, scores, codes, grids, marginals)

    def draw(
        self,
        rows: np.ndarray,
        noise: Callable[[int], np.ndarray],
        redraw_share: float,
        rng: np.random.Generator,
    ) -> pd.DataFrame:
        """The encoded rows `rows` with `noise(n)` added to each score and each discrete value
        redrawn from its marginal with probability `redraw_share`.
        """
        n = len(rows)
        out: dict[str, np.ndarray] = {}
        for j, name in enumerate(self.continuous):
            out[name] = from_scores(self.scores[rows, j] + noise(n), self.grids[j])
        for j, name in enumerate(self.discrete):
            codes = self.codes[rows, j].copy()
            redraw = rng.random(n) < redraw_share
            marginal = self.marginals[j]
            codes[redraw] = rng.choice(len(marginal), size=int(redraw.sum()), p=marginal)
            out[name] = codes
        return pd.DataFrame(out)[self.columns]

    def get_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {
            "columns": self.columns,
            "continuous": self.continuous,
            "discrete": self.discrete,
            "scores": self.scores,
            "codes": self.codes,
        }
        state.update({f"grid.{j}": grid for j, grid in enumerate(self.grids)})
        state.update({f"marginal.{j}": m for j, m in enumerate(self.marginals)})
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ScoredRows:
        continuous, discrete = list(state["continuous"]), list(state["discrete"])
        rows = cls(
            list(state["columns"]),
            continuous,
            discrete,
            np.asarray(state["scores"], dtype=float),
            np.asarray(state["codes"], dtype=np.int64),
            [np.asarray(state[f"grid.{j}"]) for j in range(len(continuous))],
            [np.asarray(state[f"marginal.{j}"]) for j in range(len(discrete))],
        )
        if rows.scores.shape[1] != len(continuous) or rows.codes.shape[1] != len(discrete):
            raise ValueError("stored rows do not match the columns")
        return rows
