"""Constraints on every step of a sequence: the single-table constraints, applied per row.

A child table's metadata may declare constraints (`lookalike.constraints`: inequalities between
two of its columns, formulas, fixed combinations, ranges, integers). They are learned through the
same transforms as for one table — the step model sees `end - start`, one merged `city+country`
column, no `total` — so every sampled step obeys them; checks (ranges, positives) hold because
each step's values are drawn from the data's. A constraint may not read the key or the order
column (the order is the sequence's own clock).
"""

from __future__ import annotations

import pandas as pd

from lookalike.constraints import ConstraintSet
from lookalike.errors import DataError
from lookalike.metadata import Metadata


def fit_step_constraints(
    child: pd.DataFrame, key: str | None, order_by: str | None, meta: Metadata
) -> tuple[pd.DataFrame, Metadata, ConstraintSet]:
    """The child rows and metadata to learn from (transformed), and the fitted constraints."""
    constraints = ConstraintSet.from_metadata(meta)
    if not constraints:
        return child, meta, constraints
    for constraint in constraints.constraints:
        reads = set(constraint.columns())
        clash = sorted(reads & {c for c in (key, order_by) if c is not None})
        if clash:
            raise DataError(
                f"constraint {constraint.describe()} reads {', '.join(clash)}, the sequence's "
                "key or order column; constrain the other columns of each step only."
            )
        if constraint.type == "unique":
            raise DataError(
                f"constraint {constraint.describe()}: unique values are not kept across the "
                "steps of sequences; drop it or make the column an id."
            )
    data = (child.drop(columns=[key]) if key else child).reset_index(drop=True)
    frame, learned = constraints.fit(data, meta)
    if key:
        frame.insert(0, key, child[key].to_numpy())
    return frame, learned, constraints


def undo_step_constraints(
    rows: pd.DataFrame, key: str | None, constraints: ConstraintSet, columns: list[str]
) -> pd.DataFrame:
    """Sampled rows back in the user's columns (`columns`, in order)."""
    if not constraints:
        return rows[columns]
    out = constraints.reverse(rows.drop(columns=[key]) if key else rows)  # reverse re-indexes
    if key:
        out.insert(0, key, rows[key].to_numpy())
    return out[columns]
