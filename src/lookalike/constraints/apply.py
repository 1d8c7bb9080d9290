"""A model's constraints as one reversible pre-transform plus a final check.

`ConstraintSet.fit` checks the specs and the training data, picks the constraints that can
transform (in an order where no transform hides a column another one still reads), and returns the
table and metadata the model learns from. `reverse` undoes the transforms on sampled rows,
`mask` checks every constraint on them, and `keep_unique` drops rows that repeat a unique value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.constraints.checks import Constraint, Custom, Unique
from lookalike.errors import MetadataError
from lookalike.metadata import Metadata


class ConstraintSet:
    """The constraints of one model, fitted on its training table."""

    def __init__(self, constraints: list[Constraint]) -> None:
        self.constraints = list(constraints)
        self.order_: list[int] = []  # indices of the transforming constraints, in applied order

    def __bool__(self) -> bool:
        return bool(self.constraints)

    @classmethod
    def from_metadata(cls, metadata: Metadata) -> ConstraintSet:
        """Parse `metadata.constraints`; raises MetadataError listing every problem."""
        from lookalike.constraints import parse

        problems: list[str] = []
        constraints = []
        for spec in metadata.constraints:
            try:
                constraint = parse(spec)
            except MetadataError as error:
                problems.extend(error.problems)
                continue
            problems.extend(constraint.problems(metadata))
            constraints.append(constraint)
        if problems:
            raise MetadataError(problems)
        return cls(constraints)

    # ------------------------------------------------------------------ fit
    def fit(self, data: pd.DataFrame, metadata: Metadata) -> tuple[pd.DataFrame, Metadata]:
        """Check the data holds every constraint; return the table and metadata to learn from."""
        self.metadata_ = metadata
        problems = []
        for constraint in self.constraints:
            ok = constraint.check(data, metadata)
            if not ok.all():
                bad = np.flatnonzero(~ok)
                row = int(bad[0])
                shown = ", ".join(
                    f"{c}={data[c].iloc[row]!r}" for c in constraint.columns() if c in data
                )
                problems.append(
                    f"constraint {constraint.describe()}: {len(bad)} of {len(data)} rows of the "
                    f"data break it (row {row}: {shown}); fix the data or drop the constraint"
                )
        if problems:
            raise MetadataError(problems)
        transforming = [i for i, c in enumerate(self.constraints) if c.fit(data, metadata)]
        self.order_ = _transform_order(self.constraints, transforming)
        frame = data[list(metadata.columns)].reset_index(drop=True)
        columns = dict(metadata.columns)
        for i in self.order_:
            frame, columns = self.constraints[i].transform(frame, columns)
        return frame, Metadata(columns)

    # ------------------------------------------------------------------ sample
    def reverse(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Undo the transforms: sampled rows in the user's columns and order."""
        for i in reversed(self.order_):
            rows = self.constraints[i].reverse(rows, self.metadata_)
        applied = set(self.order_)
        for i, constraint in enumerate(self.constraints):
            if i not in applied and constraint.type == "integer":
                rows = constraint.reverse(rows, self.metadata_)
        return rows[list(self.metadata_.columns)].reset_index(drop=True)

    def mask(self, rows: pd.DataFrame) -> np.ndarray:
        """True for the rows that satisfy every constraint (uniqueness within `rows`)."""
        out = np.ones(len(rows), dtype=bool)
        applied = set(self.order_)
        for i, constraint in enumerate(self.constraints):
            if isinstance(constraint, Unique) or (i in applied and constraint.exact):
                continue  # uniqueness: keep_unique; exact transforms cannot be broken
            out &= constraint.check(rows, self.metadata_)
        return out

    @property
    def unique_columns(self) -> list[str]:
        """Columns under a unique constraint (sampling them needs one process, chunks in order)."""
        return [c.column for c in self.constraints if isinstance(c, Unique)]

    def keep_unique(self, rows: pd.DataFrame, seen: dict[str, Any]) -> pd.DataFrame:
        """Drop rows repeating a unique column's value (earlier in `rows` or in `seen`).

        `seen` maps a column to the arrays of values already given; it is updated in place.
        """
        for column in self.unique_columns:
            given = seen.setdefault(column, [])
            values = rows[column]
            fresh = ~values.duplicated(keep="first").to_numpy()
            if given:
                fresh &= ~values.isin(np.concatenate(given)).to_numpy()
            fresh |= values.isna().to_numpy()
            rows = rows[fresh]
            given.append(rows[column].dropna().to_numpy())
        return rows

    @property
    def transformed_columns(self) -> set[str]:
        """User columns the model does not see as they are."""
        out: set[str] = set()
        for i in self.order_:
            out.update(self.constraints[i].replaces())
        return out

    def describe(self) -> list[str]:
        """One line per constraint, saying how it is enforced."""
        applied = set(self.order_)
        return [
            f"{c.describe()} ({'transform' if i in applied else 'check'})"
            for i, c in enumerate(self.constraints)
        ]

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """JSON-safe: the specs, each one's learned state and the transform order."""
        custom = [c for c in self.constraints if not c.serialisable]
        if custom:
            raise MetadataError(
                f"cannot save a model with the Custom constraint {custom[0].describe()!r}: "
                "model files never store Python functions. Express it as a range, inequality, "
                "formula or fixed combinations, or keep the model in memory."
            )
        return {
            "specs": [c.to_dict() for c in self.constraints],
            "states": [c.get_state() for c in self.constraints],
            "order": list(self.order_),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any], metadata: Metadata) -> ConstraintSet:
        """The fitted set saved by `get_state`, checked against `metadata`."""
        from lookalike.constraints import parse

        self = cls([parse(spec) for spec in state["specs"]])
        for constraint, learned in zip(self.constraints, state["states"], strict=True):
            constraint.set_state(learned)
        self.order_ = [int(i) for i in state["order"]]
        self.metadata_ = metadata
        return self


def _transform_order(constraints: list[Constraint], transforming: list[int]) -> list[int]:
    """An order where no transform replaces a column that a later transform still reads.

    A constraint whose columns are tied up in a cycle (or replaced twice) falls back to checks.
    """
    pending = list(transforming)
    order: list[int] = []
    while pending:
        for i in pending:
            replaced = set(constraints[i].replaces())
            if not any(replaced & set(constraints[j].columns()) for j in pending if j != i):
                order.append(i)
                pending.remove(i)
                break
        else:
            pending.pop()  # a cycle: this one is kept by rejection instead
    return order


__all__ = ["ConstraintSet", "Custom"]
