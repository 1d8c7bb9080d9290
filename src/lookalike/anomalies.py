"""Synthetic anomalies: lookalike normal rows mixed with labelled anomalies of documented kinds.

The normal rows are sampled from a model fitted on the real table. Each anomaly starts from one
such normal row and is changed according to its kind:

* global: one to three numerical columns get a value beyond the real range (0.1 to 1 x the range
  past the minimum or the maximum);
* local: every column's value is drawn independently from the real values of that column, so each
  value is ordinary but the row breaks the dependencies between columns;
* contextual: one numerical column gets a value drawn from the real rows of another context
  (the category, or the quartile of a related number, whose median for that column is farthest),
  so the value is ordinary overall but wrong for the row's context;
* cluster: a small tight group (spread 0.05 standard deviations, one category each) centred
  3 + sqrt(d) standard deviations from the mean in a random direction (d numerical columns;
  ordinary rows lie about sqrt(d) from it).

The `anomaly` column names each row's kind ("normal" for the others); rows are shuffled.
Anchor: PyOD's `generate_data` draws uniform outliers around Gaussian inliers; these kinds follow
the taxonomy of Han et al., ADBench (NeurIPS 2022).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.kinds import CATEGORY_KINDS, PLAIN_NUMBER_KINDS
from lookalike.metadata import Metadata
from lookalike.models import DEFAULT_MODEL
from lookalike.models.base import as_frame

LABEL = "anomaly"
Maker = Callable[[pd.DataFrame, pd.DataFrame, list[str], np.random.Generator], pd.DataFrame]


def _numbers(data: pd.DataFrame, metadata: Metadata) -> list[str]:
    return [
        name
        for name, c in metadata.columns.items()
        if c.kind in PLAIN_NUMBER_KINDS
        and data[name].notna().sum() > 1
        and data[name].nunique() > 1
    ]


def _global(real: pd.DataFrame, rows: pd.DataFrame, numbers: list[str], rng: Any) -> pd.DataFrame:
    low, high = real[numbers].min(), real[numbers].max()
    width = (high - low).replace(0, 1.0)
    for i in range(len(rows)):
        for name in rng.choice(
            numbers, size=min(len(numbers), int(rng.integers(1, 4))), replace=False
        ):
            past = rng.uniform(0.1, 1.0) * width[name]
            value = high[name] + past if rng.random() < 0.5 else low[name] - past
            rows.iloc[i, rows.columns.get_loc(name)] = value
    return rows


def _local(real: pd.DataFrame, rows: pd.DataFrame, numbers: list[str], rng: Any) -> pd.DataFrame:
    for name in rows.columns:
        rows[name] = real[name].to_numpy()[rng.integers(0, len(real), len(rows))]
    return rows


def _contexts(real: pd.DataFrame, numbers: list[str], metadata: Metadata) -> list[tuple]:
    """(score, number, context column, its group per real row, quartile edges or None): at
    most five, the most telling first, each at least half as telling as the best.
    """
    found = []
    categorical = [n for n, c in metadata.columns.items() if c.kind in CATEGORY_KINDS]
    for name in numbers:
        spread = float(real[name].std()) or 1.0
        for other in [*categorical, *[n for n in numbers if n != name]]:
            if other in categorical:
                groups = real[other].astype(str)
                label: Any = None
            else:
                edges = np.unique(np.nanquantile(real[other], [0.25, 0.5, 0.75]))
                groups = pd.Series(np.searchsorted(edges, real[other]), index=real.index)
                label = edges
            medians = real[name].groupby(groups).median()
            if len(medians) >= 2:
                found.append((float(np.ptp(medians)) / spread, name, other, groups, label))
    found.sort(key=lambda item: -item[0])
    return [item for item in found[:5] if item[0] >= found[0][0] / 2]


def _contextual(
    real: pd.DataFrame, rows: pd.DataFrame, numbers: list[str], rng: Any, contexts: list[tuple]
) -> pd.DataFrame:
    if not contexts:
        raise DataError(
            "contextual anomalies need a number whose values differ between groups "
            "(categories or ranges of another number); drop 'contextual' from --kinds."
        )
    for i in range(len(rows)):
        _, name, other, groups, edges = contexts[int(rng.integers(len(contexts)))]
        value = rows.iloc[i][other]
        group = str(value) if edges is None else int(np.searchsorted(edges, value))
        medians = real[name].groupby(groups).median()
        mine = medians.get(group, real[name].median())
        far = (medians - mine).abs().idxmax()
        pool = real[name].to_numpy()[(groups == far).to_numpy()]
        rows.iloc[i, rows.columns.get_loc(name)] = pool[int(rng.integers(len(pool)))]
    return rows


def _cluster(real: pd.DataFrame, rows: pd.DataFrame, numbers: list[str], rng: Any) -> pd.DataFrame:
    mean, std = real[numbers].mean(), real[numbers].std().replace(0, 1.0)
    direction = rng.normal(size=len(numbers))
    centre = mean + (3.0 + np.sqrt(len(numbers))) * std * direction / np.linalg.norm(direction)
    for j, name in enumerate(numbers):
        rows[name] = centre.iloc[j] + 0.05 * std[name] * rng.normal(size=len(rows))
    for name in rows.columns:
        if name not in numbers:
            rows[name] = rows[name].iloc[0]
    return rows


KINDS: dict[str, str] = {
    "global": "values beyond the real range in one to three numerical columns",
    "local": "every column drawn independently: ordinary values, broken dependencies",
    "contextual": "a number drawn from another context (category or quartile of a related number)",
    "cluster": "a small tight group 3 + sqrt(d) standard deviations from the mean",
}


def anomalies(
    data: Any,
    n: int | None = None,
    *,
    kinds: tuple[str, ...] | list[str] = tuple(KINDS),
    share: float = 0.05,
    model: str = DEFAULT_MODEL,
    random_state: int | None = None,
    metadata: Metadata | None = None,
) -> pd.DataFrame:
    """`n` rows (as many as the data by default): `share` of them anomalies, the rest normal.

    Example:
        >>> import pandas as pd
        >>> real = pd.DataFrame({"x": range(60), "y": ["a", "b", "c"] * 20})
        >>> out = anomalies(real, 100, kinds=["global"], share=0.1, random_state=0)
        >>> out["anomaly"].value_counts().to_dict()
        {'normal': 90, 'global': 10}
    """
    from lookalike.models import get_model

    data = as_frame(data)
    n = len(data) if n is None else n
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise DataError(f"n must be a whole number of at least 1, got {n!r}.")
    kinds = list(kinds)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise DataError(f"unknown anomaly kind(s) {unknown}; choose from: {', '.join(KINDS)}.")
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share < 1:
        raise DataError(f"share must be between 0 and 1 (e.g. 0.05), got {share!r}.")
    if LABEL in data.columns:
        raise DataError(f"the table already has a column {LABEL!r}; rename or drop it first.")
    metadata = metadata or Metadata.detect(data)
    numbers = _numbers(data, metadata)
    if not numbers and set(kinds) & {"global", "contextual", "cluster"}:
        raise DataError(
            "global, contextual and cluster anomalies need a numerical column; use --kinds local."
        )
    rng = np.random.default_rng(random_state)
    n_anomalies = max(len(kinds), round(share * n)) if n > len(kinds) else 0
    counts = np.full(len(kinds), n_anomalies // len(kinds))
    counts[: n_anomalies % len(kinds)] += 1
    fitted = get_model(model, random_state=random_state).fit(data, metadata)
    seed = int(rng.integers(2**31))
    base = fitted.sample(n, random_state=seed)[list(data.columns)].reset_index(drop=True)
    base[numbers] = base[numbers].astype(float)
    labels = np.array(["normal"] * n, dtype=object)
    makers: dict[str, Maker] = {"global": _global, "local": _local, "cluster": _cluster}
    contexts = _contexts(data, numbers, metadata) if "contextual" in kinds else []
    start = 0
    for kind, count in zip(kinds, counts, strict=True):
        if count == 0:
            continue
        rows = base.iloc[start : start + count].copy()
        if kind == "contextual":
            rows = _contextual(data, rows, numbers, rng, contexts)
        else:
            rows = makers[kind](data, rows, numbers, rng)
        for name in base.columns:
            base[name] = _put(base[name], start, rows[name].to_numpy())
        labels[start : start + count] = kind
        start += count
    base = _like_real(base, metadata)
    base[LABEL] = labels
    order = rng.permutation(n)
    return base.iloc[order].reset_index(drop=True)


def _put(column: pd.Series, start: int, values: np.ndarray) -> pd.Series:
    out = column.astype(object) if column.dtype.kind not in "fO" else column.copy()
    out.iloc[start : start + len(values)] = values
    return out.infer_objects()


def _like_real(rows: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
    """Whole-number columns stay whole; written decimals stay as the real table writes them."""
    for name, column in metadata.columns.items():
        if column.kind not in PLAIN_NUMBER_KINDS:
            continue
        values = pd.to_numeric(rows[name], errors="coerce")
        if column.integer:
            values = values.round()
            values = values.astype("int64") if values.notna().all() else values.astype("Int64")
        elif column.decimals is not None:
            values = values.round(column.decimals)
        rows[name] = values
    return rows
