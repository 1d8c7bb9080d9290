"""How `cart` compares and constrains encoded values: each column's decoded comparison (for the
copy filter) and sampling conditions turned into per-column rules on encoded values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from lookalike.kinds import CATEGORY_KINDS, DATE_KINDS, NUMBER_KINDS, PLAIN_NUMBER_KINDS
from lookalike.models._copies import Canon
from lookalike.models._leaf_draws import _timestamp_seconds
from lookalike.models.base import Conditions
from lookalike.transform import NULL_SUFFIX


def canons(model: Any) -> list[Canon]:
    """How each learned column compares once decoded (rounding, range, missing flag)."""
    meta = model.transformer_.metadata_.columns
    position = {c: j for j, c in enumerate(model.columns_)}
    out = []
    for column, discrete in zip(model.columns_, model.discrete_, strict=True):
        if discrete:
            out.append(Canon())
            continue
        kind, state = meta[column], model.transformer_.columns_[column]
        flag = position.get(column + NULL_SUFFIX, -1)
        if kind.kind in DATE_KINDS:
            out.append(Canon(state["min"], state["max"], state["resolution"] or 0.0, flag))
            continue
        low = -np.inf if kind.min is None else float(kind.min)
        high = np.inf if kind.max is None else float(kind.max)
        step = 1.0 if kind.integer else 0.0 if kind.decimals is None else 10.0**-kind.decimals
        out.append(Canon(low, high, step, flag))
    return out


def constraints(model: Any, conditions: Conditions) -> dict[int, Any]:
    """Conditions as per-column rules on encoded values, checked while rows are drawn."""
    rules: dict[int, Any] = {}
    position = {c: j for j, c in enumerate(model.columns_)}
    for column, wanted in conditions.items():
        kind = model.metadata_.columns[column].kind
        if kind in CATEGORY_KINDS and not isinstance(wanted, tuple):
            if column not in position:
                continue
            code = int(model.transformer_.encode_categories(column, [wanted], strict=True)[0])
            pooled = model.pooled_code_[position[column]]
            match = pooled if 0 <= pooled <= code else code
            rules[position[column]] = ("code", match, code)
        elif kind in NUMBER_KINDS and column in position:
            low, high = wanted if isinstance(wanted, tuple) else (wanted, wanted)
            bounds = encoded_bounds(model, column, low, high)
            if bounds is not None:
                rules[position[column]] = ("range", *bounds)
            flag = column + NULL_SUFFIX
            if flag in position:
                rules[position[flag]] = ("code", 0, 0)
    return rules


def encoded_bounds(model: Any, column: str, low: Any, high: Any) -> tuple[float, float] | None:
    """A loose encoded interval holding every value that decodes into [low, high]."""
    meta = model.metadata_.columns[column]
    try:
        to_seconds: Callable[[Any], float]
        if meta.kind in DATE_KINDS:
            to_seconds = _timestamp_seconds
            margin = float(model.transformer_.columns_[column].get("resolution") or 1.0)
        else:
            to_seconds = float
            margin = 0.5 if meta.integer else 0.5 * 10.0 ** -(meta.decimals or 12)
        lo = -np.inf if low is None else to_seconds(low) - margin
        hi = np.inf if high is None else to_seconds(high) + margin
        lo, hi = lo - 1e-9 * abs(lo), hi + 1e-9 * abs(hi)
    except (TypeError, ValueError):
        return None
    if meta.kind in PLAIN_NUMBER_KINDS:  # decoding clips to the observed range
        if meta.min is not None and lo <= meta.min:
            lo = -np.inf
        if meta.max is not None and hi >= meta.max:
            hi = np.inf
    return float(lo), float(hi)
