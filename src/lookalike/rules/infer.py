"""Write a rules spec from a real table: a starting point to edit, then `lookalike generate`.

Per column: its kind, a fitted marginal (normal, lognormal or poisson for numbers, with the
observed range and decimals; weights for categories; a range for dates), its missing share,
detected PII as fake kinds, and the correlations between numbers as a Gaussian-copula matrix.
No real identifying value is written: PII columns become fake kinds, ids become patterns, and
categories seen fewer than `min_count` times are left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.kinds import (
    CATEGORY_KINDS,
    DATE_KINDS,
    KEY_KINDS,
    PERSONAL_KINDS,
    PLAIN_NUMBER_KINDS,
)
from lookalike.metadata import Column, Metadata
from lookalike.pii import fakes
from lookalike.values import json_value, parse_datetimes

MAX_CATEGORIES = 50


def spec_from_data(
    data: pd.DataFrame, metadata: Metadata | None = None, *, min_count: int = 5
) -> dict[str, Any]:
    """A spec (a plain dict, ready for YAML) describing `data` column by column.

    Example:
        >>> table = pd.DataFrame({"age": [31, 45, 27, 52, 38] * 4, "sex": list("FMFMF") * 4})
        >>> spec_from_data(table)["columns"]["sex"]["kind"]
        'categorical'
    """
    metadata = metadata or Metadata.detect(data)
    columns: dict[str, Any] = {}
    for name, column in metadata.columns.items():
        entry = _column_spec(data[name], column, min_count)
        if column.missing_share:
            entry["missing"] = round(float(column.missing_share), 4)
        columns[name] = entry
    spec: dict[str, Any] = {"rows": len(data), "columns": columns}
    correlations = _correlations(data, [n for n, c in columns.items() if c["kind"] in _NUMERIC])
    if correlations:
        spec["correlations"] = correlations
    return spec


_NUMERIC = ("normal", "lognormal", "poisson", "uniform")


def _column_spec(series: pd.Series, column: Column, min_count: int) -> dict[str, Any]:
    values = series.dropna()
    kind = column.kind
    few_integers = column.integer and values.nunique() <= 20
    if kind in PLAIN_NUMBER_KINDS and not few_integers:
        return _numeric_spec(pd.to_numeric(values, errors="coerce").dropna(), column)
    if kind in CATEGORY_KINDS or few_integers:
        counts = values.value_counts()
        kept = counts[counts >= min_count] if (counts >= min_count).any() else counts.head(20)
        kept = kept.head(MAX_CATEGORIES)
        weights = np.round(kept.to_numpy() / kept.sum(), 4)
        weights[0] += 1 - weights.sum()
        return {
            "kind": "categorical",
            "values": {
                json_value(k): round(float(w), 4) for k, w in zip(kept.index, weights, strict=True)
            },
        }
    if kind in DATE_KINDS:
        parsed = parse_datetimes(values, column.format)
        date_only = bool((parsed.dt.normalize() == parsed).all())
        entry: dict[str, Any] = {
            "kind": "date" if date_only else "datetime",
            "start": str(parsed.min().date() if date_only else parsed.min()),
            "end": str(parsed.max().date() if date_only else parsed.max()),
        }
        if column.format:
            entry["format"] = column.format
        return entry
    if kind in KEY_KINDS:
        if column.pattern == "int":
            return {"kind": "sequence", "start": int(pd.to_numeric(values).min())}
        if column.pattern in (None, "uuid"):
            return {"kind": "uuid"}
        return {"kind": "id", "pattern": _id_pattern(column.pattern)}
    if kind in PERSONAL_KINDS:
        pii_kind = column.pii_kind if column.pii_kind in fakes.KINDS else "text"
        if pii_kind == "text":
            return {"kind": "text", **_text_patterns(values, min_count)}
        return {"kind": pii_kind}
    return {"kind": "constant", "value": json_value(column.value)}


def _numeric_spec(values: pd.Series, column: Column) -> dict[str, Any]:
    array = values.to_numpy(dtype=float)
    low, high = float(array.min()), float(array.max())
    mean, sd = float(array.mean()), float(array.std()) or 1.0
    entry: dict[str, Any]
    skew = float(pd.Series(array).skew()) if len(array) > 2 else 0.0
    if column.integer and low >= 0 and 0.7 < (sd**2) / max(mean, 1e-9) < 1.4:
        entry = {"kind": "poisson", "lam": round(mean, 4)}
    elif low > 0 and skew > 1:
        logs = np.log(array)
        entry = {
            "kind": "lognormal",
            "mu": round(float(logs.mean()), 4),
            "sigma": round(float(logs.std()) or 0.1, 4),
        }
    else:
        entry = {"kind": "normal", "mean": round(mean, 4), "sd": round(sd, 4)}
    entry["min"], entry["max"] = json_value(low), json_value(high)
    decimals = 0 if column.integer else column.decimals
    if decimals is not None and entry["kind"] != "poisson":
        entry["round"] = int(decimals)
    return entry


def _text_patterns(values: pd.Series, min_count: int) -> dict[str, Any]:
    """The most common shapes of codes such as tickets ("PC #####"), tokens shared by
    `min_count` values kept; shapes seen fewer than `min_count` times are left out.
    """
    from lookalike.pii.detect import common_tokens

    text = values.astype(str).str.strip()
    keep = common_tokens(pd.unique(text), min_count)
    shapes = text.map(lambda v: fakes.char_template(v, keep=keep)).value_counts()
    shapes = shapes[shapes >= min_count].head(20)
    if shapes.empty:
        return {}
    marks = {fakes.DIGIT: "#", fakes.UPPER: "?", fakes.LOWER: "?"}
    patterns = {
        "".join(marks.get(c, "\\" + c if c in "#?*\\" else c) for c in shape): count
        for shape, count in shapes.items()
        if any(m in shape for m in marks)
    }
    total = sum(patterns.values())
    weights = {p: round(c / total, 4) for p, c in patterns.items()}
    first = next(iter(weights), None)
    if first is None:
        return {}
    weights[first] = round(weights[first] + 1 - sum(weights.values()), 4)
    return {"patterns": weights}


def _id_pattern(pattern: str) -> str:
    r"""Metadata id pattern (9 digit, A/a letter, \\c literal) in spec form (#, ?, \\c)."""
    out, escaped = [], False
    for char in pattern:
        if char == "\\" and not escaped:
            escaped = True
            continue
        if escaped or char not in "9Aa":
            out.append("\\" + char if char in "#?*\\" else char)
        else:
            out.append("#" if char == "9" else "?")
        escaped = False
    return "".join(out)


def _correlations(data: pd.DataFrame, names: list[str]) -> list[dict[str, Any]]:
    if len(names) < 2:
        return []
    numbers = data[names].apply(pd.to_numeric, errors="coerce")
    ranks = numbers.rank(pct=True)
    from scipy.special import ndtri

    scores = ranks.apply(lambda c: ndtri(np.clip(c * len(c) / (len(c) + 1), 1e-6, 1 - 1e-6)))
    matrix = scores.corr().fillna(0).to_numpy().copy()
    np.fill_diagonal(matrix, 1.0)
    if np.abs(matrix - np.eye(len(names))).max() < 0.2:
        return []
    for shrink in np.linspace(0, 0.5, 11):
        candidate = np.round((1 - shrink) * matrix + shrink * np.eye(len(names)), 2)
        try:
            np.linalg.cholesky(candidate)
        except np.linalg.LinAlgError:
            continue
        return [{"columns": names, "matrix": candidate.tolist()}]
    return []
