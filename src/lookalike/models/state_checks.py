"""Checks of a loaded model state before a model is built from it (`persistence.load`).

A signed file can still hold a state lookalike never writes (a re-signed, hand-edited file): these
checks refuse anything that could hang, crash or give impossible values at sampling time — trees
with cycles or out-of-range children, indices past their arrays, a correlation matrix that is not
a valid one, probability tables that do not sum to one, category tables that disagree. Each
failure is a ModelFileError naming what is wrong. A table of checks per model name; a model
without an entry gets the common checks (transformer, finite numbers) only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NoReturn

import numpy as np

from lookalike.errors import ModelFileError
from lookalike.kinds import CATEGORY_KINDS, DATE_KINDS

State = dict[str, Any]
Encoded = list[Any]  # the transformer's EncodedColumn list


def check_state(name: str, state: State) -> None:
    """Raise ModelFileError unless `state` is one a fitted `name` model could have."""
    from lookalike.transform import TableTransformer

    if not isinstance(state.get("transformer"), dict):
        fail("it has no column transformer")
    _check_transformer(state["transformer"])
    try:
        encoded = TableTransformer.from_state(state["transformer"]).encoded_columns
    except (KeyError, TypeError, ValueError) as error:
        fail(f"its column transformer is damaged ({error})")
    model = {k[6:]: v for k, v in state.items() if k.startswith("model.")}
    if not encoded:
        return
    if "columns" in model:  # the model's own column order (cart's visit order, ...)
        names = model["columns"]
        by_name = {c.name: c for c in encoded}
        if not isinstance(names, list) or sorted(map(str, names)) != sorted(by_name):
            fail("the model's columns do not match its column transformer")
        encoded = [by_name[name] for name in names]
    checker = CHECKS.get(name)
    if checker is not None:
        checker(model, encoded)


def fail(what: str) -> NoReturn:
    """Raise the ModelFileError of an edited or damaged model file."""
    raise ModelFileError(f"the model file was edited or damaged: {what}; fit the model again.")


# ---------------------------------------------------------------------- helpers
def array(state: State, key: str, kind: str, ndim: int | None = None) -> np.ndarray:
    """state[key] as an array of dtype kind in `kind` ('i' ints, 'f' numbers, 'b' bools)."""
    if key not in state:
        fail(f"{key} is missing")
    value = np.asarray(state[key])
    kinds = {"i": "iu", "f": "fiu", "b": "b"}[kind]
    if value.dtype.kind not in kinds:
        fail(f"{key} has dtype {value.dtype}")
    if ndim is not None and value.ndim != ndim:
        fail(f"{key} has {value.ndim} dimensions, not {ndim}")
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        fail(f"{key} holds NaN or infinite numbers")
    return value


def in_range(values: np.ndarray, low: int, high: int, what: str) -> None:
    """Every value in [low, high)."""
    if len(values.ravel()) and (values.min() < low or values.max() >= high):
        fail(f"{what} has values outside {low}..{high - 1}")


def integer(value: Any, what: str, low: int = 0) -> int:
    """`value` as an int of at least `low`, else ModelFileError."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        fail(f"{what} is not a whole number of at least {low}")
    return int(value)


def sizes(encoded: Encoded) -> dict[str, int]:
    """Number of codes of each discrete encoded column."""
    return {c.name: c.size for c in encoded if c.kind == "discrete"}


def permutation(values: np.ndarray, what: str) -> None:
    """ModelFileError unless `values` is an ordering of 0..n-1."""
    if sorted(values.tolist()) != list(range(len(values))):
        fail(f"{what} is not an ordering of 0..{len(values) - 1}")


def sorted_1d(values: np.ndarray, what: str) -> None:
    """ModelFileError unless `values` is a 1-d increasing array."""
    if values.ndim != 1 or (len(values) > 1 and (np.diff(values) < 0).any()):
        fail(f"{what} is not an increasing list of numbers")


def _check_transformer(state: State) -> None:
    """Category tables consistent, number bounds ordered, datetime facts usable."""
    columns = state.get("columns")
    meta = (state.get("metadata") or {}).get("columns")
    if not isinstance(columns, dict) or not isinstance(meta, dict) or set(columns) != set(meta):
        fail("its column transformer does not match its metadata")
    for name, column in columns.items():
        kind = (meta[name] or {}).get("kind") if isinstance(meta[name], dict) else None
        kind = kind if isinstance(kind, str) else None  # a hostile file may hold a list
        if not isinstance(column, dict):
            fail(f"column {name!r} has no state")
        if kind in CATEGORY_KINDS:
            cats, keys = column.get("categories"), column.get("keys")
            if not isinstance(cats, list) or not isinstance(keys, list) or not cats:
                fail(f"column {name!r} has no category table")
            if len(cats) != len(keys) or len(set(map(str, keys))) != len(keys):
                fail(f"column {name!r} has a category table whose keys and values disagree")
        low, high = meta[name].get("min"), meta[name].get("max")
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            fail(f"column {name!r} has min {low} above max {high}")
        if kind in DATE_KINDS:
            for key in ("min", "max", "fill", "resolution"):
                if not isinstance(column.get(key), int | float) or isinstance(column[key], bool):
                    fail(f"datetime column {name!r} has no {key}")
            if column["min"] > column["max"] or column["resolution"] < 0:
                fail(f"datetime column {name!r} has an impossible range")
            if max(abs(column["min"]), abs(column["max"])) > 9.2e9:  # pandas' ns range, seconds
                fail(f"datetime column {name!r} is outside the dates pandas can hold")


# ---------------------------------------------------------------------- per model
def _copula(state: State, encoded: Encoded) -> None:
    p = len(encoded)
    corr = array(state, "correlation", "f", 2)
    if corr.shape != (p, p):
        fail("the correlation matrix does not match the columns")
    if not np.allclose(corr, corr.T, atol=1e-8) or not np.allclose(np.diag(corr), 1.0, atol=1e-6):
        fail("the correlation matrix is not symmetric with a unit diagonal")
    if np.abs(corr).max() > 1 + 1e-9:
        fail("the correlation matrix has entries outside -1..1")
    try:
        np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        fail("the correlation matrix is not positive definite")
    kinds = list(state.get("kinds", []))
    if kinds != [c.kind for c in encoded]:
        fail("the copula's column kinds do not match the columns")
    for j, column in enumerate(encoded):
        marginal = array(state, f"marginal.{j}", "f", 1)
        if column.kind == "discrete":
            order = array(state, f"order.{j}", "i", 1)
            permutation(order, f"order.{j}")
            if not 1 <= len(order) <= column.size or len(marginal) != len(order):
                fail(f"column {column.name!r} has a category order of the wrong size")
            sorted_1d(marginal, f"marginal.{j}")
            in_range(marginal, 0, 2, f"marginal.{j}")
        elif not len(marginal):
            fail(f"column {column.name!r} has an empty marginal")
        else:
            sorted_1d(marginal, f"marginal.{j}")


def _bayesnet(state: State, encoded: Encoded) -> None:
    d = len(encoded)
    cards = [integer(c, "a cardinality", 1) for c in state.get("cards", [])]
    order = np.asarray(state.get("order", []))
    parents = state.get("parents", [])
    if len(cards) != d or len(order) != d or not isinstance(parents, list) or len(parents) != d:
        fail("the network's sizes do not match its columns")
    permutation(order, "the network's order")
    position = {int(j): i for i, j in enumerate(order)}
    for j, (column, ps) in enumerate(zip(encoded, parents, strict=True)):
        if not isinstance(ps, list) or any(integer(p, "a parent") >= d for p in ps):
            fail(f"column {j}'s parents are out of range")
        if any(position[int(p)] >= position[j] for p in ps) or len(set(ps)) != len(ps):
            fail("the network has a cycle (a parent sampled after its child)")
        if column.kind == "discrete" and cards[j] > column.size:
            fail(f"column {column.name!r} has more states than categories")
        configs = math.prod(cards[int(p)] for p in ps)
        table = array(state, f"table.{j}", "f", 2)
        if table.shape != (configs, cards[j]):
            fail(f"table.{j} has the wrong shape")
        if (table < 0).any() or not np.allclose(table.sum(axis=1), 1.0, atol=1e-6):
            fail(f"table.{j} has rows that are not probabilities")
        if column.kind == "continuous":
            inner = array(state, f"inner.{j}", "f", 2)
            if inner.shape[0] != cards[j] or inner.shape[1] < 2:
                fail(f"inner.{j} has the wrong shape")


def _scored_rows(state: State, encoded: Encoded) -> None:
    """Kde and noise: real rows as normal scores and codes, a quantile grid per number."""
    continuous, discrete = list(state.get("continuous", [])), list(state.get("discrete", []))
    kinds = {c.name: c.kind for c in encoded}
    if sorted(continuous + discrete) != sorted(kinds) or any(
        kinds[c] != "continuous" for c in continuous
    ):
        fail("the model's numeric and category columns do not match the columns")
    scores = array(state, "scores", "f", 2)
    codes = array(state, "codes", "i", 2)
    n = len(scores)
    if n < 1 or scores.shape[1] != len(continuous) or codes.shape != (n, len(discrete)):
        fail("the stored rows have the wrong shape")
    size = sizes(encoded)
    for j, name in enumerate(discrete):
        in_range(codes[:, j], 0, size[name], f"codes of {name!r}")
        marginal = array(state, f"marginal.{j}", "f", 1)
        if not 1 <= len(marginal) <= size[name] or (marginal < 0).any():
            fail(f"marginal.{j} is not a probability table of {name!r}")
        if not math.isclose(float(marginal.sum()), 1.0, abs_tol=1e-6):
            fail(f"marginal.{j} does not sum to one")
        in_range(codes[:, j], 0, len(marginal), f"codes of {name!r}")
    for j in range(len(continuous)):
        grid = array(state, f"grid.{j}", "f", 1)
        if not len(grid):
            fail(f"grid.{j} is empty")
        sorted_1d(grid, f"grid.{j}")
    for key in ("width", "smoothing"):
        if key in state and (not isinstance(state[key], int | float) or state[key] < 0):
            fail(f"{key} is not a number of at least 0")


def _smote(state: State, encoded: Encoded) -> None:
    continuous, discrete = list(state.get("continuous", [])), list(state.get("discrete", []))
    if sorted(continuous + discrete) != sorted(c.name for c in encoded):
        fail("the model's numeric and category columns do not match the columns")
    values = array(state, "values", "f", 2)
    codes = array(state, "codes", "i", 2)
    neighbors = array(state, "neighbors", "i", 2)
    n = len(values)
    if n < 1 or values.shape[1] != len(continuous) or codes.shape != (n, len(discrete)):
        fail("the stored rows have the wrong shape")
    if len(neighbors) != n or neighbors.shape[1] < 1:
        fail("the neighbour table has the wrong shape")
    in_range(neighbors, 0, n, "the neighbour table")
    size = sizes(encoded)
    for j, name in enumerate(discrete):
        in_range(codes[:, j], 0, size[name], f"codes of {name!r}")


def _neural(state: State, encoded: Encoded) -> None:
    """gan, wgan-gp, ctgan, tvae: the data layout (weights' shapes are checked by torch)."""
    columns = state.get("layout.columns")
    if not isinstance(columns, list) or len(columns) != len(encoded):
        fail("the network's data layout does not match the columns")
    size = sizes(encoded)
    for j, (spec, column) in enumerate(zip(columns, encoded, strict=True)):
        if not isinstance(spec, dict) or spec.get("name") != column.name:
            fail(f"layout column {j} does not match column {column.name!r}")
        kind = spec.get("kind")
        if kind == "discrete":
            if column.kind != "discrete" or spec.get("size") != size[column.name]:
                fail(f"layout column {column.name!r} has the wrong number of categories")
        elif kind == "quantile":
            grid = array(state, f"layout.grid.{j}", "f", 1)
            if not len(grid):
                fail(f"layout.grid.{j} is empty")
            sorted_1d(grid, f"layout.grid.{j}")
        elif kind == "mode":
            parts = [np.asarray(spec.get(k, []), dtype=float) for k in ("means", "stds", "weights")]
            if len({len(p) for p in parts}) != 1 or not len(parts[0]):
                fail(f"layout column {column.name!r} has mismatched modes")
            if (parts[1] < 0).any() or (parts[2] < 0).any():
                fail(f"layout column {column.name!r} has negative mode widths or weights")
        else:
            fail(f"layout column {column.name!r} has an unknown kind {kind!r}")
    if "sampler.sizes" in state:
        counts = array(state, "sampler.counts", "f", 2)
        lengths = array(state, "sampler.sizes", "i", 1)
        if len(counts) != len(lengths) or (counts < 0).any() or (lengths < 1).any():
            fail("the condition sampler's tables are inconsistent")
        if len(lengths) and counts.shape[1] < lengths.max():
            fail("the condition sampler's tables are inconsistent")


def _cart_model(state: State, encoded: Encoded) -> None:
    from lookalike.models.cart_checks import check_cart

    check_cart(state, encoded)


CHECKS: dict[str, Callable[[State, Encoded], None]] = {
    "copula": _copula,
    "bayesnet": _bayesnet,
    "kde": _scored_rows,
    "noise": _scored_rows,
    "smote": _smote,
    "gan": _neural,
    "wgan-gp": _neural,
    "ctgan": _neural,
    "tvae": _neural,
    "cart": _cart_model,
}
