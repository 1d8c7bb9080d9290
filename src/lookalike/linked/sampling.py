"""Sampling a linked set: tables without parents first, then each child given its parents.

A child table is drawn in batches of parents (bounded memory: about BATCH_ROWS child rows at a
time); every parent row is repeated as often as its sampled child count says, the child model
draws the child's columns given the parent's, and the foreign key is the parent's new key.
Rows without a parent (orphans, missing keys) come in their real share, with the context the
model learned for them. Other parents of a child (a second key to one table) are matched by
nearest context, each taking about as many children as its own sampled count.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lookalike.errors import ConditionError
from lookalike.linked.context import match, sample_given
from lookalike.linked.frames import POSITION
from lookalike.linked.keys import make_keys
from lookalike.linked.ranges import reach_range, span_columns
from lookalike.models import sampling

if TYPE_CHECKING:
    from lookalike.linked.model import LinkedModel

BATCH_ROWS = 50_000
_SLACK = 1.25  # a second parent may take up to 25% more children than its count, for a closer match


def iter_sample(
    model: LinkedModel,
    scale: float,
    seed: int | None,
    conditions: dict[str, dict[str, Any]] | None = None,
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Yield (table name, chunk of synthetic rows), every parent table before its children."""
    if not model.is_fitted:
        from lookalike.errors import NotFittedError

        raise NotFittedError("LinkedModel is not fitted; call .fit(tables) first.")
    if not (isinstance(scale, int | float) and scale > 0):
        from lookalike.errors import DataError

        raise DataError(f"--scale must be a positive number, got {scale!r}.")
    schema = model.schema_
    conditions = conditions or {}
    check_conditions(model, conditions)
    entropy = model.random_state if seed is None else seed
    seeds = dict(
        zip(schema.names, np.random.SeedSequence(entropy).spawn(len(schema.names)), strict=True)
    )
    keep: dict[str, pd.DataFrame] = {}  # synthetic tables that have children, with helpers
    needed = {fk.parent for fk in schema.foreign_keys}
    for name in schema.order():
        plan = model.plans_[name]
        rng = np.random.default_rng(seeds[name])
        if plan.get("sequence"):
            chunks = _sequence(model, name, keep, rng)
        elif plan["primary"] is None:
            chunks = _roots(model, name, scale, conditions.get(name), rng)
        else:
            chunks = _children(model, name, keep, rng)
        kept = []
        first, yielded = 0, False
        span = _span(model, name, scale, conditions)
        for chunk in chunks:
            chunk = _finish(model, name, chunk, keep, first, rng)
            if span and first == 0:  # the first chunk holds the ends for the whole table
                chunk = reach_range(chunk, model.meta(name), span)
            first += len(chunk)
            if name in needed:
                kept.append(chunk)
            yielded = True
            yield name, chunk[plan["columns"]]
        if not yielded:  # no rows at all (e.g. no parent has children): a header
            empty = pd.DataFrame({c: pd.Series(dtype=object) for c in plan["columns"]})
            kept.append(empty)
            yield name, empty
        if name in needed:
            keep[name] = pd.concat(kept, ignore_index=True)


def _span(
    model: LinkedModel, name: str, scale: float, conditions: dict[str, dict[str, Any]]
) -> list[str]:
    """Columns whose sample should reach their training range (`lookalike.linked.ranges`):
    at scale 1 or more, without conditions, tables other than ordered children.
    """
    plan = model.plans_[name]
    if scale < 1 or conditions or plan.get("sequence"):
        return []
    return span_columns(model.meta(name), plan["own"], plan["order_by"])


def check_conditions(model: LinkedModel, conditions: dict[str, dict[str, Any]]) -> None:
    """Raise ConditionError unless every condition names a table without a parent and
    values its model can make (a child's rows follow its synthetic parents, so a condition on
    a child table is said to be unsupported, with the parent to condition on instead).
    """
    schema = model.schema_
    for name, wanted in conditions.items():
        if name not in schema.names:
            raise ConditionError(
                f"no table {name!r} to condition on; tables: {', '.join(schema.names)}."
            )
        primary = model.plans_[name]["primary"]
        if primary is not None:
            parent = schema.foreign_keys[primary].parent
            column = next(iter(wanted), "COLUMN")
            raise ConditionError(
                f"--where {name}.{column}: conditions on a child table are not supported (its "
                f"rows follow their synthetic parents). Condition on {parent!r} instead, e.g. "
                f"--where {parent}.COLUMN=VALUE: its children follow; or filter the synthetic "
                f"{name} rows afterwards."
            )
        model.models_[name].check_conditions(wanted)


def _roots(
    model: LinkedModel,
    name: str,
    scale: float,
    where: dict[str, Any] | None,
    rng: np.random.Generator,
) -> Iterator[pd.DataFrame]:
    n = round(model.plans_[name]["rows"] * scale)
    table = model.models_[name]
    if n == 0:
        yield sampling.empty(table)
        return
    yield from table.sample_chunks(
        n, conditions=where or None, random_state=int(rng.integers(2**63)), chunk_rows=BATCH_ROWS
    )


def _children(
    model: LinkedModel, name: str, keep: dict[str, pd.DataFrame], rng: np.random.Generator
) -> Iterator[pd.DataFrame]:
    plan = model.plans_[name]
    index = plan["primary"]
    fk = model.schema_.foreign_keys[index]
    parents = keep[fk.parent]
    counts = _counts(model, fk.parent, index, parents)
    mapping = plan["context"][str(index)]
    flag = plan["flags"].get(str(index))
    table = model.models_[name]
    ends = np.cumsum(counts)
    start, first = 0, 0
    while start < len(parents):
        stop = int(
            np.searchsorted(
                ends, ends[start - 1] + BATCH_ROWS if start else BATCH_ROWS, side="right"
            )
        )
        stop = max(stop, start + 1)
        rows = np.repeat(np.arange(start, min(stop, len(parents))), counts[start:stop])
        if len(rows):
            context = _context(parents, rows, mapping)
            if flag:
                context[flag] = 1
            if plan["position"]:
                context[POSITION] = _steps(rows)
            out = sample_given(table, context, _child_rng(rng), first)
            out["__parent__"] = rows
            first += len(out)
            yield out
        start = stop
    shares = plan["shares"][str(index)]
    lost = shares["missing"] + shares["orphan"]
    if flag and lost > 0:
        total = int(counts.sum())
        n = round(total * lost / max(1e-9, 1 - lost))
        if n:
            context = pd.DataFrame({c: [None] * n for c, _ in mapping})
            context[flag] = 0
            if plan["position"]:
                context[POSITION] = 0
            out = sample_given(table, context, _child_rng(rng), first)
            orphan = rng.random(n) < shares["orphan"] / lost
            out["__parent__"] = np.where(orphan, -2, -1)  # -2 orphan, -1 missing
            yield out


def _sequence(
    model: LinkedModel, name: str, keep: dict[str, pd.DataFrame], rng: np.random.Generator
) -> Iterator[pd.DataFrame]:
    plan = model.plans_[name]
    fk = model.schema_.foreign_keys[plan["primary"]]
    parents = keep[fk.parent]
    from lookalike.linked.frames import parent_columns

    parent_plan = model.plans_[fk.parent]
    own = {"own": parent_plan["own"], "counts": {}}
    context = parents[parent_columns(own, model.meta(fk.parent))].copy()
    context.index = np.arange(len(parents))
    sequence = model.models_[name]
    seed = int(rng.integers(2**31))
    if hasattr(sequence, "sample_batches"):  # about BATCH_ROWS rows a batch of parents
        typical = max(1.0, float(sequence.mean_length_))  # by the longest: 25 batches on fielding
        sequence.batch_entities = max(1, int(BATCH_ROWS // typical))
        batches = sequence.sample_batches(context=context, seed=seed)
    else:
        batches = iter([sequence.sample(context=context, seed=seed)])
    for rows in batches:
        rows = rows.reset_index(drop=True)
        rows["__parent__"] = rows[fk.columns[0]].to_numpy(dtype=np.int64)
        yield rows


def _finish(
    model: LinkedModel,
    name: str,
    chunk: pd.DataFrame,
    keep: dict[str, pd.DataFrame],
    first: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Keys for a chunk: foreign keys from the parents, then new primary keys; sorted by the
    order column within each parent.
    """
    schema, plan = model.schema_, model.plans_[name]
    chunk = chunk.reset_index(drop=True)
    key_seed = int(np.random.SeedSequence([*name.encode()]).generate_state(1)[0])
    if plan["primary"] is not None:
        index = plan["primary"]
        fk = schema.foreign_keys[index]
        parent = chunk.pop("__parent__").to_numpy()
        _set_foreign(model, fk.parent, fk, chunk, parent, keep[fk.parent], rng)
        if plan["order_by"] and plan["order_by"] in chunk:
            chunk["__sort__"] = np.where(parent >= 0, parent, len(keep[fk.parent]) + 1)
            chunk = chunk.sort_values(["__sort__", plan["order_by"]], kind="stable")
            chunk = chunk.drop(columns="__sort__").reset_index(drop=True)
    for index in plan["secondary"]:
        fk = schema.foreign_keys[index]
        drawn = [c for c, _ in plan["context"][str(index)]]
        parents = keep[fk.parent]
        source = [p for _, p in plan["context"][str(index)]]
        capacity = _counts(model, fk.parent, index, parents)
        rows = chunk[drawn].set_axis(source, axis=1)
        picked = match(rows, parents[source], capacity, model.meta(fk.parent), rng, _SLACK)
        flag = plan["flags"].get(str(index))
        if flag and flag in chunk:
            lost = chunk[flag].astype(str).isin(["0", "0.0", "False"]).to_numpy()
            shares = plan["shares"][str(index)]
            share = shares["orphan"] / max(1e-9, shares["orphan"] + shares["missing"])
            picked = np.where(lost, np.where(rng.random(len(chunk)) < share, -2, -1), picked)
        _set_foreign(model, fk.parent, fk, chunk, picked, parents, rng)
    pk = schema.table(name).primary_key
    foreign = {c for fk in schema.parents_of(name) for c in fk.columns}
    for column in pk:
        if column in foreign:
            continue
        state = model.keys_[name][column]
        group = [c for c in pk if c in foreign]
        if group and state["kind"] == "int":  # a line number within its parent
            chunk[column] = chunk.groupby(group, sort=False, dropna=False).cumcount() + 1
        else:
            chunk[column] = make_keys(state, len(chunk), first, key_seed)
    return chunk


def _set_foreign(
    model: LinkedModel,
    parent_name: str,
    fk: Any,
    chunk: pd.DataFrame,
    where: np.ndarray,
    parents: pd.DataFrame,
    rng: np.random.Generator,
) -> None:
    """Foreign key columns from parent positions (-1 missing, -2 a new orphan key)."""
    orphan = np.flatnonzero(where == -2)
    for child_col, parent_col in zip(fk.columns, fk.parent_columns, strict=True):
        values = (
            parents[parent_col].to_numpy(dtype=object) if len(parents) else np.array([], object)
        )
        out = np.empty(len(chunk), dtype=object)
        ok = where >= 0
        out[ok] = values[where[ok]]
        out[~ok] = None
        if len(orphan):
            state = model.keys_[parent_name][parent_col]
            first = len(parents) + int(rng.integers(1, 2**20)) * 1000
            out[orphan] = make_keys(state, len(orphan), first, int(rng.integers(2**31)))
        series = pd.Series(out)
        if model.keys_[parent_name][parent_col]["kind"] == "int":
            series = pd.to_numeric(series).astype("Int64" if (where == -1).any() else "int64")
        chunk[child_col] = series


def _counts(model: LinkedModel, parent: str, index: int, parents: pd.DataFrame) -> np.ndarray:
    label = model.plans_[parent]["counts"][str(index)]
    if label not in parents:  # a parent table without rows
        return np.zeros(len(parents), dtype=np.int64)
    values = pd.to_numeric(parents[label], errors="coerce").fillna(0).to_numpy(dtype=float)
    return np.clip(np.round(values), 0, None).astype(np.int64)


def _context(parents: pd.DataFrame, rows: np.ndarray, mapping: list[list[str]]) -> pd.DataFrame:
    taken = parents.iloc[rows]
    return pd.DataFrame({c: taken[p].to_numpy() for c, p in mapping})


def _steps(rows: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal parent positions."""
    if not len(rows):
        return rows
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    lengths = np.diff(np.r_[starts, len(rows)])
    return np.arange(len(rows)) - np.repeat(starts, lengths)


def _child_rng(rng: np.random.Generator) -> np.random.Generator:
    return np.random.default_rng(int(rng.integers(2**63)))
