"""Reading and checking a rules spec: every problem is a SpecError naming the column.

`load_spec` reads a dict, a .yaml/.yml/.json path or YAML/JSON text; `validate_spec` checks kinds,
settings, parameters, weights, expressions, dependencies (cycles), `by`/`cases` coverage and
correlations, and returns the spec normalised for `lookalike.rules.draw`.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from lookalike.errors import SpecError
from lookalike.expressions import Expression, ExpressionError
from lookalike.pii import fakes
from lookalike.rules import limits
from lookalike.rules.patterns import pattern_slots, pattern_tokens
from lookalike.rules.yaml_text import parse_text

# kind -> (required parameters, optional parameters)
DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "normal": (("mean", "sd"), ()),
    "lognormal": (("mu", "sigma"), ()),
    "uniform": (("low", "high"), ()),
    "exponential": (("scale",), ()),
    "poisson": (("lam",), ()),
    "beta": (("a", "b"), ()),
    "binomial": (("n", "p"), ()),
}
OTHER_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "categorical": (("values",), ("weights",)),
    "boolean": ((), ("p",)),
    "constant": (("value",), ()),
    "sequence": ((), ("start", "step", "pattern")),
    "id": (("pattern",), ()),
    "date": (("start", "end"), ("format",)),
    "datetime": (("start", "end"), ("format",)),
    "computed": (("expr",), ()),
}
FAKE_PARAMS = ("locale",)
COMMON = ("kind", "missing", "by", "cases", "min", "max", "round")
TOP_LEVEL = ("columns", "rows", "seed", "locale", "correlations")
DISCRETE = ("poisson", "binomial")
COPULA_KINDS = (*DISTRIBUTIONS, "categorical", "boolean", "date", "datetime")


# ---------------------------------------------------------------------- reading a spec
def load_spec(spec: dict[str, Any] | str | Path) -> dict[str, Any]:
    """Read a spec from a dict, a .yaml/.yml/.json path or YAML/JSON text, and validate it."""
    if isinstance(spec, dict):
        data = spec
    else:
        text = str(spec)
        suffix = Path(text).suffix.lower() if len(text) < 4096 else ""
        looks_inline = (
            "\n" in text
            or len(text) >= 4096
            or text.lstrip().startswith(("{", "["))
            or (":" in text and suffix not in (".yaml", ".yml", ".json"))
        )
        if not looks_inline:
            path = Path(spec)
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = "does not exist" if not path.exists() else f"cannot be read ({error})"
                raise SpecError(f"spec file {path} {reason}.") from None
        data = parse_text(text, str(spec) if not looks_inline else "spec")
    return validate_spec(data)


def validate_spec(spec: Any) -> dict[str, Any]:
    """Check a spec and return it normalised (weights as probabilities, expressions parsed)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("columns"), dict):
        raise SpecError('a spec must be a mapping with a "columns" mapping of name -> settings.')
    unknown = sorted(set(spec) - set(TOP_LEVEL))
    if unknown:
        raise SpecError(
            f"unknown top-level key(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(TOP_LEVEL)}."
        )
    if not spec["columns"]:
        raise SpecError("the spec has no columns.")
    locale = spec.get("locale", "en_US")
    columns = {
        str(name): _check_column(str(name), settings, locale)
        for name, settings in spec["columns"].items()
    }
    names = set(columns)
    for name, column in columns.items():
        for dependency in column["depends"]:
            if dependency not in names:
                raise SpecError(
                    f"column {name!r} uses unknown column {dependency!r}; "
                    f"known: {', '.join(sorted(names))}."
                )
            if dependency == name:
                raise SpecError(f"column {name!r} depends on itself.")
    limits.check_numeric_inputs(columns)
    order = _order(columns)
    correlation = _check_correlations(spec.get("correlations") or [], columns)
    for name, column in columns.items():
        _check_cases_cover(name, column, columns)
    rows = spec.get("rows")
    if rows is not None and (not isinstance(rows, int) or rows < 0):
        raise SpecError(f'"rows" must be a whole number >= 0, got {rows!r}.')
    seed = spec.get("seed")
    if seed is not None and not isinstance(seed, int):
        raise SpecError(f'"seed" must be an integer, got {seed!r}.')
    return {
        "columns": columns,
        "order": order,
        "correlation": correlation,
        "rows": rows,
        "seed": seed,
    }


def _check_column(name: str, settings: Any, locale: str) -> dict[str, Any]:
    if not isinstance(settings, dict):
        raise SpecError(f"column {name!r}: expected a mapping of settings, got {settings!r}.")
    kind = settings.get("kind")
    known = {**DISTRIBUTIONS, **OTHER_KINDS}
    if kind not in known and kind not in fakes.KINDS:
        raise SpecError(
            f"column {name!r}: unknown kind {kind!r}; use one of "
            f"{', '.join([*known, *fakes.KINDS])}."
        )
    required, optional = known.get(
        kind, ((), (*FAKE_PARAMS, "patterns") if kind == "text" else FAKE_PARAMS)
    )
    allowed = set(COMMON) | set(required) | set(optional)
    extra = sorted(set(settings) - allowed)
    if extra:
        raise SpecError(
            f"column {name!r} ({kind}): unknown setting(s) {', '.join(map(repr, extra))}; "
            f"allowed: {', '.join(sorted(allowed - {'kind'}))}."
        )
    column: dict[str, Any] = {"name": name, "kind": kind, "depends": set()}
    missing = settings.get("missing", 0)
    if not is_number(missing) or not 0 <= missing < 1:
        raise SpecError(f"column {name!r}: missing must be a share in [0, 1), got {missing!r}.")
    column["missing"] = float(missing)
    for key in ("min", "max"):
        column[key] = _param(name, key, settings.get(key), column)
    rounding = settings.get("round")
    limits.check_round(f"column {name!r}", rounding)
    column["round"] = rounding
    base = {k: v for k, v in settings.items() if k in set(required) | set(optional)}
    if kind in fakes.KINDS:
        base.setdefault("locale", locale)
        try:  # an unknown locale fails now, not mid-stream
            fakes._faker(str(base["locale"]))
        except SpecError as error:
            raise SpecError(f"column {name!r}: {error}") from None
    column["params"] = _check_params(name, kind, base, column, complete=False)
    column["complete"] = all(k in base for k in required)
    if "by" in settings:
        by = settings["by"]
        cases = settings.get("cases")
        if not isinstance(by, str) or not isinstance(cases, dict) or not cases:
            raise SpecError(
                f"column {name!r}: 'by' needs a column name and 'cases', a mapping of that "
                "column's values to parameters."
            )
        column["by"] = by
        column["depends"].add(by)
        column["cases"] = {}
        for value, overrides in cases.items():
            if not isinstance(overrides, dict):
                raise SpecError(f"column {name!r}: case {value!r} must be a mapping of parameters.")
            bad = sorted(set(overrides) - set(required) - set(optional))
            if bad:
                raise SpecError(
                    f"column {name!r}: case {value!r} sets {', '.join(map(repr, bad))}, which "
                    f"{kind} does not take; allowed: {', '.join([*required, *optional])}."
                )
            merged = {**base, **overrides}
            missing_keys = [k for k in required if k not in merged]
            if missing_keys:
                raise SpecError(f"column {name!r}: case {value!r} lacks {', '.join(missing_keys)}.")
            column["cases"][case_key(value)] = _check_params(
                name, kind, merged, column, complete=True, case=value
            )
    elif "cases" in settings:
        raise SpecError(f"column {name!r}: 'cases' needs 'by', the column they depend on.")
    elif not column["complete"]:
        lacking = [k for k in required if k not in base]
        raise SpecError(f"column {name!r} ({kind}) lacks {', '.join(lacking)}.")
    if kind in DISTRIBUTIONS:
        for case, params in [(None, column["params"]), *column.get("cases", {}).items()]:
            if case is None and not column["complete"]:
                continue
            where = f"column {name!r}" + (f" (case {case!r})" if case is not None else "")
            limits.check_bounds(where, kind, params, column["min"], column["max"])
    return column


def _check_params(
    name: str,
    kind: str,
    params: dict[str, Any],
    column: dict[str, Any],
    *,
    complete: bool,
    case: Any = None,
) -> dict[str, Any]:
    where = f"column {name!r}" + (f" (case {case!r})" if case is not None else "")
    out: dict[str, Any] = {}
    if kind == "categorical":
        if "values" in params:
            out.update(_check_weights(where, params["values"], params.get("weights")))
        return out
    if kind in DISTRIBUTIONS:
        for key, value in params.items():
            out[key] = _param(name, key, value, column, where)
        _check_distribution(where, kind, out)
        limits.check_counts(where, out)
        return out
    if kind == "boolean":
        p = params.get("p", 0.5)
        out["p"] = _param(name, "p", p, column, where)
        if is_number(out["p"]) and not 0 <= out["p"] <= 1:
            raise SpecError(f"{where}: p must be in [0, 1], got {p!r}.")
        return out
    if kind == "computed":
        out["expr"] = _expression(name, params.get("expr"), column, where)
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
        checked = _check_weights(where, params["patterns"], None)
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


def _check_weights(where: str, values: Any, weights: Any) -> dict[str, Any]:
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


def _param(
    name: str, key: str, value: Any, column: dict[str, Any], where: str | None = None
) -> Any:
    """A number, or an expression string over other columns (evaluated row by row)."""
    if value is None or is_number(value):
        return value
    if isinstance(value, str):
        return _expression(name, value, column, where)
    raise SpecError(f"{where or f'column {name!r}'}: {key} must be a number, got {value!r}.")


def _expression(name: str, text: Any, column: dict[str, Any], where: str | None) -> Expression:
    try:
        expression = Expression.parse(text)
    except ExpressionError as error:
        raise SpecError(f"{where or f'column {name!r}'}: {error}") from None
    column["depends"].update(expression.names)
    return expression


def is_number(value: Any) -> TypeGuard[int | float]:
    """True for an int or float that is not a bool."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def case_key(value: Any) -> str:
    """Case keys compare as text: YAML may read `yes` as True and `1` as 1."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _order(columns: dict[str, dict[str, Any]]) -> list[str]:
    """Columns in an order where every column comes after those it uses; cycles are errors."""
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*path[path.index(name) :], name]
            raise SpecError(
                f"columns {' -> '.join(cycle)} depend on each other in a cycle; "
                f"break it at column {name!r}."
            )
        state[name] = 1
        for dependency in sorted(columns[name]["depends"]):
            visit(dependency, [*path, name])
        state[name] = 2
        order.append(name)

    for name in columns:
        visit(name, [])
    return order


def _check_cases_cover(name: str, column: dict[str, Any], columns: dict[str, Any]) -> None:
    if "by" not in column or column["complete"]:
        return
    parent = columns[column["by"]]
    if parent["kind"] == "categorical" and "values" in parent["params"]:
        values = {case_key(v) for v in parent["params"]["values"]}
        for case in parent.get("cases", {}).values():
            values |= {case_key(v) for v in case.get("values", [])}
    elif parent["kind"] == "boolean":
        values = {"True", "False"}
    else:
        raise SpecError(
            f"column {name!r}: give full default parameters, since cases by {column['by']!r} "
            "cannot list every value of that column."
        )
    uncovered = sorted(values - set(column["cases"]))
    if uncovered:
        raise SpecError(
            f"column {name!r}: no parameters for {column['by']}={uncovered[0]!r}; add a case "
            "for it or default parameters."
        )


def _check_correlations(entries: Any, columns: dict[str, Any]) -> dict[str, Any] | None:
    if not entries:
        return None
    if not isinstance(entries, list):
        raise SpecError('"correlations" must be a list of {columns: [...], r: ...} entries.')
    names: list[str] = []
    pairs: dict[tuple[str, str], float] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("columns"), list):
            raise SpecError(f"correlation {entry!r}: expected {{columns: [a, b], r: 0.5}}.")
        members = [str(c) for c in entry["columns"]]
        for member in members:
            if member not in columns:
                raise SpecError(f"correlation lists unknown column {member!r}.")
            if columns[member]["kind"] not in COPULA_KINDS:
                raise SpecError(
                    f"column {member!r} ({columns[member]['kind']}) cannot be correlated; use "
                    f"a distribution, categorical, boolean, date or datetime column."
                )
            if member not in names:
                names.append(member)
        if "matrix" in entry:
            matrix = np.asarray(entry["matrix"], dtype=float)
            if matrix.shape != (len(members), len(members)):
                raise SpecError(
                    f"correlation of {members}: matrix must be {len(members)}x{len(members)}."
                )
            for i, a in enumerate(members):
                for j, b in enumerate(members):
                    if i != j:
                        pairs[(a, b)] = float(matrix[i, j])
        else:
            r = entry.get("r")
            if not is_number(r) or not -1 < r < 1:
                raise SpecError(f"correlation of {members}: r must be in (-1, 1), got {r!r}.")
            for a in members:
                for b in members:
                    if a != b:
                        pairs[(a, b)] = float(r)
    matrix = np.eye(len(names))
    for (a, b), r in pairs.items():
        matrix[names.index(a), names.index(b)] = r
    if not np.allclose(matrix, matrix.T) or np.any(np.abs(matrix) > 1):
        raise SpecError("correlations must be symmetric and within [-1, 1].")
    try:
        cholesky = np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise SpecError(
            f"the correlations between {', '.join(names)} are not possible together "
            "(the matrix is not positive definite); weaken some of them."
        ) from None
    return {"columns": names, "cholesky": cholesky}
