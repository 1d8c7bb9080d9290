"""Spec values checked against what can be drawn: numeric limits, supports and input types.

A spec value that numpy cannot draw from (binomial n = 1e30, Poisson lam = 1e30), that cannot
hold in the output (a sequence from 1e30), or that leaves no probability between `min` and `max`
(min above max, max below an exponential's support) is a SpecError naming the column, found
before any row is drawn instead of a crash or a constant column mid-stream.
"""

from __future__ import annotations

import math
from typing import Any, TypeGuard

from lookalike.errors import SpecError
from lookalike.expressions import Expression

MAX_COUNT = 10**15  # binomial n, Poisson lam: numpy's samplers take far less than 2**63
MAX_INDEX = 10**15  # sequence start/step: stays exact in a float and far from int64 overflow
MAX_DECIMALS = 15  # round: digits a float can hold
SCALARS = (str, int, float, bool, type(None))


def check_counts(where: str, params: dict[str, Any]) -> None:
    """Binomial n and Poisson lam small enough for numpy's samplers."""
    for key in ("n", "lam"):
        value = params.get(key)
        if _number(value) and value > MAX_COUNT:
            raise SpecError(f"{where}: {key} must be at most {MAX_COUNT:.0e}, got {value:g}.")


def check_round(where: str, rounding: Any) -> None:
    """SpecError unless `rounding` is a sensible number of digits."""
    if rounding is None:
        return
    if not isinstance(rounding, int) or isinstance(rounding, bool):
        raise SpecError(f"{where}: round must be a whole number >= 0, got {rounding!r}.")
    if not 0 <= rounding <= MAX_DECIMALS:
        raise SpecError(f"{where}: round must be from 0 to {MAX_DECIMALS}, got {rounding}.")


def check_sequence(where: str, params: dict[str, Any]) -> None:
    """SpecError unless a sequence's start and step are within bounds."""
    for key in ("start", "step"):
        value = params.get(key)
        if isinstance(value, int) and abs(value) > MAX_INDEX:
            raise SpecError(f"{where}: {key} must be within ±{MAX_INDEX:.0e}, got {value:.3g}.")


def check_constant(where: str, params: dict[str, Any]) -> None:
    """SpecError unless a constant column's value is one scalar."""
    value = params.get("value")
    if not isinstance(value, SCALARS):
        raise SpecError(
            f"{where}: a constant's value must be one text, number or true/false, "
            f"not a {type(value).__name__}; use kind categorical for several values."
        )


def check_bounds(where: str, kind: str, params: dict[str, Any], low: Any, high: Any) -> None:
    """Min <= max, and some probability of the distribution between them."""
    if _number(low) and _number(high) and low > high:
        raise SpecError(f"{where}: min ({low:g}) is above max ({high:g}).")
    if not (_number(low) or _number(high)) or not all(map(_number, params.values())):
        return  # expressions: checked row by row when drawn
    if isinstance(low, Expression) or isinstance(high, Expression):
        return
    from lookalike.rules.draw import frozen_distribution

    try:
        frozen = frozen_distribution(kind, params)
        discrete = kind in ("poisson", "binomial")
        below = frozen.cdf(low - 1 if discrete else low) if _number(low) else 0.0
        above = frozen.cdf(high) if _number(high) else 1.0
    except (ValueError, OverflowError, ArithmeticError):
        return
    if not above - below > 1e-12:
        support = frozen.support()
        raise SpecError(
            f"{where}: {_show(low, high)} leaves (almost) no probability under this {kind} "
            f"distribution (its values lie in {support[0]:g}..{support[1]:g}); move min/max "
            "or change the parameters."
        )


def check_numeric_inputs(columns: dict[str, dict[str, Any]]) -> None:
    """A number parameter may not simply name a column of text (names, ids, categories, dates)."""
    for name, column in columns.items():
        _check_inputs(name, column, columns)
        for case in column.get("case_columns", {}).values():  # a case of another kind
            _check_inputs(name, case, columns)


def _check_inputs(name: str, column: dict[str, Any], columns: dict[str, dict[str, Any]]) -> None:
    settings = [("min", column.get("min")), ("max", column.get("max"))]
    if column["kind"] not in ("categorical", "computed", "constant"):
        settings += list(column.get("params", {}).items())
        switched = column.get("case_columns", {})
        for key, case in column.get("cases", {}).items():
            if key not in switched:
                settings += list(case.items())
    for key, value in settings:
        if not isinstance(value, Expression) or value.names != {value.text.strip()}:
            continue
        source = columns.get(value.text.strip())
        if source is not None and gives_text(source):
            raise SpecError(
                f"column {name!r}: {key} names column {source['name']!r}, which holds "
                f"{source['kind']} values, not numbers."
            )


def gives_text(column: dict[str, Any]) -> bool:
    """Whether a checked spec column yields text (or dates) rather than numbers."""
    from lookalike.pii import fakes

    kind = column["kind"]
    params = column.get("params", {})
    if any(gives_text(case) for case in column.get("case_columns", {}).values()):
        return True
    if kind in fakes.KINDS or kind in ("id", "date", "datetime"):
        return True
    if kind == "sequence":
        return params.get("pattern") is not None
    if kind == "categorical":
        return any(isinstance(v, str) for v in params.get("values", []))
    if kind == "constant":
        return isinstance(params.get("value"), str)
    return False


def _number(value: Any) -> TypeGuard[int | float]:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _show(low: Any, high: Any) -> str:
    parts = [f"{key} {value:g}" for key, value in (("min", low), ("max", high)) if _number(value)]
    return " and ".join(parts)
