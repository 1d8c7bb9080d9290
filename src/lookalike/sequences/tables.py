"""The two tables a sequence model learns from, built from an ordered child table.

entity table  one row per entity: its context columns, its sequence length, and its first step
step table    one row per later step: context, the step's index and the steps left, the previous
              step's values (and the hour / weekday of its timestamp), the categories of the
              entity's first step (who it is: a first position), then the step's targets:
              the gap of the order column, a "same as before" flag for each column that mostly
              keeps its value, and the values (empty where the flag says "same")
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from lookalike.codecs import _resolution
from lookalike.kinds import DATE_KINDS, PLAIN_NUMBER_KINDS
from lookalike.metadata import Column, Metadata
from lookalike.transform import _to_float

LENGTH, STEP, LEFT, GAP, ORDER = "__length", "__step", "__left", "__gap", "__order"
HOUR, WEEKDAY = "__hour", "__weekday"
CTX, PREV, SAME = "__ctx__", "__prev__", "__same__"
FIRST = "__first__"  # a category's value at the entity's first step
LEARNED = ("numerical", "categorical", "boolean", "datetime")


def order_numbers(child: pd.DataFrame, order_by: str | None, column: Column | None) -> np.ndarray:
    """The order column as numbers (datetimes as seconds); the row number without one."""
    if order_by is None or column is None:
        return np.arange(len(child), dtype=float)
    return _to_float(child[order_by], column)


def sort_steps(
    child: pd.DataFrame, key: str | None, numbers: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by entity (first appearance) then order (ties as given); returns the sorted
    rows, entity codes, order numbers (missing ones carried from the step before) and steps.
    """
    if key is None:
        codes = np.zeros(len(child), dtype=np.int64)
    else:
        codes = pd.factorize(child[key], use_na_sentinel=False)[0]
    sort_on = np.where(np.isnan(numbers), np.inf, numbers)
    order = np.lexsort((np.arange(len(child)), sort_on, codes))
    rows = child.iloc[order].reset_index(drop=True)
    codes, numbers = codes[order], numbers[order]
    filled = pd.Series(numbers).groupby(codes).ffill().groupby(codes).bfill()
    fill = float(np.nanmedian(numbers)) if np.isfinite(numbers).any() else 0.0
    numbers = filled.fillna(fill).to_numpy(dtype=float)
    steps = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    return rows, codes, numbers, steps


def order_facts(numbers: np.ndarray, codes: np.ndarray, column: Column | None) -> dict[str, Any]:
    """How the order column moves: gap range and resolution, whether it is a timestamp finer
    than a day (then the hour and weekday of the previous step inform the next gap).
    """
    same_entity = codes[1:] == codes[:-1]
    gaps = np.diff(numbers)[same_entity] if len(numbers) > 1 else np.zeros(0)
    finite = numbers[np.isfinite(numbers)]
    is_time = column is not None and column.kind in DATE_KINDS
    resolution = _resolution(finite) if is_time and len(finite) else 0.0
    integer = bool(len(finite) and np.all(finite == np.round(finite)))
    return {
        "gap_min": float(gaps.min()) if len(gaps) else 0.0,
        "gap_max": float(gaps.max()) if len(gaps) else 0.0,
        "integer": integer,
        "resolution": float(resolution),
        "clock": bool(is_time and resolution < 86400 and len(finite) > 1),
        "min": float(finite.min()) if len(finite) else 0.0,
        "max": float(finite.max()) if len(finite) else 0.0,
    }


def same_as_before(values: pd.Series, codes: np.ndarray) -> np.ndarray:
    """For each row after an entity's first: does it repeat the previous row's value?"""
    now, before = values.iloc[1:].to_numpy(), values.iloc[:-1].to_numpy()
    both_missing = pd.isna(now) & pd.isna(before)
    equal = np.asarray(pd.Series(now).eq(pd.Series(before)).fillna(False), dtype=bool)
    return np.concatenate([[False], (equal | both_missing) & (codes[1:] == codes[:-1])])


def clock(seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hour of the day and day of the week (Monday 0) of timestamps in seconds since 1970."""
    days = np.floor(seconds / 86400.0)
    hours = np.floor((seconds - days * 86400.0) / 3600.0)
    return hours, (days + 3) % 7


def number_column(name: str, values: np.ndarray, integer: bool) -> Column:
    finite = values[np.isfinite(values)]
    low = float(finite.min()) if len(finite) else 0.0
    high = float(finite.max()) if len(finite) else 0.0
    share = float(1 - len(finite) / len(values)) if len(values) else 0.0
    return Column(
        name,
        "numerical",
        round(share, 6),
        integer=integer,
        decimals=0 if integer else None,
        min=low,
        max=high,
    )


def flag_column(name: str) -> Column:
    return Column(name, "categorical", n_categories=2)


def entity_table(
    rows: pd.DataFrame,
    codes: np.ndarray,
    numbers: np.ndarray,
    steps: np.ndarray,
    n_entities: int,
    context: pd.DataFrame | None,
    values: list[str],
    meta: Metadata,
    facts: dict[str, Any],
    ctx_meta: Metadata | None,
) -> tuple[pd.DataFrame, Metadata]:
    """Context, length and first step, one row per entity (entities without rows: length 0)."""
    lengths = np.bincount(codes, minlength=n_entities)
    first = np.full(n_entities, -1)
    first[codes[steps == 0]] = np.flatnonzero(steps == 0)
    empty = first < 0
    if empty.any() and (~empty).any():  # entities without rows borrow a first step (unused
        # when sampling: their length is 0), so no column learns a missingness that is not there
        donors = first[~empty]
        first[empty] = donors[np.arange(int(empty.sum())) % len(donors)]
    has = first >= 0
    out: dict[str, Any] = {}
    columns: dict[str, Column] = {}
    if context is not None and ctx_meta is not None:
        for name, column in ctx_meta.columns.items():
            out[CTX + name] = context[name].to_numpy()
            columns[CTX + name] = replace(column, name=CTX + name)
    start = np.full(n_entities, np.nan)  # the start first: lengths depend on it (censoring)
    start[has] = numbers[first[has]]
    out[ORDER] = start
    columns[ORDER] = number_column(ORDER, start, facts["integer"])
    out[LENGTH] = lengths.astype(float)
    columns[LENGTH] = number_column(LENGTH, out[LENGTH], True)
    for name in values:
        column = pd.Series([None] * n_entities, dtype=object)
        column[has] = rows[name].iloc[first[has]].to_numpy()
        out[name] = _typed(column, rows[name])
        columns[name] = meta.columns[name]
    return pd.DataFrame(out), Metadata(columns)


def step_table(
    rows: pd.DataFrame,
    codes: np.ndarray,
    numbers: np.ndarray,
    steps: np.ndarray,
    lengths: np.ndarray,
    context: pd.DataFrame | None,
    ctx_meta: Metadata | None,
    values: list[str],
    flagged: list[str],
    meta: Metadata,
    facts: dict[str, Any],
) -> tuple[pd.DataFrame, Metadata, list[str]]:
    """Every step after the first with what precedes it; returns the table, its metadata and
    the given (conditioning) columns, which lead the table.
    """
    later = np.flatnonzero(steps > 0)
    before = later - 1
    out: dict[str, Any] = {}
    columns: dict[str, Column] = {}
    if context is not None and ctx_meta is not None:
        for name, column in ctx_meta.columns.items():
            out[CTX + name] = context[name].to_numpy()[codes[later]]
            columns[CTX + name] = replace(column, name=CTX + name)
    step = steps[later].astype(float)
    left = (lengths[codes[later]] - 1 - steps[later]).astype(float)
    out[STEP], out[LEFT] = step, left
    columns[STEP] = number_column(STEP, step, True)
    columns[LEFT] = number_column(LEFT, left, True)
    out[PREV + ORDER] = numbers[before]
    columns[PREV + ORDER] = number_column(PREV + ORDER, numbers[before], facts["integer"])
    if facts["clock"]:
        hours, weekdays = clock(numbers[before])
        out[PREV + HOUR], out[PREV + WEEKDAY] = hours, weekdays
        columns[PREV + HOUR] = number_column(PREV + HOUR, hours, True)
        columns[PREV + WEEKDAY] = number_column(PREV + WEEKDAY, weekdays, True)
    for name in values:
        out[PREV + name] = rows[name].iloc[before].to_numpy()
        columns[PREV + name] = replace(meta.columns[name], name=PREV + name)
    first = later - steps[later]  # an entity's rows are consecutive
    for name in values:  # a Markov step forgets who the entity is; its first step remembers
        if meta.columns[name].kind not in PLAIN_NUMBER_KINDS:
            out[FIRST + name] = rows[name].iloc[first].to_numpy()
            columns[FIRST + name] = replace(meta.columns[name], name=FIRST + name)
    given = list(out)
    gaps = numbers[later] - numbers[before]
    out[GAP] = gaps
    columns[GAP] = number_column(GAP, gaps, facts["integer"] or facts["resolution"] >= 1)
    for name in values:
        current = rows[name].iloc[later].reset_index(drop=True)
        if name in flagged:
            same = same_as_before(rows[name], codes)[later]
            out[SAME + name] = same.astype(np.int64)
            columns[SAME + name] = flag_column(SAME + name)
            current = current.mask(same)
        out[name] = current.to_numpy()
        columns[name] = meta.columns[name]
    return pd.DataFrame(out), Metadata(columns), given


def _typed(values: pd.Series, like: pd.Series) -> pd.Series:
    """`values` (objects) back in the dtype of `like` where that holds missing values."""
    if pd.api.types.is_numeric_dtype(like) and not pd.api.types.is_bool_dtype(like):
        return pd.to_numeric(values, errors="coerce")
    return values
