"""Map continuous columns to standard-normal scores through their own empirical distribution.

Shared by the models that work in a standardised space (`kde`, `noise`): every column becomes
roughly N(0, 1) whatever its shape, ties (point masses such as a spike at 0) are spread over their
probability mass, and the way back is a stored quantile grid, so values stay inside the real range.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

_EPS = 1e-6


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
