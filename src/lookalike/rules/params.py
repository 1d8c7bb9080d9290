"""Checking a column's parameters: numbers or expressions, weights, dates, patterns, templates."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lookalike.errors import SpecError
from lookalike.expressions import Expression, ExpressionError
from lookalike.pii import fakes
from lookalike.rules import limits
from lookalike.rules.patterns import pattern_slots, pattern_tokens
from lookalike.rules.settings import DISTRIBUTIONS, is_number


def check_params(
    name: str,
    kind: str,
    params: dict[str, Any],
    column: dict[str, Any],
    *,
    complete: bool,
    case: Any = None,
) -> dict[str, Any]:
    """The parameters of one kind (a case's, with `case`) checked; expressions parsed."""
    where = f"column {name!r}" + (f" (case {case!r})" if case is not None else "")
    out: dict[str, Any] = {}
    if kind == "categorical":
        if "values" in params:
            out.update(check_weights(where, params["values"], params.get("weights")))
        return out
    if kind in DISTRIBUTIONS:
        for key, value in params.items():
            out[key] = param(name, key, value, column, where)
        _check_distribution(where, kind, out)
        limits.check_counts(where, out)
        return out
    if kind == "boolean":
        p = params.get("p", 0.5)
        out["p"] = param(name, "p", p, column, where)
        if is_number(out["p"]) and not 0 <= out["p"] <= 1:
            raise SpecError(f"{where}: p must be in [0, 1], got {p!r}.")
        return out
    if kind == "computed":
        out["expr"] = expression(name, params.get("expr"), column, where)
        return out
    if kind in ("date", "datetime"):
        for key in ("start", "end"):
            if key in params:
                try:
                    out[key] = pd.Timestamp(params[key])
                except (ValueError, TypeError):
                    raise SpecError(f"{where}: {key} {params[key]!r} is not a date.") from None
        if "start" in out and "end" in out and out["end"] < out["start"]:
            raise SpecError(f"{where}: end {params['end']} is before start {params['start']}.")
        fmt = params.get("format")
        if fmt is not None and (not isinstance(fmt, str) or "%" not in fmt):
            raise SpecError(f"{where}: format must be a strftime format such as '%Y-%m-%d'.")
        out["format"] = fmt
        return out
    if kind in ("sequence", "id"):
        pattern = params.get("pattern")
        if pattern is not None:
            slots = pattern_slots(pattern)
            if not slots:
                raise SpecError(
                    f"{where}: pattern {pattern!r} has no free characters; use # for a digit, "
                    "? for a letter, * for a letter or digit (\\ keeps the next one literal)."
                )
            if kind == "sequence" and any(s != "#" for s in slots):
                raise SpecError(f"{where}: a sequence pattern may only use # slots.")
        for key in ("start", "step"):
            if key in params and not isinstance(params[key], int):
                raise SpecError(f"{where}: {key} must be a whole number, got {params[key]!r}.")
        limits.check_sequence(where, params)
        return {**params}
    if kind == "constant":
        limits.check_constant(where, params)
    if kind == "text" and "patterns" in params:
        checked = check_weights(where, params["patterns"], None)
        templates = []
        for pattern in checked["values"]:
            slots = pattern_slots(pattern)
            if not slots or "*" in slots:
                raise SpecError(
                    f"{where}: text pattern {pattern!r} needs # (digit) or ? (letter) slots."
                )
            templates.append(_template(pattern))
        return {**params, "templates": templates, "weights": checked["weights"]}
    return {**params}


def _template(pattern: str) -> str:
    r"""A spec pattern (# digit, ? letter, \\ literal) as a fakes template."""
    marks = {"#": fakes.DIGIT, "?": fakes.UPPER}
    return "".join(marks[c] if free else c for c, free in pattern_tokens(pattern))


def check_weights(where: str, values: Any, weights: Any) -> dict[str, Any]:
    """Values and weights (a list and weights, or a value -> weight mapping) as probabilities."""
    if isinstance(values, dict):
        if weights is not None:
            raise SpecError(f"{where}: give weights in 'values' as a mapping or in 'weights'.")
        values, weights = list(values), list(values.values())
    if not isinstance(values, list) or not values:
        raise SpecError(f"{where}: values must be a non-empty list or a value -> weight mapping.")
    if weights is None:
        weights = [1 / len(values)] * len(values)
    if not isinstance(weights, list) or len(weights) != len(values):
        raise SpecError(
            f"{where}: {len(values)} values but "
            f"{len(weights) if isinstance(weights, list) else weights!r} weights."
        )
    if not all(is_number(w) and w >= 0 for w in weights):
        raise SpecError(f"{where}: weights must be numbers >= 0, got {weights}.")
    total = float(sum(weights))
    if not (abs(total - 1) <= 0.01 or abs(total - 100) <= 1):
        raise SpecError(
            f"{where}: weights sum to {total:g}; make them sum to 1 (or 100 for percentages)."
        )
    return {"values": values, "weights": [w / total for w in weights]}


def _check_distribution(where: str, kind: str, params: dict[str, Any]) -> None:
    def positive(key: str, strict: bool = True) -> None:
        value = params.get(key)
        if is_number(value) and (value <= 0 if strict else value < 0):
            raise SpecError(f"{where}: {key} must be {'>' if strict else '>='} 0, got {value}.")

    for key in ("sd", "sigma", "scale", "a", "b"):
        positive(key)
    positive("lam", strict=False)
    positive("n", strict=False)
    low, high = params.get("low"), params.get("high")
    if is_number(low) and is_number(high) and low >= high:
        raise SpecError(f"{where}: low ({low}) must be below high ({high}).")
    p = params.get("p")
    if is_number(p) and not 0 <= p <= 1:
        raise SpecError(f"{where}: p must be in [0, 1], got {p}.")
    n = params.get("n")
    if is_number(n) and n != int(n):
        raise SpecError(f"{where}: n must be a whole number, got {n}.")


def param(name: str, key: str, value: Any, column: dict[str, Any], where: str | None = None) -> Any:
    """A number, or an expression string over other columns (evaluated row by row)."""
    if value is None or is_number(value):
        return value
    if isinstance(value, str):
        return expression(name, value, column, where)
    raise SpecError(f"{where or f'column {name!r}'}: {key} must be a number, got {value!r}.")


def expression(name: str, text: Any, column: dict[str, Any], where: str | None) -> Expression:
    """An expression of other columns, parsed; the columns it names become dependencies."""
    try:
        parsed = Expression.parse(text)
    except ExpressionError as error:
        raise SpecError(f"{where or f'column {name!r}'}: {error}") from None
    column["depends"].update(parsed.names)
    return parsed
