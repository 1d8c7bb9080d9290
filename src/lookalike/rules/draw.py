"""Drawing one chunk of rows from a checked spec, column by column in dependency order."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import LookalikeError, SpecError
from lookalike.expressions import Expression, ExpressionError
from lookalike.pii import fakes
from lookalike.rules.learned import NODE
from lookalike.rules.patterns import sequence, unique_ids
from lookalike.rules.settings import DISCRETE, DISTRIBUTIONS, case_key, is_number


def draw_chunk(
    checked: dict[str, Any], start: int, n: int, entropy: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Rows `start` to `start + n` of a checked spec, drawn from `entropy`."""
    columns = checked["columns"]
    uniforms: dict[str, np.ndarray] = {}
    correlation = checked["correlation"]
    if correlation is not None and n:
        from scipy.special import ndtr

        z = rng.standard_normal((n, len(correlation["columns"]))) @ correlation["cholesky"].T
        uniforms = {name: ndtr(z[:, i]) for i, name in enumerate(correlation["columns"])}
    values: dict[str, Any] = {}
    for name in checked["order"]:
        if name == NODE:
            values.update(_draw_learned(checked["learned"], values, n, rng))
            continue
        column = columns[name]
        try:
            out = _draw_column(column, n, rng, values, uniforms.get(name), start, entropy)
        except SpecError as error:
            raise SpecError(f"column {name!r}: {error}") from None
        except (TypeError, ValueError, ArithmeticError) as error:  # a parameter's rows say so
            raise SpecError(f"column {name!r} cannot be drawn: {str(error)[:160]}.") from None
        if column["missing"] and n:
            out = _with_missing(out, rng.random(n) < column["missing"])
        values[name] = out
    output = checked.get("output", list(columns))
    return pd.DataFrame({name: values[name] for name in output}, index=range(n))


def _draw_learned(
    plan: dict[str, Any], values: dict[str, Any], n: int, rng: np.random.Generator
) -> dict[str, Any]:
    """The learned columns of n rows, drawn by the model given the rule columns drawn so far."""
    given = pd.DataFrame({name: _plain(values[name]) for name in plan["given"]}, index=range(n))
    try:
        rows = plan["model"].draw(given, n, rng)
    except LookalikeError as error:
        raise SpecError(f"learned ({plan['model'].source}): {error}") from None
    return {name: rows[name].reset_index(drop=True) for name in plan["outputs"]}


def _draw_column(
    column: dict[str, Any],
    n: int,
    rng: np.random.Generator,
    values: dict[str, Any],
    u: np.ndarray | None,
    start: int,
    entropy: int,
) -> Any:
    kind = column["kind"]
    if kind == "sequence":
        return sequence(column["params"], start, n)
    if kind == "id":
        return unique_ids(column["params"]["pattern"], start, n, entropy, column["name"])
    if "by" not in column:
        return _draw_with(column, column["params"], n, rng, values, u)
    keys = np.array([case_key(v) for v in _plain(values[column["by"]])], dtype=object)
    parts: list[tuple[np.ndarray, Any]] = []
    covered = np.zeros(n, dtype=bool)
    switched = column.get("case_columns", {})
    for case, params in column["cases"].items():
        rows = np.flatnonzero(keys == case)
        covered[rows] = True
        if len(rows):
            own = switched.get(case, column)  # a case may be of another kind
            parts.append((rows, _draw_subset(own, params, rows, rng, values, u)))
    rest = np.flatnonzero(~covered)
    if len(rest):
        if not column["complete"]:
            raise SpecError(
                f"column {column['name']!r}: no parameters for {column['by']}="
                f"{keys[rest[0]]!r}; add a case for it or default parameters."
            )
        parts.append((rest, _draw_subset(column, column["params"], rest, rng, values, u)))
    return _assemble(parts, n)


def _draw_subset(
    column: dict[str, Any],
    params: dict[str, Any],
    rows: np.ndarray,
    rng: np.random.Generator,
    values: dict[str, Any],
    u: np.ndarray | None,
) -> Any:
    subset = {k: np.asarray(_plain(v))[rows] for k, v in values.items()}
    return _draw_with(column, params, len(rows), rng, subset, None if u is None else u[rows])


def _assemble(parts: list[tuple[np.ndarray, Any]], n: int) -> Any:
    arrays = [np.asarray(_plain(p)) for _, p in parts]
    kinds = {a.dtype.kind for a in arrays}
    dtype: Any = object
    if kinds <= {"i", "u"}:
        dtype = np.int64
    elif kinds <= {"i", "u", "f"}:
        dtype = float
    elif kinds == {"b"}:
        dtype = bool
    elif kinds == {"M"}:
        dtype = "datetime64[ns]"
    out = np.empty(n, dtype=dtype)
    for (rows, _), array in zip(parts, arrays, strict=True):
        out[rows] = array
    return out


def _plain(values: Any) -> Any:
    if isinstance(values, pd.Series):
        if values.dtype == "Int64" or values.dtype == "boolean":
            return values.to_numpy(dtype=object, na_value=None)
        return values.to_numpy()
    return values


def _draw_with(
    column: dict[str, Any],
    params: dict[str, Any],
    n: int,
    rng: np.random.Generator,
    values: dict[str, Any],
    u: np.ndarray | None,
) -> Any:
    kind = column["name"], column["kind"]
    kind_name = kind[1]
    resolved = {k: _resolve(v, values, n) for k, v in params.items()}
    if kind_name in DISTRIBUTIONS:
        low, high = _resolve(column["min"], values, n), _resolve(column["max"], values, n)
        out = _distribution(kind_name, resolved, n, rng, u, low, high)
        return _rounded(out, column["round"], kind_name in DISCRETE)
    if kind_name == "categorical":
        choices = np.array(resolved["values"], dtype=object)
        cumulative = np.cumsum(resolved["weights"])
        draws = rng.random(n) if u is None else u
        index = np.minimum(
            np.searchsorted(cumulative / cumulative[-1], draws, side="right"), len(choices) - 1
        )
        out = choices[index]
        return _narrow(out)
    if kind_name == "boolean":
        draws = rng.random(n) if u is None else u
        return draws < np.asarray(resolved["p"], dtype=float)
    if kind_name == "constant":
        return np.full(
            n, resolved["value"], dtype=object if isinstance(resolved["value"], str) else None
        )
    if kind_name == "computed":
        out = np.asarray(resolved["expr"], dtype=object if _is_text(resolved["expr"]) else float)
        out = np.broadcast_to(out, (n,)).copy()
        if out.dtype == float:
            low, high = _resolve(column["min"], values, n), _resolve(column["max"], values, n)
            if low is not None or high is not None:
                out = np.clip(
                    out, low if low is not None else -np.inf, high if high is not None else np.inf
                )
            return _rounded(out, column["round"], False)
        return out
    if kind_name in ("date", "datetime"):
        return _dates(kind_name, params, n, rng, u)
    if "templates" in params:
        index = np.searchsorted(np.cumsum(params["weights"]), rng.random(n) * 0.999999999)
        return fakes.fill_templates(params["templates"], rng, index)
    sex = _plain(values[column["sex"]]) if "sex" in column else None
    return fakes.make(kind_name, n, rng, str(params.get("locale", "en_US")), sex=sex)


def _is_text(value: Any) -> bool:
    array = np.asarray(value)
    return array.dtype.kind in ("U", "S", "O") and array.size > 0 and isinstance(array.flat[0], str)


def _resolve(value: Any, values: dict[str, Any], n: int) -> Any:
    if isinstance(value, Expression):
        columns = {k: _numeric_or_text(v) for k, v in values.items() if k in value.names}
        try:
            return value.evaluate(columns)
        except ExpressionError as error:
            raise SpecError(f"expression {value.text!r}: {error}") from None
    return value


def _numeric_or_text(values: Any) -> Any:
    array = np.asarray(_plain(values))
    if array.dtype == object:
        try:
            return array.astype(float)
        except (TypeError, ValueError):
            return array
    if array.dtype.kind == "M":
        return (array - np.datetime64("1970-01-01")) / np.timedelta64(1, "D")
    return array


def _narrow(values: np.ndarray) -> np.ndarray:
    """Object arrays of plain numbers or bools as numeric arrays (categories of 1, 2, 3)."""
    if len(values) and all(isinstance(v, bool) for v in values[:1000]):
        return values.astype(bool)
    if len(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in values[:1000]):
        return values.astype(np.int64)
    if len(values) and all(is_number(v) for v in values[:1000]):
        return values.astype(float)
    return values


def _distribution(
    kind: str,
    p: dict[str, Any],
    n: int,
    rng: np.random.Generator,
    u: np.ndarray | None,
    low: Any,
    high: Any,
) -> np.ndarray:
    frozen = frozen_distribution(kind, p)
    if u is None and low is None and high is None:
        direct = {
            "normal": lambda: rng.normal(p["mean"], p["sd"], n),
            "lognormal": lambda: rng.lognormal(p["mu"], p["sigma"], n),
            "uniform": lambda: rng.uniform(p["low"], p["high"], n),
            "exponential": lambda: rng.exponential(p["scale"], n),
            "poisson": lambda: rng.poisson(p["lam"], n),
            "beta": lambda: rng.beta(p["a"], p["b"], n),
            "binomial": lambda: rng.binomial(np.round(p["n"]).astype(np.int64), p["p"], n),
        }[kind]
        with np.errstate(all="ignore"):
            return np.asarray(direct(), dtype=float)
    draws = rng.random(n) if u is None else u
    discrete = kind in DISCRETE
    with np.errstate(all="ignore"):
        lo = 0.0 if low is None else frozen.cdf(np.asarray(low) - 1 if discrete else low)
        hi = 1.0 if high is None else frozen.cdf(high)
        out = np.asarray(frozen.ppf(lo + draws * (hi - lo)), dtype=float)
    if low is not None or high is not None:
        out = np.clip(out, -np.inf if low is None else low, np.inf if high is None else high)
    return out


def frozen_distribution(kind: str, p: dict[str, Any]) -> Any:
    """The scipy distribution of a spec distribution kind with parameters `p`."""
    from scipy import stats

    return {
        "normal": lambda: stats.norm(loc=p["mean"], scale=p["sd"]),
        "lognormal": lambda: stats.lognorm(s=p["sigma"], scale=np.exp(p["mu"])),
        "uniform": lambda: stats.uniform(loc=p["low"], scale=np.asarray(p["high"]) - p["low"]),
        "exponential": lambda: stats.expon(scale=p["scale"]),
        "poisson": lambda: stats.poisson(mu=p["lam"]),
        "beta": lambda: stats.beta(a=p["a"], b=p["b"]),
        "binomial": lambda: stats.binom(n=np.round(p["n"]), p=p["p"]),
    }[kind]()


def _rounded(values: np.ndarray, decimals: int | None, discrete: bool) -> np.ndarray:
    if discrete or decimals == 0:
        finite = np.isfinite(values)
        if finite.all() and (not len(values) or np.abs(values).max() < 2**62):  # fits int64
            return np.round(values).astype(np.int64)
        return np.round(values)
    if decimals is not None:
        return np.round(values, decimals)
    return values


def _dates(
    kind: str, params: dict[str, Any], n: int, rng: np.random.Generator, u: np.ndarray | None
) -> Any:
    start, end = params["start"], params["end"]
    if kind == "date":
        days = (end.normalize() - start.normalize()).days
        draws = rng.random(n) if u is None else u
        offsets = np.minimum(np.floor(draws * (days + 1)), days).astype("int64")
        stamps = start.normalize().to_datetime64() + offsets.astype("timedelta64[D]")
    else:
        span = (end - start).total_seconds()
        draws = rng.random(n) if u is None else u
        offsets = np.floor(draws * span).astype("int64")
        stamps = start.to_datetime64() + offsets.astype("timedelta64[s]")
    series = pd.Series(pd.to_datetime(stamps))
    if params.get("format"):
        return series.dt.strftime(params["format"]).to_numpy(dtype=object)
    return series.to_numpy()


def _with_missing(values: Any, mask: np.ndarray) -> Any:
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        out = pd.array(array, dtype="Int64")
        out[mask] = pd.NA
        return pd.Series(out)
    if array.dtype.kind == "b":
        out = pd.array(array, dtype="boolean")
        out[mask] = pd.NA
        return pd.Series(out)
    if array.dtype.kind == "f":
        return np.where(mask, np.nan, array)
    if array.dtype.kind == "M":
        out = array.copy()
        out[mask] = np.datetime64("NaT")
        return out
    out = array.astype(object)
    out[mask] = None
    return out
