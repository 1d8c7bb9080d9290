"""Safe arithmetic over columns: a small expression language parsed with `ast`, run on arrays.

Allowed: numbers, strings, True/False, column names, `+ - * / // % **`, comparisons (chains too),
`and`/`or`/`not` (element-wise), `x if cond else y`, and a few functions (abs, sqrt, log, log10,
exp, floor, ceil, round, min, max, clip, where). Anything else (attributes, subscripts, lambdas,
other calls, comprehensions) is refused when the expression is parsed, so nothing in a spec or a
metadata file can run Python code.

Bounded and total: at most MAX_LENGTH characters and MAX_DEPTH levels of nesting (1,500 unary
minuses or a 991-term sum are refused when parsed, not a RecursionError), exponents up to 1000,
`round` to at most 20 digits, functions with their own number of arguments. Arithmetic is
numpy's: division or modulo by zero gives inf or NaN, overflow gives inf (data, not a crash);
comparing or doing arithmetic on text with numbers is an ExpressionError.

Used by `rules` (computed columns, parameters that depend on other columns) and reusable by
constraint checks.

Example:
    >>> expr = Expression.parse("weight / (height / 100) ** 2")
    >>> sorted(expr.names)
    ['height', 'weight']
    >>> float(expr.evaluate({"weight": 80.0, "height": 200.0}))
    20.0
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from lookalike.errors import LookalikeError

MAX_LENGTH = 2000  # characters; a spec expression is a formula, not a program
MAX_DEPTH = 200  # levels of nesting (a + b + c ... is one level per term)
MAX_DECIMALS = 20  # round(x, d): |d| at most this; a float has ~17 significant digits


class ExpressionError(LookalikeError, ValueError):
    """An expression is not valid in the safe expression language, or names an unknown column."""


_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def _round(x: Any, decimals: Any = 0) -> Any:
    digits = np.asarray(decimals, dtype=float)
    if digits.ndim or not np.isfinite(digits) or digits != np.round(digits):
        raise ExpressionError("round(): the number of digits must be one whole number.")
    if abs(digits) > MAX_DECIMALS:
        raise ExpressionError(f"round(): digits must be from -{MAX_DECIMALS} to {MAX_DECIMALS}.")
    return np.round(_float(x), int(digits))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": np.abs,
    "sqrt": np.sqrt,
    "log": np.log,
    "log10": np.log10,
    "exp": np.exp,
    "floor": np.floor,
    "ceil": np.ceil,
    "round": _round,
    "min": np.minimum,
    "max": np.maximum,
    "clip": np.clip,
    "where": np.where,
}
ARITY: dict[str, tuple[int, int]] = {  # (fewest, most) arguments
    **dict.fromkeys(("abs", "sqrt", "log", "log10", "exp", "floor", "ceil"), (1, 1)),
    "round": (1, 2),
    "min": (2, 2),
    "max": (2, 2),
    "clip": (3, 3),
    "where": (3, 3),
}
_CONSTANTS = {"pi": np.pi, "e": np.e}


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression: `names` are the columns it reads."""

    text: str
    tree: ast.Expression
    names: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> Expression:
        """Parse and check `text`; raises ExpressionError saying what is not allowed."""
        if not isinstance(text, str) or not text.strip():
            raise ExpressionError(f"expected a non-empty expression string, got {text!r}.")
        if len(text) > MAX_LENGTH:
            raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters.")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as error:
            raise ExpressionError(f"cannot parse {_short(text)}: {error.msg}.") from None
        except (RecursionError, MemoryError):
            raise ExpressionError(f"{_short(text)} is nested too deeply to parse.") from None
        if _depth(tree) > MAX_DEPTH:
            raise ExpressionError(
                f"{_short(text)} is nested more than {MAX_DEPTH} levels deep (a long chain of "
                "operators); split it over computed columns."
            )
        names: set[str] = set()
        for node in ast.walk(tree):
            _check_node(node, text, names)
        return cls(text, tree, frozenset(names))

    def check_names(self, known: set[str] | frozenset[str]) -> None:
        """Raise ExpressionError if the expression reads a column not in `known`."""
        unknown = sorted(self.names - set(known))
        if unknown:
            raise ExpressionError(
                f"{self.text!r} uses unknown column(s) {', '.join(map(repr, unknown))}; "
                f"known columns: {', '.join(sorted(known)) or '(none)'}."
            )

    def evaluate(self, columns: Mapping[str, Any]) -> Any:
        """Evaluate on `columns` (name -> array or scalar), element-wise with numpy."""
        self.check_names(set(columns))
        with np.errstate(all="ignore"):  # 1/0 gives inf, log(-1) gives nan: data, not a crash
            try:
                return _eval(self.tree.body, columns)
            except ExpressionError:
                raise
            except (TypeError, ValueError, ArithmeticError, MemoryError, RecursionError) as error:
                raise ExpressionError(
                    f"cannot be evaluated ({type(error).__name__}: {str(error)[:120]})."
                ) from None


def _short(text: str) -> str:
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def _depth(tree: ast.AST) -> int:
    """Levels of nesting, measured without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _check_node(node: ast.AST, text: str, names: set[str]) -> None:
    allowed = (
        ast.Expression,
        ast.BinOp,
        ast.UnaryOp,
        ast.BoolOp,
        ast.Compare,
        ast.IfExp,
        ast.Call,
        ast.Name,
        ast.Constant,
        ast.Load,
        ast.operator,
        ast.unaryop,
        ast.boolop,
        ast.cmpop,
    )
    if not isinstance(node, allowed):
        raise ExpressionError(
            f"{text!r}: {type(node).__name__} is not allowed; use arithmetic, comparisons, "
            f"column names, numbers and the functions {', '.join(sorted(FUNCTIONS))}."
        )
    if isinstance(node, ast.BinOp) and type(node.op) not in _BINARY:
        raise ExpressionError(f"{text!r}: operator {type(node.op).__name__} is not allowed.")
    if isinstance(node, ast.Compare) and any(type(op) not in _COMPARE for op in node.ops):
        raise ExpressionError(f"{text!r}: only <, <=, >, >=, ==, != comparisons are allowed.")
    if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.USub | ast.UAdd | ast.Not):
        raise ExpressionError(f"{text!r}: operator {type(node.op).__name__} is not allowed.")
    if isinstance(node, ast.Constant) and not isinstance(node.value, int | float | str | bool):
        raise ExpressionError(f"{text!r}: constant {node.value!r} is not allowed.")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise ExpressionError(
                f"{text!r}: only the functions {', '.join(sorted(FUNCTIONS))} can be called."
            )
        if node.keywords:
            raise ExpressionError(f"{_short(text)}: keyword arguments are not allowed.")
        fewest, most = ARITY[node.func.id]
        if not fewest <= len(node.args) <= most:
            count = str(fewest) if fewest == most else f"{fewest} or {most}"
            raise ExpressionError(
                f"{_short(text)}: {node.func.id}() takes {count} argument(s), not {len(node.args)}."
            )
    if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in _CONSTANTS:
        names.add(node.id)


def _eval(node: ast.AST, columns: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        # numpy floats, not Python numbers: 9 ** 999 overflows to inf and 1 / 0 is inf, as
        # they are for columns, instead of raising (or hanging, for Python ints)
        value = node.value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return np.float64(value)
        return value
    if isinstance(node, ast.Name):
        if node.id in columns:
            return columns[node.id]
        return _CONSTANTS[node.id]
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, columns), _eval(node.right, columns)
        if isinstance(node.op, ast.Pow) and _too_big(right):
            raise ExpressionError("exponents above 1000 are not allowed.")
        return _BINARY[type(node.op)](_float(left), _float(right))
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, columns)
        if isinstance(node.op, ast.Not):
            return np.logical_not(value)
        return -_float(value) if isinstance(node.op, ast.USub) else _float(value)
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, columns) for v in node.values]
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        combined = values[0]
        for value in values[1:]:
            combined = combine(combined, value)
        return combined
    if isinstance(node, ast.Compare):
        left = _eval(node.left, columns)
        result: Any = True
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, columns)
            try:
                compared = _COMPARE[type(op)](_array(left), _array(right))
            except TypeError:
                raise ExpressionError("text cannot be compared with a number.") from None
            result = np.logical_and(result, compared)
            left = right
        return result
    if isinstance(node, ast.IfExp):
        return np.where(
            _eval(node.test, columns), _eval(node.body, columns), _eval(node.orelse, columns)
        )
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        args = [_eval(a, columns) for a in node.args]
        try:
            return FUNCTIONS[node.func.id](*args)
        except ExpressionError:
            raise
        except (TypeError, ValueError) as error:
            raise ExpressionError(f"{node.func.id}(): {str(error)[:120]}.") from None
    raise ExpressionError(f"{type(node).__name__} is not allowed.")  # unreachable after parse


def _array(value: Any) -> Any:
    return np.asarray(value) if isinstance(value, list | tuple) else value


def _float(value: Any) -> Any:
    """Object arrays of numbers (pandas nullable ints) as floats, so NaN propagates."""
    if isinstance(value, np.ndarray) and value.dtype == object:
        try:
            return value.astype(float)
        except (TypeError, ValueError):
            raise ExpressionError("arithmetic on text values is not allowed.") from None
    if isinstance(value, str) or (isinstance(value, np.ndarray) and value.dtype.kind in "US"):
        raise ExpressionError("arithmetic on text values is not allowed.")
    return value


def _too_big(exponent: Any) -> bool:
    try:
        return bool(np.nanmax(np.abs(np.asarray(exponent, dtype=float))) > 1000)
    except (TypeError, ValueError):
        return False
