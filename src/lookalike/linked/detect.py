"""Finding the keys of linked tables from column names and values.

A primary key is a unique, never-missing column of whole numbers or text whose name says key
(`id`, `TABLE_id`, `code`, ...), else a table's first column if it looks like one, else a unique
pair of key-like columns that other tables share. A foreign key is a column whose values are
found among another table's primary key: at least half of them when its name points at that
table (`players_id`, `player_id`, `player`), 98% of them otherwise (text keys or key-like
names only), so orphans do not hide a key. An order column never decreases within each parent.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from lookalike.linked.schema import ForeignKey, contained, key_values

_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key|code|no|nr|num)$|^id[_\W]|Id$|ID$", re.I)
_MIN_LINKED = 0.5  # share of a named key's values that must be found in the parent
_MIN_UNNAMED = 0.98  # the same for a column whose name does not point at the parent


def learned_birth_dates(meta: Any) -> list[str]:
    """The columns of `meta` that are dates of birth learned as dates (`column_detect`)."""
    from lookalike.column_detect import BIRTH_DATE
    from lookalike.kinds import DATE_KINDS

    return [n for n, c in meta.columns.items() if c.kind in DATE_KINDS and c.pii_kind == BIRTH_DATE]


def _keyish(series: pd.Series) -> bool:
    """Whole numbers or text: a column that could hold keys (not measurements)."""
    values = series.dropna()
    if len(values) == 0 or pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_float_dtype(values):
        return bool((values == np.round(values)).all())
    return (
        pd.api.types.is_integer_dtype(values)
        or pd.api.types.is_object_dtype(values)
        or pd.api.types.is_string_dtype(values)
    )


def _singular(name: str) -> str:
    low = name.lower()
    if low.endswith("ies"):
        return low[:-3] + "y"
    if low.endswith("ses") or low.endswith("xes"):
        return low[:-2]
    return low[:-1] if low.endswith("s") else low


def _unique_key(series: pd.Series) -> bool:
    return bool(series.notna().all() and series.is_unique and _keyish(series))


def primary_key(name: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> tuple[str, ...]:
    """The unique key column a name points at (id, TABLE_id, ...), or a unique pair of key
    columns that other tables also have; () for none.
    """
    if frame.empty:
        return ()
    single = _singular(name)
    preferred = {
        "id",
        f"{name.lower()}_id",
        f"{single}_id",
        f"{name.lower()}id",
        f"{single}id",
        "key",
        "code",
        f"{single}_code",
        f"{single}_key",
    }
    columns = [str(c) for c in frame.columns]
    ranked = sorted(
        columns,
        key=lambda c: (c.lower() not in preferred, not _ID_NAME.search(c), columns.index(c)),
    )
    for column in ranked:
        if (column.lower() in preferred or _ID_NAME.search(column)) and _unique_key(frame[column]):
            return (column,)
    first = columns[0]
    if _unique_key(frame[first]) and not pd.api.types.is_float_dtype(frame[first]):
        values = frame[first]
        if not pd.api.types.is_numeric_dtype(values) or _is_counter(values):
            return (first,)
    shared = [
        c
        for c in columns
        if _keyish(frame[c])
        and frame[c].notna().all()
        and (_ID_NAME.search(c) or any(c in t.columns for n, t in tables.items() if n != name))
    ]
    for i, a in enumerate(shared):
        for b in shared[i + 1 :]:
            if not frame.duplicated([a, b]).any():
                return (a, b)
    return ()


def _is_counter(values: pd.Series) -> bool:
    """1..n or 0..n-1 style integers: a row number used as a key."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return len(numbers) > 0 and float(numbers.max() - numbers.min() + 1) <= 2 * len(numbers)


def foreign_keys(
    name: str,
    frame: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    keys: dict[str, tuple[str, ...]],
) -> list[ForeignKey]:
    """Foreign keys from table `name` to the other tables, found from names and values."""
    found: dict[str, tuple[float, ForeignKey]] = {}
    own = set(keys[name]) if len(keys[name]) == 1 else set()
    for parent, key in keys.items():
        if parent == name or not key:
            continue
        other = tables[parent]
        if len(key) > 1:  # a composite key: the child has the same column names
            if all(c in frame.columns for c in key) and set(key) != set(keys[name]):
                share = _share(frame, key, other, key)
                if share >= _MIN_LINKED:
                    fk = ForeignKey(name, key, parent, key)
                    found["+".join(key)] = (2.0 + share, fk)
            continue
        parent_values = set(key_values(other, key).dropna())
        for column in map(str, frame.columns):
            if column in own or not _keyish(frame[column]):
                continue
            if not _same_type(frame[column], other[key[0]]):
                continue
            hinted = _points_at(column, parent, key[0])
            values = key_values(frame, (column,)).dropna()
            if values.empty:
                continue
            share = float(values.isin(parent_values).mean())
            text = not pd.api.types.is_numeric_dtype(frame[column])
            unnamed_ok = (text or _ID_NAME.search(column)) and values.nunique() >= 2
            if (hinted and share >= _MIN_LINKED) or (unnamed_ok and share >= _MIN_UNNAMED):
                score = share + (1.0 if hinted else 0.0)
                if column not in found or found[column][0] < score:
                    found[column] = (score, ForeignKey(name, (column,), parent, key))
    composite = [fk for _, fk in found.values() if len(fk.columns) > 1]
    taken = {c for fk in composite for c in fk.columns}
    singles = [
        fk for _, fk in found.values() if len(fk.columns) == 1 and fk.columns[0] not in taken
    ]
    return composite + singles


def _share(
    child: pd.DataFrame,
    columns: tuple[str, ...],
    parent: pd.DataFrame,
    parent_columns: tuple[str, ...],
) -> float:
    present = ~child[list(columns)].isna().any(axis=1).to_numpy()
    if not present.any():
        return 0.0
    return float(contained(child, columns, parent, parent_columns)[present].mean())


def _same_type(a: pd.Series, b: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(a.dropna()) == pd.api.types.is_numeric_dtype(b.dropna())


def _points_at(column: str, parent: str, key: str) -> bool:
    """Does the column's name refer to the parent table (players_id, player_id, player, ...)?"""
    low, single, plural = column.lower(), _singular(parent), parent.lower()
    key = key.lower()
    names = {
        f"{plural}_{key}",
        f"{single}_{key}",
        f"{plural}{key}",
        f"{single}{key}",
        f"{single}_id",
        f"{plural}_id",
        f"{single}id",
        single,
        plural,
    }
    if key not in ("id", "key", "code"):
        names.add(key)
    return low in names or low.endswith(f"_{single}_id") or low.endswith(f"_{single}")


def order_column(frame: pd.DataFrame, key: tuple[str, ...], own_key: tuple[str, ...]) -> str | None:
    """A date/time or number that never decreases within each parent's rows (in file order)
    and changes in many of them: the order of a sequence.
    """
    groups = key_values(frame, key)
    sizes = groups.value_counts()
    if (sizes >= 2).sum() < 10:
        return None
    for column in map(str, frame.columns):
        if column in key or column in own_key:
            continue
        values = _orderable(frame[column])
        if values is None or np.isnan(values).mean() > 0.01:
            continue
        step = pd.Series(values).groupby(groups.to_numpy()).diff().dropna()
        if len(step) and (step >= 0).mean() >= 0.99 and (step > 0).mean() >= 0.3:
            return column
    return None


def _orderable(series: pd.Series) -> np.ndarray | None:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=float)
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype("int64").to_numpy(dtype=float)
    if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
        head = series.dropna().astype(str).head(200)
        if len(head) and head.str.match(r"^\d{4}-\d{2}-\d{2}").all():
            stamps = pd.to_datetime(series, errors="coerce")
            return np.where(stamps.isna(), np.nan, stamps.astype("int64").to_numpy(dtype=float))
    return None
