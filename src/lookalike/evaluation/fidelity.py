"""How alike the columns and column pairs are: SDMetrics' Quality Report definitions, and coverage.

Column shapes: KS complement (1 - Kolmogorov-Smirnov D) for numbers and dates, TV complement
(1 - total variation distance) for categories; missing values left out of both. Column pair
trends: for two continuous columns 1 - |r_real - r_synthetic| / 2 (Pearson, complete rows); for
other pairs 1 - total variation distance of the joint frequencies (missing as a value), after
cutting each continuous column into the 10 equal-width bins of its own table, as SDMetrics does.
Like SDMetrics (0.32), only pairs related in the real data count towards the score: |r| > 0.5
for two continuous columns, Cramér's V > 0.3 for the others; the mean over every pair is kept as
`column_pair_trends.all_pairs`. Quality is the mean of the two properties.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pandas as pd

from lookalike.evaluation.inputs import Prepared, Table
from lookalike.evaluation.results import MAXIMIZE, MetricResult
from lookalike.relatedness import (
    REAL_ASSOCIATION_THRESHOLD,
    REAL_CORRELATION_THRESHOLD,
    cramers_v,
    pearson,
)


def ks_complement(real: np.ndarray, synthetic: np.ndarray) -> float:
    """1 - the two-sample Kolmogorov-Smirnov statistic on the non-missing values."""
    a = np.sort(real[~np.isnan(real)])
    b = np.sort(synthetic[~np.isnan(synthetic)])
    if len(a) == 0 or len(b) == 0:
        return float("nan")
    grid = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, grid, side="right") / len(a)
    cdf_b = np.searchsorted(b, grid, side="right") / len(b)
    return float(1.0 - np.max(np.abs(cdf_a - cdf_b)))


def tv_complement(real: np.ndarray, synthetic: np.ndarray) -> float:
    """1 - total variation distance between the category frequencies (missing left out)."""
    real, synthetic = real[real >= 0], synthetic[synthetic >= 0]
    if len(real) == 0 or len(synthetic) == 0:
        return float("nan")
    size = int(max(real.max(), synthetic.max())) + 1
    p = np.bincount(real, minlength=size) / len(real)
    q = np.bincount(synthetic, minlength=size) / len(synthetic)
    return float(1.0 - 0.5 * np.abs(p - q).sum())


def correlation_similarity(
    real: tuple[np.ndarray, np.ndarray], synthetic: tuple[np.ndarray, np.ndarray]
) -> tuple[float, float, float]:
    """(score, r_real, r_synthetic): 1 - |r_real - r_synthetic| / 2 with Pearson's r."""
    r_real, r_synthetic = pearson(*real), pearson(*synthetic)
    if np.isnan(r_real) or np.isnan(r_synthetic):
        return float("nan"), r_real, r_synthetic
    return 1.0 - abs(r_real - r_synthetic) / 2.0, r_real, r_synthetic


def contingency_similarity(
    real: tuple[np.ndarray, np.ndarray], synthetic: tuple[np.ndarray, np.ndarray]
) -> tuple[float, float]:
    """(score, Cramér's V of the real pair): 1 - TV distance of the joint frequencies."""
    shift_a = -min(real[0].min(), synthetic[0].min())
    shift_b = -min(real[1].min(), synthetic[1].min())
    width = int(max(real[1].max(), synthetic[1].max())) + shift_b + 1
    height = int(max(real[0].max(), synthetic[0].max())) + shift_a + 1
    joint_real = (real[0] + shift_a) * width + real[1] + shift_b
    joint_synthetic = (synthetic[0] + shift_a) * width + synthetic[1] + shift_b
    counts = np.bincount(joint_real, minlength=height * width)
    p = counts / len(joint_real)
    q = np.bincount(joint_synthetic, minlength=height * width) / len(joint_synthetic)
    score = float(1.0 - 0.5 * np.abs(p - q).sum())
    return score, cramers_v(counts.reshape(height, width))


def _binned(values: np.ndarray) -> np.ndarray:
    """Codes of 10 equal-width bins over the table's own range (missing lands in the last)."""
    present = values[~np.isnan(values)]
    if len(present) == 0:
        return np.zeros(len(values), dtype=np.int64)
    edges = np.histogram_bin_edges(present)
    return np.digitize(values, edges).astype(np.int64)


def column_shapes(data: Prepared) -> MetricResult:
    """Mean per-column KS / TV complement, with the per-column scores in `detail`."""
    rows = []
    for name in data.columns:
        real, synthetic = data.real.values[name], data.synthetic.values[name]
        if data.is_continuous(name):
            metric, score = "KS complement", ks_complement(real, synthetic)
        else:
            metric, score = "TV complement", tv_complement(real, synthetic)
        rows.append({"column": name, "metric": metric, "score": score})
    table = pd.DataFrame(rows, columns=["column", "metric", "score"])
    return MetricResult("column_shapes", _mean(table["score"]), MAXIMIZE, {"table": table})


def column_pair_trends(data: Prepared) -> MetricResult:
    """Mean over column pairs of correlation or contingency similarity."""
    binned = {}
    for table in (data.real, data.synthetic):
        binned[id(table)] = {name: _binned(table.values[name]) for name in data.continuous}
    rows = []
    for a, b in _pairs(data):
        both = data.is_continuous(a) and data.is_continuous(b)
        if both:
            score, r_real, r_synthetic = correlation_similarity(
                _two(data.real, a, b), _two(data.synthetic, a, b)
            )
            metric, association = "correlation similarity", float("nan")
            counts = abs(r_real) > REAL_CORRELATION_THRESHOLD
        else:
            r_real = r_synthetic = float("nan")
            score, association = contingency_similarity(
                _two_discrete(data, data.real, binned[id(data.real)], a, b),
                _two_discrete(data, data.synthetic, binned[id(data.synthetic)], a, b),
            )
            metric = "contingency similarity"
            counts = association > REAL_ASSOCIATION_THRESHOLD
        rows.append(
            {
                "column 1": a,
                "column 2": b,
                "metric": metric,
                "score": score,
                "real correlation": r_real,
                "synthetic correlation": r_synthetic,
                "real association": association,
                "counts": bool(counts) and not np.isnan(score),
            }
        )
    columns = ["column 1", "column 2", "metric", "score", "real correlation"]
    columns += ["synthetic correlation", "real association", "counts"]
    table = pd.DataFrame(rows, columns=columns)
    detail = {
        "table": table,
        "all_pairs": _mean(table["score"]),
        "pairs_counted": int(table["counts"].sum()),
        "thresholds": {
            "real |r|": REAL_CORRELATION_THRESHOLD,
            "real Cramér's V": REAL_ASSOCIATION_THRESHOLD,
        },
    }
    score = _mean(table.loc[table["counts"], "score"]) if len(table) else float("nan")
    return MetricResult("column_pair_trends", score, MAXIMIZE, detail)


def quality(shapes: MetricResult, trends: MetricResult) -> MetricResult:
    """The mean of column shapes and column pair trends (either alone when the other is NaN)."""
    parts = [s for s in (shapes.score, trends.score) if not np.isnan(s)]
    score = float(np.mean(parts)) if parts else float("nan")
    return MetricResult(
        "quality", score, MAXIMIZE, {"parts": ["column_shapes", "column_pair_trends"]}
    )


def coverage(data: Prepared) -> tuple[MetricResult, pd.DataFrame]:
    """Range coverage (numbers, dates) or category coverage per column, and missing shares.

    Returns the mean coverage as a MetricResult and a per-column table with the missing share of
    each table and the share of synthetic values inside the real range (boundary adherence).
    """
    rows = []
    for name in data.columns:
        real, synthetic = data.real.values[name], data.synthetic.values[name]
        if data.is_continuous(name):
            missing_real, missing_synthetic = np.isnan(real).mean(), np.isnan(synthetic).mean()
            present_real, present_synthetic = real[~np.isnan(real)], synthetic[~np.isnan(synthetic)]
            score, inside = _range_coverage(present_real, present_synthetic)
            kind = "range"
        else:
            missing_real, missing_synthetic = (real < 0).mean(), (synthetic < 0).mean()
            seen = np.unique(real[real >= 0])
            made = np.unique(synthetic[synthetic >= 0])
            score = float(np.isin(seen, made).mean()) if len(seen) else float("nan")
            present_synthetic = synthetic[synthetic >= 0]
            inside = (
                float(np.isin(present_synthetic, seen).mean()) if len(present_synthetic) else 1.0
            )
            kind = "categories"
        rows.append(
            {
                "column": name,
                "kind": data.metadata.columns[name].kind,
                "missing real": float(missing_real),
                "missing synthetic": float(missing_synthetic),
                "missing difference": float(missing_synthetic - missing_real),
                "coverage": kind,
                "coverage score": score,
                "synthetic inside real": inside,
            }
        )
    table = pd.DataFrame(rows)
    result = MetricResult("coverage", _mean(table["coverage score"]), MAXIMIZE, {"table": table})
    return result, table


def _range_coverage(real: np.ndarray, synthetic: np.ndarray) -> tuple[float, float]:
    if len(real) == 0 or len(synthetic) == 0:
        return float("nan"), float("nan")
    low, high = real.min(), real.max()
    inside = float(((synthetic >= low) & (synthetic <= high)).mean())
    if high == low:
        return 1.0, inside
    width = high - low
    missed = max(0.0, synthetic.min() - low) / width + max(0.0, high - synthetic.max()) / width
    return float(max(0.0, 1.0 - missed)), inside


def _pairs(data: Prepared) -> Iterator[tuple[str, str]]:
    return itertools.combinations(data.columns, 2)


def _two(table: Table, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    return table.values[a], table.values[b]


def _two_discrete(
    data: Prepared, table: Table, binned: dict[str, np.ndarray], a: str, b: str
) -> tuple[np.ndarray, np.ndarray]:
    def codes(name: str) -> np.ndarray:
        return binned[name] if data.is_continuous(name) else table.values[name]

    return codes(a), codes(b)


def _mean(scores: pd.Series) -> float:
    values = scores.to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    return float(values.mean()) if len(values) else float("nan")
