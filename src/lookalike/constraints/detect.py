"""Find likely constraints in a table, to offer them (never to apply them unasked).

Looked for: one date or number always before/after another (inequality), a number that is
always the sum of two others (formula), and a column that always comes with the same value of
another (fixed combinations). Value ranges are not suggested: sampled values already stay within
each column's observed range.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from lookalike.constraints.checks import numbers
from lookalike.kinds import CATEGORY_KINDS, DATE_KINDS, PLAIN_NUMBER_KINDS
from lookalike.metadata import Metadata

MIN_ROWS = 10  # a rule seen in fewer rows is not suggested
INFORMATIVE = 0.1  # an inequality is suggested if independent columns would break it this often
MAX_COLUMNS = 40  # per kind, so the pair and triple searches stay fast on wide tables
SAMPLE_ROWS = 20_000  # rows used to look; a suggestion is then checked on every row


def suggest_constraints(
    data: pd.DataFrame, metadata: Metadata | None = None
) -> list[dict[str, Any]]:
    """Constraint specs the data always obeys, each with a "note" saying so.

    Example:
        >>> table = pd.DataFrame({"start": [1, 2, 3] * 5, "end": [2, 4, 5] * 5})
        >>> suggest_constraints(table)[0]["note"]
        'end is always greater than start in the data'
    """
    metadata = metadata if metadata is not None else Metadata.detect(data)
    sample = data.sample(SAMPLE_ROWS, random_state=0) if len(data) > SAMPLE_ROWS else data
    found = (
        _inequalities(sample, metadata) + _sums(sample, metadata) + _combinations(sample, metadata)
    )
    out = []
    for spec in found:
        from lookalike.constraints import parse

        if parse(spec).check(data, metadata).all():
            out.append(spec)
    return out


def _number_columns(
    data: pd.DataFrame, metadata: Metadata, kinds: frozenset[str]
) -> dict[str, np.ndarray]:
    names = metadata.names(*sorted(kinds))[:MAX_COLUMNS]
    return {name: numbers(data, name, metadata) for name in names}


def _inequalities(data: pd.DataFrame, metadata: Metadata) -> list[dict[str, Any]]:
    out = []
    for kinds in (DATE_KINDS, PLAIN_NUMBER_KINDS):  # dates with dates, numbers with numbers
        columns = _number_columns(data, metadata, kinds)
        for a, b in combinations(columns, 2):
            x, y = columns[a], columns[b]
            both = ~np.isnan(x) & ~np.isnan(y)
            if both.sum() < MIN_ROWS:
                continue
            x, y = x[both], y[both]
            for low, high, lo, hi in ((a, b, x, y), (b, a, y, x)):
                # it must be news: columns with these values drawn independently would break it
                # often, else the rule says nothing their ranges do not (Time > V1)
                if not (lo <= hi).all() or _independent_breaks(lo, hi) < INFORMATIVE:
                    continue
                strict = bool((lo < hi).all())
                word = "after" if kinds is DATE_KINDS else "greater than"
                note = f"{high} is always {word} {low} in the data"
                if not strict:
                    note = note.replace(word, f"{word} or equal to")
                spec: dict[str, Any] = {"type": "inequality", "low": low, "high": high}
                if strict:
                    spec["strict"] = True
                out.append({**spec, "note": note})
    return out


def _sums(data: pd.DataFrame, metadata: Metadata) -> list[dict[str, Any]]:
    columns = {
        k: v
        for k, v in _number_columns(data, metadata, PLAIN_NUMBER_KINDS).items()
        if not np.isnan(v).all() and np.nanstd(v) > 0
    }
    out = []
    names = list(columns)
    matrix = np.column_stack([columns[c] for c in names]) if names else np.empty((0, 0))
    head = matrix[:64]  # a quick screen on a few rows, then the full check for what passes
    for i, total in enumerate(names):
        column = metadata.columns[total]
        step = 0.5 if column.integer else 0.5 * 10.0 ** -(column.decimals or 9)
        for j, k in combinations([x for x in range(len(names)) if x != i], 2):
            if not _sums_to(head, i, j, k, step):
                continue
            t, s = matrix[:, i], matrix[:, j] + matrix[:, k]
            present = ~np.isnan(s) & ~np.isnan(t)
            if present.sum() < MIN_ROWS or (np.isnan(s) != np.isnan(t)).any():
                continue
            if _sums_to(matrix, i, j, k, step):
                a, b = names[j], names[k]
                out.append(
                    {
                        "type": "formula",
                        "column": total,
                        "expression": f"{_name(a)} + {_name(b)}",
                        "note": f"{total} is always {a} + {b} in the data",
                    }
                )
    return out


def _sums_to(matrix: np.ndarray, i: int, j: int, k: int, step: float) -> bool:
    """Column i equals column j + column k (to `step`) wherever all three are present."""
    s = matrix[:, j] + matrix[:, k]
    t = matrix[:, i]
    present = ~np.isnan(s) & ~np.isnan(t)
    difference = np.abs(t[present] - s[present])
    return bool(np.all(difference <= step + 1e-9 * np.abs(s[present])))


def _combinations(data: pd.DataFrame, metadata: Metadata) -> list[dict[str, Any]]:
    names = [
        n
        for n in metadata.names(*sorted(CATEGORY_KINDS | PLAIN_NUMBER_KINDS))
        if 1 < data[n].nunique() <= 200
    ][:MAX_COLUMNS]
    codes = {n: pd.factorize(data[n])[0] for n in names}
    out = []
    for a, b in combinations(names, 2):
        pairs = pd.DataFrame({"a": codes[a], "b": codes[b]}).drop_duplicates()
        if len(pairs) > len(data) / 2 or len(data) < MIN_ROWS:
            continue
        a_to_b = pairs["a"].is_unique  # every value of a comes with one value of b
        b_to_a = pairs["b"].is_unique
        if not (a_to_b or b_to_a):
            continue
        if {metadata.columns[a].kind, metadata.columns[b].kind} <= PLAIN_NUMBER_KINDS:
            continue  # two numbers in lockstep are better learned as numbers
        first, second = (a, b) if a_to_b else (b, a)
        note = (
            f"{first} and {second} always come together in the same pairs in the data"
            if a_to_b and b_to_a
            else f"each {first} always comes with the same {second} in the data"
        )
        out.append({"type": "fixed_combinations", "columns": [first, second], "note": note})
    return out


def _independent_breaks(low: np.ndarray, high: np.ndarray) -> float:
    """Share of (low, high) pairs with low > high when the two are drawn independently."""
    ordered = np.sort(high)
    return float(np.mean(np.searchsorted(ordered, low, side="left")) / len(ordered))


def _name(column: str) -> str:
    return column if column.isidentifier() else f"`{column}`"
