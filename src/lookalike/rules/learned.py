"""The `learned:` block of a rules spec: columns drawn by a fitted model, next to rule columns.

    learned: {model: patients.lookalike, columns: [Glucose, BMI], given: [Age]}

`model` is a model file (a path relative to the spec file); `columns` the model's columns to
keep (all of them when left out); `given` the rule columns the learned ones are drawn given
(default: every rule column that has the name of a model column). A rule column with the name
of a model column replaces the model's column, and the model's columns are sampled given it.

This module checks the block against what the model holds (`LearnedModel`, built by
`lookalike.rules.hybrid`, which loads the file; the rules layer never loads models) and places
the block in the dependency order as one node, NODE: it depends on the given columns, and a rule
column that uses a learned column depends on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import SpecError

NODE = "\x00learned"  # the learned block in the dependency order
KEYS = ("model", "columns", "given")


@dataclass
class LearnedModel:
    """What the rules need to know of a fitted model, and how to draw from it."""

    source: str  # the model file as the spec names it (for messages)
    columns: list[str]  # every column of the model, in its order
    draw: Callable[[pd.DataFrame, int, np.random.Generator], pd.DataFrame]  # given, n, rng
    categories: dict[str, list[Any]] = field(default_factory=dict)  # category columns' values
    text: set[str] = field(default_factory=set)  # columns that hold text, not numbers


def read_block(block: Any) -> dict[str, Any]:
    """The block's settings checked for shape: {model: str, columns: [...]|None, given: ...}."""
    if isinstance(block, str):
        block = {"model": block}
    if not isinstance(block, dict) or not isinstance(block.get("model"), str):
        raise SpecError(
            "learned must be a mapping such as {model: patients.lookalike, columns: [Age, BMI]}."
        )
    extra = sorted(set(block) - set(KEYS))
    if extra:
        raise SpecError(
            f"learned: unknown setting(s) {', '.join(map(repr, extra))}; allowed: "
            f"{', '.join(KEYS)}."
        )
    out: dict[str, Any] = {"model": block["model"]}
    for key in ("columns", "given"):
        value = block.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            raise SpecError(f"learned: {key} must be a list of column names, got {value!r}.")
        out[key] = None if value is None else list(dict.fromkeys(value))
    return out


def plan(block: dict[str, Any], model: LearnedModel, rules: list[str]) -> dict[str, Any]:
    """Which columns the model gives (`outputs`) and which rule columns it is drawn given."""
    where = f"learned ({model.source})"
    wanted = model.columns if block["columns"] is None else block["columns"]
    for name in wanted:
        if name not in model.columns:
            raise SpecError(
                f"{where}: the model has no column {name!r}; its columns: "
                f"{', '.join(model.columns)}."
            )
    if block["given"] is None:
        given = [c for c in rules if c in model.columns]
    else:
        given = block["given"]
        for name in given:
            if name not in rules:
                raise SpecError(
                    f"{where}: given column {name!r} is not a rule column of the spec; add it "
                    "under columns (the learned columns are drawn given its values)."
                )
            if name not in model.columns:
                raise SpecError(
                    f"{where}: given column {name!r} is not a column of the model, so the model "
                    f"cannot be conditioned on it; its columns: {', '.join(model.columns)}."
                )
    outputs = [c for c in wanted if c not in rules]
    if not outputs:
        raise SpecError(f"{where}: every column it would give is a rule column too; drop it.")
    return {"model": model, "outputs": outputs, "given": given}


def order(depends: dict[str, set[str]], learned: dict[str, Any] | None) -> list[str]:
    """Columns (and NODE) so that each comes after what it uses; a cycle is a SpecError."""
    graph = {name: set(uses) for name, uses in depends.items()}
    if learned is not None:
        outputs = set(learned["outputs"])
        graph = {name: {NODE if u in outputs else u for u in uses} for name, uses in graph.items()}
        graph[NODE] = set(learned["given"])
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*path[path.index(name) :], name]
            shown = " -> ".join(_show(c, learned) for c in cycle)
            raise SpecError(
                f"columns {shown} depend on each other in a cycle; break it at column "
                f"{_show(name, learned)!r}."
            )
        state[name] = 1
        for dependency in sorted(graph[name]):
            visit(dependency, [*path, name])
        state[name] = 2
        done.append(name)

    for name in graph:
        visit(name, [])
    return done


def _show(name: str, learned: dict[str, Any] | None) -> str:
    if name == NODE and learned is not None:
        shown = ", ".join(learned["outputs"][:4]) + (", ..." if len(learned["outputs"]) > 4 else "")
        return f"learned ({shown})"
    return name
