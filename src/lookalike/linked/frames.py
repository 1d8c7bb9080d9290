"""The training frame of each table of a linked set: its parents' columns, then its own.

For a table T, in dependency order:
    context     the primary parent's learned columns and child counts, prefixed `PARENT.`
    __linked__  1 where the foreign key found a parent, 0 for orphans and missing keys (only
                when the data has such rows)
    __pos__     for a table with an order column: the row's step among its parent's rows
    secondary   the learned columns of its other parents (a flight's destination airport)
    own         T's own columns (keys left out: they are regenerated)
    __n__...    per child relation, the number of child rows of each of T's rows (zeros
                included), so children counts depend on T's columns
The plan of each table (which columns are which) is plain JSON kept in the model file.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from lookalike.kinds import CATEGORY_KINDS, NUMBER_KINDS, PLAIN_NUMBER_KINDS
from lookalike.linked.schema import ForeignKey, Schema, contained, key_values
from lookalike.metadata import Column, Metadata, detect_column

LEARNED = NUMBER_KINDS | CATEGORY_KINDS  # kinds a model learns (children see them as context)
COUNT = "__n__"
LINKED = "__linked__"
POSITION = "__pos__"


def primary_key_of(schema: Schema, name: str, tables: dict[str, pd.DataFrame]) -> int | None:
    """Index (in schema.foreign_keys) of the relation that generates T's rows: the foreign key
    with the most distinct values (the finest grouping); None for a table without parents.
    """
    best, best_count = None, -1
    for i, fk in enumerate(schema.foreign_keys):
        if fk.table != name:
            continue
        count = int(key_values(tables[name], fk.columns).nunique())
        if count > best_count:
            best, best_count = i, count
    return best


def count_name(schema: Schema, index: int) -> str:
    """The name of the column that counts a parent's children for foreign key `index`."""
    fk = schema.foreign_keys[index]
    return f"{COUNT}{fk.table}__{'+'.join(fk.columns)}"


def prefix_of(schema: Schema, index: int) -> str:
    """`players.` for a table's only key to players, `origin.` when it has several."""
    fk = schema.foreign_keys[index]
    same = [f for f in schema.parents_of(fk.table) if f.parent == fk.parent]
    return f"{fk.parent}." if len(same) == 1 else f"{'+'.join(fk.columns)}."


def build_frames(
    schema: Schema, tables: dict[str, pd.DataFrame]
) -> tuple[dict[str, pd.DataFrame], dict[str, Metadata], dict[str, dict[str, Any]]]:
    """Training frame, its metadata and the plan of every table, in dependency order."""
    frames: dict[str, pd.DataFrame] = {}
    metas: dict[str, Metadata] = {}
    plans: dict[str, dict[str, Any]] = {}
    primaries = {name: primary_key_of(schema, name, tables) for name in schema.names}
    for name in schema.order():
        table = tables[name]
        keys = set(schema.key_columns(name))
        own = [str(c) for c in table.columns if c not in keys]
        own_meta = _own_metadata(schema, name, table, own)
        parts: list[pd.DataFrame] = []
        columns: dict[str, Column] = {}
        plan: dict[str, Any] = {
            "table": name,
            "columns": [str(c) for c in table.columns],
            "rows": len(table),
            "primary": primaries[name],
            "secondary": [],
            "context": {},
            "flags": {},
            "shares": {},
            "position": None,
            "own": own,
            "counts": {},
            "order_by": schema.table(name).order_by,
        }
        relations = [i for i, fk in enumerate(schema.foreign_keys) if fk.table == name]
        relations.sort(key=lambda i: i != primaries[name])  # the primary relation first
        for i in relations:
            fk = schema.foreign_keys[i]
            parent = fk.parent
            context, cmeta, mapping, shares = _context(
                schema, i, table, frames[parent], metas[parent], plans[parent], tables[parent]
            )
            plan["context"][str(i)] = mapping
            plan["shares"][str(i)] = shares
            parts.append(context)
            columns.update(cmeta)
            if shares["missing"] + shares["orphan"] > 0:
                flag = f"{LINKED}{prefix_of(schema, i)}"
                found = contained(table, fk.columns, tables[fk.parent], fk.parent_columns)
                parts.append(pd.DataFrame({flag: found.astype(np.int64)}))
                columns[flag] = Column(flag, "categorical", n_categories=2)
                plan["flags"][str(i)] = flag
            if i == primaries[name]:
                plan["position"] = _position(table, fk, plan["order_by"], parts, columns)
            else:
                plan["secondary"].append(i)
        parts.append(table[own].reset_index(drop=True))
        columns.update(own_meta.columns)
        for j, fk in enumerate(schema.foreign_keys):
            if fk.parent == name:
                counts = _counts(tables[fk.table], fk, table)
                label = count_name(schema, j)
                parts.append(pd.DataFrame({label: counts}))
                columns[label] = _count_column(label, counts)
                plan["counts"][str(j)] = label
        frame = pd.concat([p.reset_index(drop=True) for p in parts], axis=1)
        frames[name] = frame
        metas[name] = Metadata(
            columns={c: columns[c] for c in frame.columns}, constraints=list(own_meta.constraints)
        )
        plans[name] = plan
    return frames, metas, plans


def parent_columns(plan: dict[str, Any], meta: Metadata) -> list[str]:
    """The columns of a table that its children see as context: own learned ones and counts."""
    own = [c for c in plan["own"] if meta.columns[c].kind in LEARNED]
    return own + list(plan["counts"].values())


def _context(
    schema: Schema,
    index: int,
    table: pd.DataFrame,
    parent_frame: pd.DataFrame,
    parent_meta: Metadata,
    parent_plan: dict[str, Any],
    parent_table: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, Column], list[list[str]], dict[str, float]]:
    """The parent's context columns on each child row (NaN where there is no parent)."""
    fk = schema.foreign_keys[index]
    source = parent_columns(parent_plan, parent_meta)
    prefix = prefix_of(schema, index)
    where = positions(key_values(table, fk.columns), key_values(parent_table, fk.parent_columns))
    present = where >= 0
    missing = table[list(fk.columns)].isna().any(axis=1).to_numpy()
    n = max(len(table), 1)
    shares = {"missing": float(missing.sum() / n), "orphan": float((~missing & ~present).sum() / n)}
    out: dict[str, Any] = {}
    cmeta: dict[str, Column] = {}
    mapping = []
    for column in source:
        values = parent_frame[column].to_numpy()
        taken = pd.Series(values[np.where(present, where, 0)])
        out[prefix + column] = taken.where(present, None) if not present.all() else taken
        cmeta[prefix + column] = replace(parent_meta.columns[column], name=prefix + column)
        mapping.append([prefix + column, column])
    return pd.DataFrame(out), cmeta, mapping, shares


def positions(child_keys: pd.Series, parent_keys: pd.Series) -> np.ndarray:
    """Row position of each child key among the parent keys, -1 for none."""
    lookup = pd.Series(np.arange(len(parent_keys)), index=parent_keys.to_numpy())
    lookup = lookup[~lookup.index.duplicated()]
    found = child_keys.map(lookup)
    return found.fillna(-1).to_numpy(dtype=np.int64)


def _position(
    table: pd.DataFrame,
    fk: ForeignKey,
    order_by: str | None,
    parts: list[pd.DataFrame],
    columns: dict[str, Column],
) -> str | None:
    if not order_by:
        return None
    groups = key_values(table, fk.columns).fillna("\x00none")
    order = pd.DataFrame({"g": groups, "o": table[order_by]}).reset_index(drop=True)
    ranked = order.sort_values(["g", "o"], kind="stable").groupby("g", sort=False).cumcount()
    position = ranked.sort_index().to_numpy(dtype=np.int64)
    parts.append(pd.DataFrame({POSITION: position}))
    columns[POSITION] = _count_column(POSITION, position)
    return POSITION


def _counts(child: pd.DataFrame, fk: ForeignKey, parent: pd.DataFrame) -> np.ndarray:
    sizes = key_values(child, fk.columns).dropna().value_counts()
    return key_values(parent, fk.parent_columns).map(sizes).fillna(0).to_numpy(dtype=np.int64)


def _count_column(name: str, counts: np.ndarray) -> Column:
    column = detect_column(pd.Series(counts), name)
    if column.kind in PLAIN_NUMBER_KINDS:
        return column
    return Column(
        name,
        "numerical",
        integer=True,
        decimals=0,
        min=float(np.min(counts)) if len(counts) else 0.0,
        max=float(np.max(counts)) if len(counts) else 0.0,
    )


def check_metadata(schema: Schema, tables: dict[str, pd.DataFrame]) -> None:
    """Raise MetadataError if a column kind of the schema does not fit its table's values."""
    for name in schema.names:
        keys = set(schema.key_columns(name))
        own = [str(c) for c in tables[name].columns if c not in keys]
        _own_metadata(schema, name, tables[name], own)


def _own_metadata(schema: Schema, name: str, table: pd.DataFrame, own: list[str]) -> Metadata:
    """The schema's column kinds for the table's own columns; detected where it has none."""
    given = schema.table(name).metadata
    if not own:
        return Metadata(columns={})
    if given is None:
        return Metadata.detect(table[own])
    meta = Metadata.from_dict(given)
    detected = (
        Metadata.detect(table[[c for c in own if c not in meta.columns]])
        if any(c not in meta.columns for c in own)
        else Metadata(columns={})
    )
    columns = {c: meta.columns[c] if c in meta.columns else detected.columns[c] for c in own}
    out = Metadata(columns=columns, constraints=list(meta.constraints))
    out.validate(table[own])
    return out
