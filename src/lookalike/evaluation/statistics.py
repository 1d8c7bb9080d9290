"""Side-by-side statistics, per-column tests and association matrices of real and synthetic data.

Associations (for the heatmaps) put every column pair on a 0-1 or -1-1 scale: Pearson's r for two
continuous columns, Cramér's V for two discrete ones, the correlation ratio (eta) for a mixed pair.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from lookalike.evaluation.inputs import Prepared, Table

QUANTILES = {"25%": 0.25, "50%": 0.5, "75%": 0.75}
# A difference counts as notable above this share of the real standard deviation.
NOTABLE, LARGE = 0.1, 0.25


def statistics_table(data: Prepared) -> pd.DataFrame:
    """Mean, std, min, quartiles and max of each continuous column, real vs synthetic.

    One row per (column, statistic) with real, synthetic, difference (synthetic - real), the
    difference in real standard deviations, and a flag: "", "notable" or "large".
    """
    rows = []
    for name in data.continuous:
        real = _present(data.real.values[name])
        synthetic = _present(data.synthetic.values[name])
        real_std = float(real.std(ddof=1)) if len(real) > 1 else 0.0
        for statistic, (a, b) in _describe_pair(real, synthetic).items():
            difference = b - a
            scaled = difference / real_std if real_std > 0 else (0.0 if difference == 0 else np.inf)
            flag = "large" if abs(scaled) > LARGE else "notable" if abs(scaled) > NOTABLE else ""
            rows.append(
                {
                    "column": name,
                    "statistic": statistic,
                    "real": a,
                    "synthetic": b,
                    "difference": difference,
                    "difference / real std": scaled,
                    "flag": flag,
                    "datetime": name in data.datetimes,
                }
            )
    columns = ["column", "statistic", "real", "synthetic", "difference"]
    columns += ["difference / real std", "flag", "datetime"]
    return pd.DataFrame(rows, columns=columns)


def _present(values: np.ndarray) -> np.ndarray:
    return values[~np.isnan(values)]


def _describe_pair(real: np.ndarray, synthetic: np.ndarray) -> dict[str, tuple[float, float]]:
    def describe(values: np.ndarray) -> dict[str, float]:
        if len(values) == 0:
            return dict.fromkeys(["mean", "std", "min", *QUANTILES, "max"], float("nan"))
        out = {
            "mean": float(values.mean()),
            "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
        }
        out["min"] = float(values.min())
        quantiles = np.quantile(values, list(QUANTILES.values()))
        out.update(dict(zip(QUANTILES, map(float, quantiles), strict=True)))
        out["max"] = float(values.max())
        return out

    a, b = describe(real), describe(synthetic)
    return {key: (a[key], b[key]) for key in a}


def column_tests(data: Prepared) -> pd.DataFrame:
    """Two-sample tests per column: Kolmogorov-Smirnov (continuous) or chi-squared (discrete)."""
    rows = []
    for name in data.columns:
        real, synthetic = data.real.values[name], data.synthetic.values[name]
        if data.is_continuous(name):
            a, b = _present(real), _present(synthetic)
            if len(a) == 0 or len(b) == 0:
                statistic = p_value = float("nan")
            else:
                method = "exact" if max(len(a), len(b)) <= 2000 else "asymp"
                result = scipy_stats.ks_2samp(a, b, method=method)
                statistic, p_value = float(result.statistic), float(result.pvalue)
            test = "Kolmogorov-Smirnov"
        else:
            statistic, p_value = _chi_squared(real, synthetic)
            test = "chi-squared"
        rows.append({"column": name, "test": test, "statistic": statistic, "p-value": p_value})
    return pd.DataFrame(rows, columns=["column", "test", "statistic", "p-value"])


def _chi_squared(real: np.ndarray, synthetic: np.ndarray) -> tuple[float, float]:
    """Chi-squared test of homogeneity on the 2 x k table of category counts (missing included)."""
    size = int(max(real.max(), synthetic.max())) + 2
    counts = np.vstack(
        [np.bincount(real + 1, minlength=size), np.bincount(synthetic + 1, minlength=size)]
    )
    counts = counts[:, counts.sum(axis=0) > 0]
    if counts.shape[1] < 2:
        return 0.0, 1.0
    statistic, p_value, _, _ = scipy_stats.chi2_contingency(counts, correction=False)
    return float(statistic), float(p_value)


def associations(data: Prepared, table: Table, columns: list[str]) -> pd.DataFrame:
    """Square matrix of pairwise associations (r, Cramér's V or eta) between `columns`."""
    matrix = np.eye(len(columns))
    for i, a in enumerate(columns):
        for j in range(i + 1, len(columns)):
            b = columns[j]
            x, y = table.values[a], table.values[b]
            if data.is_continuous(a) and data.is_continuous(b):
                value = _pearson(x, y)
            elif data.is_continuous(a):
                value = _correlation_ratio(y, x)
            elif data.is_continuous(b):
                value = _correlation_ratio(x, y)
            else:
                value = _cramers_v(x, y)
            matrix[i, j] = matrix[j, i] = value
    return pd.DataFrame(matrix, index=columns, columns=columns)


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    keep = ~(np.isnan(x) | np.isnan(y))
    if keep.sum() < 2:
        return float("nan")
    x, y = x[keep] - x[keep].mean(), y[keep] - y[keep].mean()
    denominator = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / denominator) if denominator > 0 else float("nan")


def _cramers_v(x: np.ndarray, y: np.ndarray) -> float:
    keep = (x >= 0) & (y >= 0)
    x, y = x[keep], y[keep]
    if len(x) < 2:
        return float("nan")
    rows, cols = int(x.max()) + 1, int(y.max()) + 1
    counts = np.bincount(x * cols + y, minlength=rows * cols).reshape(rows, cols).astype(float)
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]  # codes seen elsewhere only
    rows, cols = counts.shape
    if rows < 2 or cols < 2:
        return float("nan")
    expected = counts.sum(axis=1, keepdims=True) * counts.sum(axis=0, keepdims=True) / len(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.nansum((counts - expected) ** 2 / expected)
    return float(np.sqrt(chi2 / (len(x) * (min(rows, cols) - 1))))


def _correlation_ratio(codes: np.ndarray, values: np.ndarray) -> float:
    keep = (codes >= 0) & ~np.isnan(values)
    codes, values = codes[keep], values[keep]
    if len(values) < 2:
        return float("nan")
    counts = np.bincount(codes).astype(float)
    means = np.bincount(codes, weights=values) / np.maximum(counts, 1)
    total = ((values - values.mean()) ** 2).sum()
    if total == 0:
        return float("nan")
    between = (counts * (means - values.mean()) ** 2).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(np.sqrt(min(1.0, between / total)))
