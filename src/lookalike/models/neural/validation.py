"""A cheap fidelity score for picking the best epoch of a neural model while it trains.

`EpochScore` holds a fixed slice of the encoded training rows as the reference. `score(frame)`
compares an encoded frame of generated rows with it the way the SDMetrics quality score compares
decoded tables, but on encoded columns and a few thousand rows so it costs milliseconds:
    shapes  per column, 1 - KS distance (continuous; the generated CDF is read half-way between
            the reference's distinct values, so integer-valued columns are compared as if the
            generated values were rounded, as decoding does) or 1 - TV distance (discrete);
    trends  per related pair (|r| > 0.5 for two continuous columns, Cramer's V > 0.3 otherwise,
            both measured on the reference), 1 - |r_ref - r_gen| / 2 or 1 - TV distance of the
            joint frequencies, continuous columns cut into 10 equal-width bins of the reference;
and returns their mean (shapes alone when no pair is related). Everything is a few numpy calls per
column or pair: no per-row Python.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from lookalike.relatedness import (
    REAL_ASSOCIATION_THRESHOLD,
    REAL_CORRELATION_THRESHOLD,
    cramers_v,
    pearson,
)

BINS = 10


class EpochScore:
    """Score generated encoded frames against a reference slice of the training rows.

    Args:
        encoded: the encoded training frame (continuous floats, discrete int64 codes).
        rows: size of the reference slice (all rows when there are fewer).
        rng: draws the slice.
    """

    def __init__(self, encoded: pd.DataFrame, rows: int, rng: np.random.Generator) -> None:
        n = len(encoded)
        pick = np.sort(rng.choice(n, rows, replace=False)) if n > rows else np.arange(n)
        self.names = list(encoded.columns)
        self.continuous = [
            not np.issubdtype(encoded[name].dtype, np.integer) for name in self.names
        ]
        self.sizes: list[int] = []
        self.ref_sorted: list[np.ndarray] = []  # distinct reference values (continuous)
        self.ref_cdf: list[np.ndarray] = []  # reference CDF at those values
        self.midpoints: list[np.ndarray] = []
        self.edges: list[np.ndarray] = []
        self.ref_freq: list[np.ndarray] = []  # discrete frequencies
        codes = []
        for j, name in enumerate(self.names):
            values = encoded[name].to_numpy()[pick]
            if self.continuous[j]:
                values = values.astype(float)
                distinct, counts = np.unique(values, return_counts=True)
                # the CDFs are compared half-way between distinct values, and half a gap
                # beyond each end (so mass outside the reference's range counts too)
                gaps = np.diff(distinct) if len(distinct) > 1 else np.array([1.0])
                self.ref_sorted.append(distinct)
                self.ref_cdf.append(
                    np.concatenate([[0.0], np.cumsum(counts)[:-1] / len(values), [1.0]])
                )
                self.midpoints.append(
                    np.concatenate(
                        [
                            [distinct[0] - gaps[0] / 2.0],
                            (distinct[:-1] + distinct[1:]) / 2.0,
                            [distinct[-1] + gaps[-1] / 2.0],
                        ]
                    )
                )
                lo, hi = float(distinct[0]), float(distinct[-1])
                self.edges.append(np.linspace(lo, hi if hi > lo else lo + 1.0, BINS + 1)[1:-1])
                self.ref_freq.append(np.empty(0))
                self.sizes.append(BINS)
            else:
                size = int(max(values.max(initial=0), encoded[name].max()) + 1)
                self.ref_sorted.append(np.empty(0))
                self.ref_cdf.append(np.empty(0))
                self.midpoints.append(np.empty(0))
                self.edges.append(np.empty(0))
                self.ref_freq.append(np.bincount(values, minlength=size) / len(values))
                self.sizes.append(size)
            codes.append(self._codes(j, values))
        self.ref_values = {
            j: encoded[name].to_numpy()[pick].astype(float)
            for j, name in enumerate(self.names)
            if self.continuous[j]
        }
        self.pairs: list[tuple[int, int]] = []
        self.ref_corr: list[float] = []
        self.ref_joint: list[np.ndarray | None] = []
        for a, b in itertools.combinations(range(len(self.names)), 2):
            if self.continuous[a] and self.continuous[b]:
                r = _r(self.ref_values[a], self.ref_values[b])
                if abs(r) > REAL_CORRELATION_THRESHOLD:
                    self.pairs.append((a, b))
                    self.ref_corr.append(r)
                    self.ref_joint.append(None)
                continue
            joint = self._joint(codes[a], codes[b], a, b)
            if cramers_v(joint.reshape(self.sizes[a], self.sizes[b])) > REAL_ASSOCIATION_THRESHOLD:
                self.pairs.append((a, b))
                self.ref_corr.append(float("nan"))
                self.ref_joint.append(joint)

    def _codes(self, j: int, values: np.ndarray) -> np.ndarray:
        if self.continuous[j]:
            return np.searchsorted(self.edges[j], values, side="right")
        return np.clip(values.astype(np.int64), 0, self.sizes[j] - 1)

    def _joint(self, a_codes: np.ndarray, b_codes: np.ndarray, a: int, b: int) -> np.ndarray:
        size = self.sizes[a] * self.sizes[b]
        return np.bincount(a_codes * self.sizes[b] + b_codes, minlength=size) / len(a_codes)

    def score(self, frame: pd.DataFrame) -> float:
        """Mean of the shapes and trends scores of `frame` (same columns as the reference)."""
        shapes = []
        codes: list[np.ndarray] = []
        values: dict[int, np.ndarray] = {}
        for j, name in enumerate(self.names):
            column = frame[name].to_numpy()
            if self.continuous[j]:
                column = np.sort(column.astype(float))
                values[j] = frame[name].to_numpy().astype(float)
                gen_cdf = np.searchsorted(column, self.midpoints[j], side="right") / len(column)
                # the reference CDF is a step at its distinct values, so reading the generated
                # one between them (and beyond the ends) finds the largest gap, rounding aside
                shapes.append(1.0 - float(np.max(np.abs(gen_cdf - self.ref_cdf[j]))))
                codes.append(self._codes(j, values[j]))
            else:
                column = np.clip(column.astype(np.int64), 0, self.sizes[j] - 1)
                freq = np.bincount(column, minlength=self.sizes[j]) / len(column)
                shapes.append(1.0 - 0.5 * float(np.abs(freq - self.ref_freq[j]).sum()))
                codes.append(column)
        trends = []
        for (a, b), r_ref, joint_ref in zip(self.pairs, self.ref_corr, self.ref_joint, strict=True):
            if joint_ref is None:
                trends.append(1.0 - abs(r_ref - _r(values[a], values[b])) / 2.0)
            else:
                joint = self._joint(codes[a], codes[b], a, b)
                trends.append(1.0 - 0.5 * float(np.abs(joint - joint_ref).sum()))
        shape = float(np.mean(shapes))
        return shape if not trends else (shape + float(np.mean(trends))) / 2.0


def _r(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r, 0 for a constant column."""
    r = pearson(x, y)
    return 0.0 if np.isnan(r) else r
