"""Numeric matrices from prepared tables, for classifiers and for distances between rows.

`tree_matrix`: continuous values as they are (NaN kept) and discrete codes (NaN for missing),
for gradient boosting with native categories. `dense_matrix`: every value scaled for a linear
model or a distance: continuous columns to [0, 1] over the real range (missing: a 0/1 flag and
the real median), discrete columns one-hot with weight 1/sqrt(2), so a category mismatch adds
exactly 1 to a squared Euclidean distance, like a number at the opposite end of its range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lookalike.evaluation.inputs import Prepared, Table

MAX_TREE_CATEGORIES = 250  # HistGradientBoosting takes at most 255 bins per categorical feature
MAX_ONE_HOT = 100  # rarer categories share one "other" column


@dataclass(frozen=True)
class Encoding:
    """How to turn a prepared table into numbers; learned from the real table only."""

    columns: list[str]
    continuous: list[str]
    low: dict[str, float]
    width: dict[str, float]
    median: dict[str, float]
    with_flag: list[str]
    keep_codes: dict[str, np.ndarray]  # discrete column -> kept codes (most frequent first)
    mean: dict[str, float]
    std: dict[str, float]

    def tree_matrix(self, table: Table) -> tuple[np.ndarray, np.ndarray]:
        """(X, is_categorical): one column per evaluated column, NaN for missing."""
        blocks, categorical = [], []
        for name in self.columns:
            values = table.values[name]
            if name in self.continuous:
                blocks.append(values.astype(float))
                categorical.append(False)
            else:
                kept = self.keep_codes[name][:MAX_TREE_CATEGORIES]
                blocks.append(_recode(values, kept, other=len(kept)))
                categorical.append(True)
        return np.column_stack(blocks), np.array(categorical, dtype=bool)

    def dense_matrix(self, table: Table) -> np.ndarray:
        """Scaled numbers (+ missing flags) and weighted one-hot categories, float32."""
        blocks: list[np.ndarray] = []
        for name in self.columns:
            values = table.values[name]
            if name in self.continuous:
                missing = np.isnan(values)
                scaled = (
                    np.where(missing, self.median[name], values) - self.low[name]
                ) / self.width[name]
                blocks.append(scaled[:, None])
                if name in self.with_flag:
                    blocks.append(missing[:, None].astype(float))
            else:
                kept = self.keep_codes[name][:MAX_ONE_HOT]
                recoded = _recode(values, kept, other=len(kept), missing=len(kept) + 1)
                one_hot = np.zeros((table.n, len(kept) + 2), dtype=np.float32)
                one_hot[np.arange(table.n), recoded.astype(np.int64)] = np.sqrt(0.5)
                blocks.append(one_hot)
        return np.hstack(blocks).astype(np.float32)

    def projection_matrix(self, table: Table) -> np.ndarray:
        """For PCA / t-SNE: numbers standardized and clipped to ±5 (long tails would squeeze
        every other row into one spot), missing flags, one-hot categories.
        """
        dense = self.dense_matrix(table)
        position = 0
        for name in self.columns:
            if name in self.continuous:
                values = table.values[name]
                filled = np.where(np.isnan(values), self.mean[name], values)
                dense[:, position] = np.clip((filled - self.mean[name]) / self.std[name], -5, 5)
                position += 2 if name in self.with_flag else 1
            else:
                position += len(self.keep_codes[name][:MAX_ONE_HOT]) + 2
        return dense


def learn_encoding(data: Prepared, columns: list[str] | None = None) -> Encoding:
    """Scales, medians and kept categories from the real table (all columns by default)."""
    columns = list(columns if columns is not None else data.columns)
    continuous = [c for c in columns if data.is_continuous(c)]
    tables = [data.real, data.synthetic] + ([data.holdout] if data.holdout is not None else [])
    low, width, median, with_flag, keep_codes = {}, {}, {}, [], {}
    mean, std = {}, {}
    for name in continuous:
        present = data.real.values[name][~np.isnan(data.real.values[name])]
        low[name] = float(present.min()) if len(present) else 0.0
        high = float(present.max()) if len(present) else 1.0
        width[name] = high - low[name] if high > low[name] else 1.0
        median[name] = float(np.median(present)) if len(present) else 0.0
        mean[name] = float(present.mean()) if len(present) else 0.0
        spread = float(present.std()) if len(present) > 1 else 0.0
        std[name] = spread if spread > 0 else 1.0
        if any(np.isnan(t.values[name]).any() for t in tables):
            with_flag.append(name)
    for name in columns:
        if name in continuous:
            continue
        codes = data.real.values[name]
        counts = np.bincount(codes[codes >= 0]) if (codes >= 0).any() else np.zeros(0, int)
        order = np.argsort(-counts, kind="stable")
        keep_codes[name] = order[counts[order] > 0]
    return Encoding(columns, continuous, low, width, median, with_flag, keep_codes, mean, std)


def _recode(codes: np.ndarray, kept: np.ndarray, other: int, missing: float = np.nan) -> np.ndarray:
    """Map codes to positions in `kept`; unseen codes to `other`, missing (-1) to `missing`."""
    lookup_size = int(max(codes.max(initial=0), kept.max(initial=0))) + 1
    lookup = np.full(lookup_size, float(other))
    lookup[kept] = np.arange(len(kept), dtype=float)
    out = np.where(codes >= 0, lookup[np.maximum(codes, 0)], missing)
    return out.astype(float)
