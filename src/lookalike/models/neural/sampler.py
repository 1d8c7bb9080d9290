"""Conditional vectors and training-by-sampling over the discrete columns (vectorised).

A conditional vector is the one-hot of one category of one discrete column, laid out as the
concatenation of every discrete column's one-hot block. In training, the column is drawn uniformly
and the category by its log-frequency (so rare categories are seen), and the real row is drawn
among the rows that have it; at generation time the category is drawn by its frequency.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class ConditionSampler:
    """Draw conditions and matching real rows from the discrete columns' codes.

    Args:
        codes: (n, m) integer codes of the m discrete columns.
        sizes: number of categories of each discrete column.
    """

    def __init__(self, codes: np.ndarray, sizes: list[int]) -> None:
        self.sizes = np.asarray(sizes, dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)
        self.dim = int(self.sizes.sum())
        width = int(self.sizes.max()) if len(sizes) else 1
        counts = np.zeros((len(sizes), width))
        for j, size in enumerate(sizes):
            counts[j, :size] = np.bincount(codes[:, j], minlength=size)[:size]
        self.counts = counts
        # rows sorted by each column's code: rows of category k of column j sit at
        # order[starts[j, k] : starts[j, k] + counts[j, k], j]
        self.order = np.argsort(codes, axis=0, kind="stable")
        self.starts = np.concatenate(
            [np.zeros((len(sizes), 1)), np.cumsum(counts, axis=1)[:, :-1]], axis=1
        ).astype(np.int64)
        log_freq = np.where(counts > 0, np.log1p(counts), 0.0)
        self.train_cum = _row_cumulative(log_freq)
        self.freq_cum = _row_cumulative(counts)

    def __bool__(self) -> bool:
        return self.dim > 0

    def draw_training(
        self, n: int, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(columns, categories, rows): n conditions by log-frequency and a real row for each."""
        columns, categories = self._draw(n, self.train_cum, rng)
        count = self.counts[columns, categories]
        pick = np.minimum((rng.random(n) * count).astype(np.int64), count.astype(np.int64) - 1)
        rows = self.order[self.starts[columns, categories] + pick, columns]
        return columns, categories, rows

    def draw_generation(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(columns, categories): n conditions with categories drawn by their frequency."""
        return self._draw(n, self.freq_cum, rng)

    def one_hot(self, columns: np.ndarray, categories: np.ndarray) -> np.ndarray:
        """The (n, dim) float32 conditional vectors of (column, category) pairs."""
        out = np.zeros((len(columns), self.dim), dtype=np.float32)
        out[np.arange(len(columns)), self.offsets[columns] + categories] = 1.0
        return out

    def _draw(
        self, n: int, cum: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        columns = rng.integers(len(self.sizes), size=n)
        u = rng.random(n)[:, None]
        categories = (cum[columns] < u).sum(axis=1)
        return columns, np.minimum(categories, self.sizes[columns] - 1)

    # ------------------------------------------------------------------ state
    def get_state(self, prefix: str) -> dict[str, Any]:
        """Only what generation needs: sizes and category counts."""
        return {f"{prefix}sizes": self.sizes, f"{prefix}counts": self.counts}

    @classmethod
    def from_state(cls, state: dict[str, Any], prefix: str) -> ConditionSampler:
        """The sampler saved under `prefix` by `get_state`."""
        self = cls.__new__(cls)
        self.sizes = np.asarray(state[f"{prefix}sizes"], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)[:-1]]).astype(np.int64)
        self.dim = int(self.sizes.sum())
        self.counts = np.asarray(state[f"{prefix}counts"], dtype=float)
        self.freq_cum = _row_cumulative(self.counts)
        return self


def _row_cumulative(weights: np.ndarray) -> np.ndarray:
    total = weights.sum(axis=1, keepdims=True)
    return np.cumsum(weights, axis=1) / np.where(total > 0, total, 1.0)
