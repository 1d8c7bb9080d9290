"""When two columns count as related, and the two measures that say it: Pearson's r, Cramér's V.

Both the evaluation (`evaluation.fidelity`: which pairs count towards column pair trends, as
SDMetrics 0.32 does) and the neural models' per-epoch score (`models.neural.validation`: which
epoch CTGAN/TVAE keep) use these, so they sit below both; changing a threshold here changes both
the reported score and the epoch a neural model keeps, on purpose: the epoch is picked by the
score that is reported. numpy only.
"""

from __future__ import annotations

import numpy as np

REAL_CORRELATION_THRESHOLD = 0.5  # |Pearson r| in the real data for a continuous pair to count
REAL_ASSOCIATION_THRESHOLD = 0.3  # Cramér's V in the real data for any other pair to count


def cramers_v(counts: np.ndarray) -> float:
    """Cramér's V of a contingency table (no continuity correction); NaN if degenerate.

    Example:
        >>> cramers_v(np.array([[5, 0], [0, 5]]))
        1.0
    """
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0].astype(float)
    if min(counts.shape) < 2:
        return float("nan")
    n = counts.sum()
    expected = counts.sum(axis=1, keepdims=True) * counts.sum(axis=0, keepdims=True) / n
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    return float(np.sqrt(chi2 / (n * (min(counts.shape) - 1))))


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r over the rows where both are present; NaN for fewer than 2 rows or no spread."""
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    if len(x) < 2:
        return float("nan")
    x, y = x - x.mean(), y - y.mean()
    denominator = np.sqrt((x * x).sum() * (y * y).sum())
    if denominator == 0 or not np.isfinite(denominator):
        return float("nan")
    return float(np.clip((x * y).sum() / denominator, -1.0, 1.0))
