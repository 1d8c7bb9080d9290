"""`inequality`: `low <= high` (or `<`), learned as the difference `high - low`.

The model sees `high - low` (>= 0, or > 0 when strict) instead of `high`, so no sampled row can
break it; `reverse` adds `low` back and writes `high` in its column's form.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.column import Column
from lookalike.column_detect import detect_column
from lookalike.constraints.checks import Constraint, numbers
from lookalike.constraints.replaced import from_numbers, replace_columns
from lookalike.kinds import (
    CONSTANT_KINDS,
    DATE_KINDS,
    NUMBER_KINDS,
    PLAIN_NUMBER_KINDS,
    TWO_VALUE_KINDS,
)
from lookalike.metadata import Metadata
from lookalike.values import date_resolution


class Inequality(Constraint):
    """`low <= high` (`low < high` with `strict=True`): numbers or dates.

    Learned as the difference: the model sees `high - low` instead of `high`, so no sampled row can
    break it.
    """

    type = "inequality"

    def __init__(self, low: str, high: str, *, strict: bool = False) -> None:
        self.low, self.high, self.strict = low, high, bool(strict)
        self.state_: dict[str, Any] = {}

    def columns(self) -> list[str]:
        return [self.low, self.high]

    def replaces(self) -> list[str]:
        return [self.high]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "low": self.low, "high": self.high}
        if self.strict:
            out["strict"] = True
        return out

    def describe(self) -> str:
        return f"{self.low} {'<' if self.strict else '<='} {self.high}"

    def problems(self, metadata: Metadata) -> list[str]:
        out = super().problems(metadata)
        if out:
            return out
        kinds = {metadata.columns[c].kind for c in self.columns()}
        if self.low == self.high:
            out.append(f"constraint {self.describe()}: low and high are the same column")
        elif len(kinds) != 1 or not kinds <= set(NUMBER_KINDS):
            out.append(
                f"constraint {self.describe()}: both columns must be numerical or both datetime "
                f"(they are {metadata.columns[self.low].kind} and "
                f"{metadata.columns[self.high].kind})"
            )
        return out

    def check(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        low, high = numbers(rows, self.low, metadata), numbers(rows, self.high, metadata)
        with np.errstate(invalid="ignore"):
            ok = low < high if self.strict else low <= high
        return ok | np.isnan(low) | np.isnan(high)

    def fit(self, data: pd.DataFrame, metadata: Metadata) -> bool:
        low, high = numbers(data, self.low, metadata), numbers(data, self.high, metadata)
        if (np.isnan(low) & ~np.isnan(high)).any():
            return False  # high known where low is not: it cannot be rebuilt from a difference
        present = high[~np.isnan(high)]
        self.state_ = {
            "min": float(present.min()) if len(present) else None,
            "max": float(present.max()) if len(present) else None,
            "resolution": date_resolution(present)
            if metadata.columns[self.high].kind in DATE_KINDS
            else None,
        }
        return True

    def _name(self, columns: dict[str, Column]) -> str:
        name = f"{self.high}#diff"
        while name in columns:
            name += "#"
        return name

    def transform(
        self, frame: pd.DataFrame, columns: dict[str, Column]
    ) -> tuple[pd.DataFrame, dict[str, Column]]:
        meta = Metadata(dict(columns))
        difference = numbers(frame, self.high, meta) - numbers(frame, self.low, meta)
        name = self._name(columns)
        self.state_["name"] = name
        series = pd.Series(difference, name=name)
        if np.all(np.isnan(difference) | (difference == np.round(difference))):
            series = series.astype("Int64") if series.isna().any() else series.astype(np.int64)
        column = detect_column(series, name)
        if column.kind not in PLAIN_NUMBER_KINDS | CONSTANT_KINDS | TWO_VALUE_KINDS:
            column = Column(name, "numerical", column.missing_share)
        return replace_columns(frame, columns, [self.high], name, series, column)

    def reverse(self, rows: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
        name = self.state_["name"]
        low = numbers(rows, self.low, metadata)
        difference = pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float)
        high = low + difference
        if self.state_.get("min") is not None:
            high = np.clip(high, self.state_["min"], self.state_["max"])
        column = metadata.columns[self.high]
        rows = rows.drop(columns=[name])
        rows[self.high] = from_numbers(high, column, self.state_.get("resolution"))
        return rows

    def get_state(self) -> dict[str, Any]:
        return dict(self.state_)

    def set_state(self, state: dict[str, Any]) -> None:
        self.state_ = dict(state)
