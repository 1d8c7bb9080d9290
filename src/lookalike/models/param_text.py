"""Model parameters written as text (`-p min_leaf=20`), typed by the model's declared parameters.

A model declares its parameters as the keyword-only arguments of its `__init__`, with type hints
(`epochs: int`, `generator_dim: tuple[int, ...]`, `epsilon: float | None`). `parse_params` reads
each `KEY=VALUE` as that type, so `-p "generator_dim=(128,128)"` (the spelling that
`lookalike models --params ctgan` prints) becomes `(128, 128)` and `-p min_leaf=abc` is refused
with what the parameter takes. Ranges (e.g. `quantiles >= 2`) are the model's own checks in `fit`.
"""

from __future__ import annotations

import inspect
import json
import math
import types
import typing
from collections.abc import Iterable
from typing import Any

from lookalike.errors import DataError

_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")
_NONE = ("none", "null")


def declared_params(cls: type) -> dict[str, Any]:
    """Keyword-only parameters of `cls.__init__` -> their type hints (`Any` where none)."""
    try:
        hints = typing.get_type_hints(cls.__init__)  # type: ignore[misc]
    except Exception:  # an annotation that does not resolve: read the values untyped
        hints = {}
    return {
        p.name: hints.get(p.name, Any)
        for p in inspect.signature(cls.__init__).parameters.values()  # type: ignore[misc]
        if p.kind is p.KEYWORD_ONLY
    }


def parse_params(cls: type, items: Iterable[str], name: str = "") -> dict[str, Any]:
    """Read `KEY=VALUE` texts as the model's declared parameters: {"min_leaf": 20, ...}.

    Raises DataError naming the parameter and what it takes (`-p min_leaf=abc`), or the
    parameters there are (`-p eps=1`).

    Example:
        >>> from lookalike.models import model_class
        >>> parse_params(model_class("cart"), ["min_leaf=20", "order=few"])
        {'min_leaf': 20, 'order': 'few'}
    """
    declared = declared_params(cls)
    label = name or getattr(cls, "name", "") or cls.__name__
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise DataError(f"cannot read -p {item!r}; write KEY=VALUE, e.g. -p epochs=10.")
        if key not in declared or key == "random_state":
            known = ", ".join(sorted(set(declared) - {"random_state"}))
            hint = " (give the seed with --seed)" if key == "random_state" else ""
            raise DataError(f"model {label!r} has no parameter {key!r}{hint}; it takes: {known}.")
        try:
            out[key] = read_value(raw, declared[key])
        except ValueError:
            raise DataError(
                f"-p {key}={raw.strip()!r}: {key} of model {label!r} takes "
                f"{describe(declared[key])}."
            ) from None
    return out


def read_value(raw: str, hint: Any) -> Any:
    """`raw` read as the type `hint` describes; ValueError when it is not one."""
    text = raw.strip()
    options = _options(hint)
    if type(None) in options and text.lower() in _NONE:
        return None
    for option in options:
        if option is type(None):
            continue
        try:
            return _read_one(text, option)
        except (ValueError, TypeError):
            continue
    raise ValueError(text)


def _options(hint: Any) -> list[Any]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = list(typing.get_args(hint))
        # try the strictest reading first: "1" is an int before it is a float or a text
        order = {bool: 0, int: 1, float: 2, str: 9}
        return sorted(args, key=lambda a: order.get(a, 5))
    return [hint]


def _read_one(text: str, hint: Any) -> Any:
    if hint is Any:
        try:
            return json.loads(text)
        except ValueError:
            return text.strip("'\"")
    if hint is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(text)
    if hint is int:
        number = float(text) if any(c in text for c in ".eE") else int(text)
        if isinstance(number, float) and not number.is_integer():
            raise ValueError(text)
        return int(number)
    if hint is float:
        value = float(text)
        if math.isnan(value):
            raise ValueError(text)
        return value
    if hint is str:
        return text.strip("'\"")
    origin = typing.get_origin(hint)
    if origin in (tuple, list):
        if "," not in text and not text.startswith(("(", "[")):
            raise ValueError(text)  # one word is text, not a list of one (cart's `order`)
        inner = typing.get_args(hint)[0] if typing.get_args(hint) else Any
        parts = [p.strip() for p in text.strip("()[] ").split(",") if p.strip()]
        if not parts:
            raise ValueError(text)
        values = [_read_one(p, inner) for p in parts]
        return tuple(values) if origin is tuple else values
    raise ValueError(text)


def describe(hint: Any) -> str:
    """What a parameter of type `hint` takes, in words, e.g. "a whole number or none"."""
    words = {bool: "true or false", int: "a whole number", float: "a number", str: "a word"}
    if hint in words:
        return words[hint]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        parts = [describe(a) for a in _options(hint) if a is not type(None)]
        if type(None) in typing.get_args(hint):
            parts.append("none")
        return " or ".join(parts)
    if typing.get_origin(hint) in (tuple, list):
        inner = typing.get_args(hint)[0] if typing.get_args(hint) else Any
        plural = {int: "whole numbers", float: "numbers", str: "words"}.get(inner, "values")
        example = "(128,128)" if inner is int else "(a,b)"
        return f"a list of {plural} such as {example}"
    return "a value"
