"""`formula`: `column == expression` (e.g. "total", "price * qty"), to the column's written
decimals; the column is not learned but recomputed from the sampled values of the others.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from lookalike.column import Column
from lookalike.constraints.checks import Constraint, numbers
from lookalike.constraints.replaced import from_numbers
from lookalike.expressions import Expression, ExpressionError
from lookalike.kinds import PLAIN_NUMBER_KINDS, TWO_VALUE_KINDS
from lookalike.metadata import Metadata

_BACKTICK = re.compile(r"`([^`]+)`")


class Formula(Constraint):
    """`column == expression` (e.g. "total", "price * qty"), to the column's written decimals.

    The expression is safe arithmetic (`lookalike.expressions`): numbers, column names (in
    `backticks` when they are not identifiers), + - * / ** and a few functions; never `eval`.

    The column is not learned: it is recomputed from the sampled values of the others.
    """

    type = "formula"

    def __init__(self, column: str, expression: str) -> None:
        self.column, self.expression = column, expression
        self._parsed: Expression | None = None
        self._names: dict[str, str] = {}  # placeholder -> column name written in `backticks`
        self._error: str | None = None

        def quote(match: re.Match[str]) -> str:
            placeholder = f"_column_{len(self._names)}_"
            self._names[placeholder] = match.group(1)
            return placeholder

        try:
            self._parsed = Expression.parse(_BACKTICK.sub(quote, str(expression)))
        except ExpressionError as error:
            self._error = str(error)

    def columns(self) -> list[str]:
        names = sorted(self._parsed.names) if self._parsed else []
        return [self.column, *(self._names.get(n, n) for n in names)]

    def replaces(self) -> list[str]:
        return [self.column]

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "column": self.column, "expression": self.expression}

    def describe(self) -> str:
        return f"{self.column} = {self.expression}"

    def problems(self, metadata: Metadata) -> list[str]:
        if self._error:
            return [f"constraint formula for {self.column!r}: {self._error}"]
        out = super().problems(metadata)
        if out:
            return out
        if metadata.columns[self.column].kind not in PLAIN_NUMBER_KINDS:
            out.append(f"constraint {self.describe()}: {self.column!r} is not numerical")
        for operand in self.columns()[1:]:
            if operand == self.column:
                out.append(f"constraint {self.describe()}: the column appears on both sides")
            elif metadata.columns[operand].kind not in PLAIN_NUMBER_KINDS | TWO_VALUE_KINDS:
                out.append(f"constraint {self.describe()}: {operand!r} is not numerical")
        return out

    def compute(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        assert self._parsed is not None
        values = {n: numbers(rows, self._names.get(n, n), metadata) for n in self._parsed.names}
        result = self._parsed.evaluate(values)
        return np.broadcast_to(np.asarray(result, dtype=float), (len(rows),)).copy()

    def check(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        expected = self.compute(rows, metadata)
        values = numbers(rows, self.column, metadata)
        column = metadata.columns[self.column]
        with np.errstate(invalid="ignore"):
            ok = np.abs(values - expected) <= _tolerance(column, expected)
        return ok | (np.isnan(values) & np.isnan(expected))

    def fit(self, data: pd.DataFrame, metadata: Metadata) -> bool:
        return True

    def transform(
        self, frame: pd.DataFrame, columns: dict[str, Column]
    ) -> tuple[pd.DataFrame, dict[str, Column]]:
        return frame.drop(columns=[self.column]), {
            k: v for k, v in columns.items() if k != self.column
        }

    def reverse(self, rows: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
        values = self.compute(rows, metadata)
        column = metadata.columns[self.column]
        values = np.where(np.isfinite(values), values, np.nan)
        rows = rows.copy()
        rows[self.column] = from_numbers(values, column, None, clip=False)
        return rows


def _tolerance(column: Column, expected: np.ndarray) -> Any:
    if column.integer:
        step = 0.5
    elif column.decimals is not None:
        step = 0.5 * 10.0 ** (-column.decimals)
    else:
        step = 0.0
    return step + 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(expected)))
