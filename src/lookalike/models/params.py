"""Declared model parameters: type, range and choices, checked once in `fit` and parsed from text.

Each model class lists its keyword parameters in a `params` table next to its signature:

    params = {"quantiles": Param(int, ge=2), "distribution": Param(choices=("gaussian", "laplace"))}

The same table checks the values (`check_params`, called by `Model.fit` for every model), types
`-p KEY=VALUE` text from the command line or the web app (`parse_items`, behind
`lookalike.models.parse_params`), and says what each parameter takes (`describe_class`, behind
`lookalike models --params NAME`). Defaults stay in the
signature, where `get_params` and `help()` read them.
"""

from __future__ import annotations

import ast
import inspect
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from lookalike.errors import ParameterError

_NOUNS = {
    int: ("a whole number", "whole numbers"),
    float: ("a number", "numbers"),
    bool: ("true or false", "true/false values"),
    str: ("a name", "names"),
}
_TRUE, _FALSE, _NONE = ("true", "yes", "1"), ("false", "no", "0"), ("none", "null")


@dataclass(frozen=True)
class Param:
    """What one parameter accepts.

    A value is valid when it is None and `optional`; one of `choices`; or of type `kind` (with
    `many`: a non-empty list or tuple of them) and within the bounds `ge`/`gt`/`le`/`lt`.
    Numbers are finite; a bool is never taken for a number (but 0 and 1 are taken for bools).
    """

    kind: type | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    choices: tuple[Any, ...] = ()
    optional: bool = False
    many: bool = False

    def accepts(self, value: Any) -> bool:
        """True when `value` meets this declaration (type, range, choices)."""
        if value is None:
            return self.optional
        if isinstance(value, str) and value in self.choices:
            return True
        if self.kind is None:
            return value in self.choices
        if self.many:
            if not isinstance(value, list | tuple) or not value:
                return False
            return all(self._accepts_one(item) for item in value)
        return self._accepts_one(value)

    def _accepts_one(self, value: Any) -> bool:
        if self.kind is bool:  # 0 and 1 too, as `-p honest=0` has always been read
            return isinstance(value, bool | np.bool_) or (type(value) is int and value in (0, 1))
        if self.kind is str:
            return isinstance(value, str)
        if isinstance(value, bool | np.bool_):
            return False
        numeric = (int, np.integer) if self.kind is int else (int, float, np.integer, np.floating)
        if not isinstance(value, numeric) or not math.isfinite(value):
            return False
        return bool(
            (self.ge is None or value >= self.ge)
            and (self.gt is None or value > self.gt)
            and (self.le is None or value <= self.le)
            and (self.lt is None or value < self.lt)
        )

    def describe(self) -> str:
        """What the parameter takes, in words: "a whole number >= 2", "a number from 0 to 1"."""
        options = [repr(choice) for choice in self.choices]
        if self.kind is not None:
            one, many = _NOUNS[self.kind]
            bounds = self._bounds()
            if self.many:
                example = ", e.g. (128, 128)" if self.kind is int else ""
                options.append(f"a list of {many}{', each' + bounds if bounds else ''}{example}")
            else:
                options.append(one + bounds)
        if self.optional:
            options.append("None")
        if self.kind is None and not self.optional:
            return "one of " + ", ".join(options)
        return " or ".join([", ".join(options[:-1]), options[-1]] if len(options) > 1 else options)

    def _bounds(self) -> str:
        low = ("[", self.ge) if self.ge is not None else ("(", self.gt)
        high = ("]", self.le) if self.le is not None else (")", self.lt)
        if self.ge is not None and self.le is not None:
            return f" from {_num(self.ge)} to {_num(self.le)}"
        if low[1] is not None and high[1] is not None:
            return f" in {low[0]}{_num(low[1])}, {_num(high[1])}{high[0]}"
        if low[1] is not None:
            return f" {'>=' if low[0] == '[' else '>'} {_num(low[1])}"
        if high[1] is not None:
            return f" {'<=' if high[0] == ']' else '<'} {_num(high[1])}"
        return ""

    def parse(self, raw: str) -> Any:
        """The value that `raw` (command-line text) stands for; checked by the caller."""
        text = raw.strip()
        if self.optional and text.lower() in _NONE:
            return None
        unquoted = text[1:-1] if len(text) > 1 and text[0] == text[-1] in "'\"" else text
        if unquoted in self.choices:
            return unquoted
        if self.many:
            return _parse_many(text, self.kind)
        return unquoted if self.kind in (None, str) else _parse_one(text, self.kind)


def _parse_one(text: str, kind: type | None) -> Any:
    if kind is bool:
        lowered = text.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    if kind in (int, float):
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if kind is int and number.is_integer() and "." not in text else number
    return text


def _parse_many(text: str, kind: type | None) -> Any:
    """`(128, 128)`, `[128,128]`, `128,128` or `128` -> a tuple; names may go unquoted."""
    try:
        value = ast.literal_eval(text)  # literals only: never runs code
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        value = tuple(part.strip().strip("'\"") for part in text.strip("()[]").split(","))
        if kind is not str:
            value = tuple(_parse_one(part, kind) for part in value)
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,) if not isinstance(value, dict | set) else text


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else repr(value)


# ---------------------------------------------------------------------- the model-level checks
def declared(cls: type) -> dict[str, Param]:
    """The `params` table of a model class (`{**Model.params, ...}`: random_state included)."""
    return dict(cls.params)  # type: ignore[attr-defined]


def defaults(cls: type) -> dict[str, Any]:
    """Each keyword parameter's default, read from the class signature."""
    signature = inspect.signature(cls.__init__)  # type: ignore[misc]
    return {
        p.name: p.default
        for p in signature.parameters.values()
        if p.kind is p.KEYWORD_ONLY and p.default is not p.empty
    }


def check_params(model: Any) -> None:
    """Raise ParameterError for the first parameter of `model` whose value its table refuses."""
    for key, param in declared(type(model)).items():
        value = getattr(model, key)
        if not param.accepts(value):
            raise ParameterError(
                f"{model.name}: {key} must be {param.describe()}, got {value!r}.", key, value
            )


def check_names(name: str, cls: type, keys: Any) -> None:
    """Refuse parameter names the model does not take, listing the ones it does.

    The names are those of the signature (what the class accepts); the contract test checks that
    the `params` table declares each of them.
    """
    known = set(defaults(cls)) | set(declared(cls))
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise ParameterError(
            f"model {name!r} has no parameter {unknown[0]!r}; it takes: "
            f"{', '.join(sorted(known))}.",
            unknown[0],
        )


def parse_items(name: str, cls: type, items: list[str]) -> dict[str, Any]:
    """`KEY=VALUE` texts typed against the declared parameters of `cls` (registered as `name`),
    each value checked (`lookalike.models.parse_params` looks the class up by name).
    """
    table = declared(cls)
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"cannot read {item!r}; write KEY=VALUE, e.g. epochs=5.", key)
        check_names(name, cls, [key])
        if key not in table:  # not declared (a contract-test failure): a Python literal or text
            out[key] = _literal(raw.strip())
            continue
        value = table[key].parse(raw)
        if not table[key].accepts(value):
            raise ParameterError(
                f"{name}: {key} must be {table[key].describe()}, got {raw.strip()!r}.", key, raw
            )
        out[key] = value
    return out


def describe_class(cls: type) -> list[tuple[str, str, Any]]:
    """(parameter, what it takes, default) for each parameter of `cls`, in signature order."""
    table = declared(cls)
    return [
        (key, table[key].describe() if key in table else "any value", default)
        for key, default in defaults(cls).items()
    ]


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)  # literals only: never runs code
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
