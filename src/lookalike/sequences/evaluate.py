"""Scores for ordered child tables: plain dicts the multi-table evaluation and report can use.

lengths      1 - KS statistic of the number of rows per entity (zeros included when the
             parents' keys are given)
coherence    per column, 1 - total variation distance of the (value at t, value at t+1) pair
             distribution within entities, values discretised on the real column into deciles
             (numbers, datetimes) or the 10 commonest categories + other (+ missing), as
             MOSTLY AI's quality report defines it; the mean over columns
gaps         1 - TVD of the gaps of the order column (whole-number orders: 0, 1, ..., >= 10;
             others: deciles of the real gaps)
first step   KS complement of the first order value, and the mean shape score of the first
             step's columns (KS complement for numbers, 1 - TVD for categories)
detection    ROC AUC of a classifier telling real from synthetic entities from a summary of
             each sequence (0.5: indistinguishable), and the same on rows with sequence
             features (step, length, the previous row's values)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

_TOP = 10
_MISSING = "\x00missing"
_OTHER = "\x00other"


def evaluate_sequences(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    key: str,
    order_by: str | None,
    *,
    columns: list[str] | None = None,
    seed: int = 0,
    detection: bool | str = True,
) -> dict[str, Any]:
    """Every sequence score of one ordered child table, as one plain dict; `detection` False
    skips the detectors, "entities" runs only the one on entity summaries.
    """
    out: dict[str, Any] = {"lengths": lengths(real, synthetic, key)}
    out["coherence"] = coherence(real, synthetic, key, order_by, columns=columns)
    if order_by is not None:
        out["gaps"] = gaps(real, synthetic, key, order_by)
    out["first_step"] = first_step(real, synthetic, key, order_by, columns=columns)
    if detection:
        out["detection"] = detection_auc(
            real, synthetic, key, order_by, columns=columns, seed=seed, rows=detection != "entities"
        )
    return out


def lengths(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    key: str,
    real_keys: Any = None,
    synthetic_keys: Any = None,
) -> dict[str, Any]:
    """Shape of the sequence lengths: KS complement, means, shares of zero-length entities."""
    a = _counts(real, key, real_keys)
    b = _counts(synthetic, key, synthetic_keys)
    return {
        "ks": round(_ks_complement(a, b), 4),
        "real_mean": float(a.mean()) if len(a) else 0.0,
        "synthetic_mean": float(b.mean()) if len(b) else 0.0,
        "real_empty": float((a == 0).mean()) if len(a) else 0.0,
        "synthetic_empty": float((b == 0).mean()) if len(b) else 0.0,
    }


def coherence(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    key: str,
    order_by: str | None,
    *,
    columns: list[str] | None = None,
) -> dict[str, Any]:
    """1 - TVD of consecutive-step pairs per column, and their mean (`score`)."""
    real, synthetic = ordered(real, key, order_by), ordered(synthetic, key, order_by)
    per: dict[str, float] = {}
    for name in columns or value_columns(real, key, order_by):
        a, b = _bins(real[name], synthetic[name])
        pa, pb = _pairs(a, real[key]), _pairs(b, synthetic[key])
        if len(pa) == 0 or len(pb) == 0:
            continue
        per[name] = round(1 - _tvd(pa, pb), 4)
    score = float(np.mean(list(per.values()))) if per else float("nan")
    return {"score": round(score, 4), "columns": per}


def gaps(real: pd.DataFrame, synthetic: pd.DataFrame, key: str, order_by: str) -> dict[str, Any]:
    """1 - TVD of the order column's steps within entities."""
    a, b = _gaps(real, key, order_by), _gaps(synthetic, key, order_by)
    if not len(a) or not len(b):
        return {"score": float("nan")}
    if np.all(a == np.round(a)):
        ca, cb = np.clip(a, None, 10).astype(int), np.clip(b, None, 10).astype(int)
        ca, cb = np.maximum(ca, -1), np.maximum(cb, -1)
    else:
        edges = np.unique(np.quantile(a, np.linspace(0.1, 0.9, 9)))
        ca, cb = np.searchsorted(edges, a), np.searchsorted(edges, b)
    score = 1 - _tvd(pd.Series(ca), pd.Series(cb))
    return {
        "score": round(float(score), 4),
        "real_mean": float(a.mean()),
        "synthetic_mean": float(b.mean()),
        "synthetic_backwards": float((b < 0).mean()),
    }


def first_step(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    key: str,
    order_by: str | None,
    *,
    columns: list[str] | None = None,
) -> dict[str, Any]:
    """The first step per entity: its order value (KS) and its columns' shapes."""
    a = ordered(real, key, order_by).groupby(key, sort=False).head(1)
    b = ordered(synthetic, key, order_by).groupby(key, sort=False).head(1)
    out: dict[str, Any] = {}
    if order_by is not None:
        out["order_ks"] = round(_ks_complement(_numbers(a[order_by]), _numbers(b[order_by])), 4)
    shapes = {}
    for name in columns or value_columns(real, key, order_by):
        x, y = _bins(a[name], b[name])
        shapes[name] = round(1 - _tvd(x, y), 4)
    out["shapes"] = round(float(np.mean(list(shapes.values()))), 4) if shapes else float("nan")
    out["columns"] = shapes
    return out


def detection_auc(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    key: str,
    order_by: str | None,
    *,
    columns: list[str] | None = None,
    seed: int = 0,
    max_rows: int = 20_000,
    rows: bool = True,
) -> dict[str, float]:
    """Cross-validated ROC AUC of gradient boosting telling real from synthetic: on entities
    summarised (`entities`) and, unless `rows` is False, on rows with sequence features (`rows`).
    """
    names = columns or value_columns(real, key, order_by)
    real, synthetic = ordered(real, key, order_by), ordered(synthetic, key, order_by)
    codes = {n: _shared_codes(real[n], synthetic[n]) for n in names}
    frames = []
    for index, frame in enumerate((real, synthetic)):
        numeric = pd.DataFrame({n: codes[n](frame[n]) for n in names}, index=frame.index)
        if order_by is not None:
            numeric["__order"] = _numbers(frame[order_by])
        numeric["__key"] = frame[key].to_numpy()
        frames.append((numeric, index))
    entity = [(_summaries(f), label) for f, label in frames]
    out = {"entities": round(_auc(entity, seed, max_rows), 4)}
    if rows:
        steps = [(_row_features(f), label) for f, label in frames]
        out["rows"] = round(_auc(steps, seed, max_rows), 4)
    return out


# ---------------------------------------------------------------------- helpers
def _counts(frame: pd.DataFrame, key: str, keys: Any) -> np.ndarray:
    counts = frame[key].value_counts()
    if keys is not None:
        counts = counts.reindex(pd.Index(pd.unique(np.asarray(keys))), fill_value=0)
    return counts.to_numpy(dtype=float)


def _ks_complement(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if not len(a) or not len(b):
        return float("nan")
    grid = np.union1d(a, b)
    fa = np.searchsorted(np.sort(a), grid, side="right") / len(a)
    fb = np.searchsorted(np.sort(b), grid, side="right") / len(b)
    return float(1 - np.abs(fa - fb).max())


def ordered(frame: pd.DataFrame, key: str, order_by: str | None) -> pd.DataFrame:
    """Rows grouped by entity (first appearance) and ordered within it, ties as given."""
    entity = pd.factorize(frame[key])[0]
    order = _numbers(frame[order_by]) if order_by is not None else np.zeros(len(frame))
    order = np.where(np.isnan(order), np.inf, order)
    return frame.iloc[np.lexsort((np.arange(len(frame)), order, entity))]


def _numbers(series: pd.Series) -> np.ndarray:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    stamps = pd.to_datetime(series, errors="coerce", format="mixed")
    if stamps.notna().mean() > 0.5:
        seconds = (stamps - pd.Timestamp(0)) / pd.Timedelta(seconds=1)
        return np.asarray(seconds, dtype=float)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


def value_columns(frame: pd.DataFrame, key: str, order_by: str | None) -> list[str]:
    skip = {key, order_by}
    out = []
    for name in frame.columns:
        if name in skip:
            continue
        unique = frame[name].nunique(dropna=True)
        numeric = pd.api.types.is_numeric_dtype(frame[name])
        if not numeric and unique > 0.5 * max(len(frame), 1) and unique > 50:
            continue  # ids and free text: nothing to compare step to step
        out.append(str(name))
    return out


def _is_number(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return series.nunique(dropna=True) > _TOP
    return False


def _bins(real: pd.Series, synthetic: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Both columns discretised on the real one: deciles, or the top 10 categories + other."""
    if _is_number(real) or _is_datetime_text(real):
        a, b = _numbers(real), _numbers(synthetic)
        finite = a[np.isfinite(a)]
        edges = (
            np.unique(np.quantile(finite, np.linspace(0.1, 0.9, 9))) if len(finite) else np.zeros(0)
        )

        def cut(x: np.ndarray) -> pd.Series:
            out = np.searchsorted(edges, x, side="right").astype(object)
            out[~np.isfinite(x)] = _MISSING
            return pd.Series(out)

        return cut(a), cut(b)
    keys_a, keys_b = _text(real), _text(synthetic)
    top = set(keys_a[keys_a != _MISSING].value_counts().index[:_TOP])

    def keep(x: pd.Series) -> pd.Series:
        return x.where(x.isin(top) | (x == _MISSING), _OTHER).reset_index(drop=True)

    return keep(keys_a), keep(keys_b)


def _is_datetime_text(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    if pd.api.types.is_numeric_dtype(series) or series.dropna().empty:
        return False
    sample = series.dropna().astype(str).head(200)
    parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() > 0.9 and sample.str.contains(r"\d[-/:.]\d").mean() > 0.9)


def _text(series: pd.Series) -> pd.Series:
    out = series.astype(object).map(lambda v: _MISSING if pd.isna(v) else str(v))
    return out.reset_index(drop=True)


def _pairs(bins: pd.Series, keys: pd.Series) -> pd.Series:
    """(bin at t, bin at t+1) of consecutive rows of the same entity."""
    k = keys.to_numpy()
    same = k[1:] == k[:-1]
    a, b = bins.to_numpy()[:-1][same], bins.to_numpy()[1:][same]
    return pd.Series([f"{x}|{y}" for x, y in zip(a, b, strict=True)], dtype=object)


def _tvd(a: pd.Series, b: pd.Series) -> float:
    pa = a.value_counts(normalize=True)
    pb = b.value_counts(normalize=True)
    both = pa.index.union(pb.index)
    difference = pa.reindex(both, fill_value=0) - pb.reindex(both, fill_value=0)
    return float(0.5 * np.abs(difference).sum())


def _gaps(frame: pd.DataFrame, key: str, order_by: str) -> np.ndarray:
    frame = ordered(frame, key, order_by)
    numbers = _numbers(frame[order_by])
    k = frame[key].to_numpy()
    same = k[1:] == k[:-1]
    out = np.diff(numbers)[same]
    return out[np.isfinite(out)]


def _shared_codes(real: pd.Series, synthetic: pd.Series) -> Any:
    """A function series -> floats, shared by both tables (categories coded on the union)."""
    if _is_number(real) or (
        pd.api.types.is_numeric_dtype(real) and not pd.api.types.is_bool_dtype(real)
    ):
        return _numbers
    if _is_datetime_text(real):
        return _numbers
    levels = pd.Index(pd.unique(pd.concat([_text(real), _text(synthetic)])))

    def code(series: pd.Series) -> np.ndarray:
        return np.asarray(levels.get_indexer(_text(series)), dtype=float)

    return code


def _summaries(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per entity: length, and per column first, last, mean, spread, share of changes."""
    groups = frame.groupby("__key", sort=False)
    parts = [groups.size().rename("__length").astype(float)]
    for name in frame.columns.drop("__key"):
        g = groups[name]
        changes = frame[name].ne(frame[name].shift()) & frame["__key"].eq(frame["__key"].shift())
        parts += [
            g.first().rename(name + ".first"),
            g.last().rename(name + ".last"),
            g.mean().rename(name + ".mean"),
            g.std().rename(name + ".std"),
            changes.groupby(frame["__key"], sort=False).mean().rename(name + ".changes"),
        ]
        if name == "__order":
            parts.append(
                g.apply(
                    lambda x: np.nanmean(np.diff(x.to_numpy())) if len(x) > 1 else np.nan
                ).rename("__order.gap")
            )
    return pd.concat(parts, axis=1).reset_index(drop=True)


def _row_features(frame: pd.DataFrame) -> pd.DataFrame:
    keys = frame["__key"]
    out = frame.drop(columns="__key").reset_index(drop=True)
    out["__step"] = keys.groupby(keys, sort=False).cumcount().to_numpy()
    out["__length"] = keys.map(keys.value_counts()).to_numpy()
    first = keys.ne(keys.shift()).to_numpy()
    for name in frame.columns.drop("__key"):
        previous = frame[name].shift().to_numpy(dtype=float, copy=True)  # pandas 3: read-only
        previous[first] = np.nan
        out["prev." + name] = previous
    return out


def _auc(parts: list[tuple[pd.DataFrame, int]], seed: int, max_rows: int) -> float:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    rng = np.random.default_rng(seed)
    frames, labels = [], []
    for frame, label in parts:
        if len(frame) > max_rows:
            frame = frame.iloc[np.sort(rng.choice(len(frame), max_rows, replace=False))]
        frames.append(frame)
        labels.append(np.full(len(frame), label))
    x = pd.concat(frames, ignore_index=True).to_numpy(dtype=float)
    y = np.concatenate(labels)
    if min(np.bincount(y, minlength=2)) < 5:
        return float("nan")
    from lookalike.evaluation.threads import single_threaded

    model = HistGradientBoostingClassifier(max_iter=200, max_depth=6, random_state=seed)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    with single_threaded():  # spinning OpenMP threads crawl on a busy machine
        scores = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    return float(roc_auc_score(y, scores))
