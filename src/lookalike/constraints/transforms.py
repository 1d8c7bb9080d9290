"""Constraint kinds learned through a reversible transform, so no sampled row can break them:

inequality          replaces `high` by `high - low` (>= 0, or > 0 when strict)
fixed_combinations  merges the columns into one categorical column of the combinations seen
formula             drops the computed column and recomputes it from the others
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from lookalike.constraints.checks import Constraint, _as_integers, numbers
from lookalike.expressions import Expression, ExpressionError
from lookalike.kinds import (
    CONSTANT_KINDS,
    DATE_KINDS,
    NUMBER_KINDS,
    PLAIN_NUMBER_KINDS,
    REGENERATED_KINDS,
    TWO_VALUE_KINDS,
)
from lookalike.metadata import Column, Metadata, detect_column
from lookalike.values import category_key, is_missing, json_value

_BACKTICK = re.compile(r"`([^`]+)`")


# ---------------------------------------------------------------------- inequality
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
            "resolution": _resolution(present)
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
        return _replace(frame, columns, [self.high], name, series, column)

    def reverse(self, rows: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
        name = self.state_["name"]
        low = numbers(rows, self.low, metadata)
        difference = pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float)
        high = low + difference
        if self.state_.get("min") is not None:
            high = np.clip(high, self.state_["min"], self.state_["max"])
        column = metadata.columns[self.high]
        rows = rows.drop(columns=[name])
        rows[self.high] = _from_numbers(high, column, self.state_.get("resolution"))
        return rows

    def get_state(self) -> dict[str, Any]:
        return dict(self.state_)

    def set_state(self, state: dict[str, Any]) -> None:
        self.state_ = dict(state)


# ---------------------------------------------------------------------- fixed combinations
class FixedCombinations(Constraint):
    """Only the combinations of `columns` seen in the data (city with its country).

    The columns are merged into one categorical column of the combinations while the model learns.
    """

    type = "fixed_combinations"
    exact = True  # sampled rows are built from the combinations seen, nothing else

    def __init__(self, columns: list[str]) -> None:
        self.names = list(columns)
        self.state_: dict[str, Any] = {}

    def columns(self) -> list[str]:
        return list(self.names)

    def replaces(self) -> list[str]:
        return list(self.names)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "columns": list(self.names)}

    def describe(self) -> str:
        return f"fixed combinations of {', '.join(self.names)}"

    def problems(self, metadata: Metadata) -> list[str]:
        out = super().problems(metadata)
        if len(self.names) < 2 or len(set(self.names)) != len(self.names):
            out.append(f"constraint {self.describe()}: needs two or more different columns")
        for column in self.names:
            kind = metadata.columns[column].kind if column in metadata.columns else None
            if kind in REGENERATED_KINDS | DATE_KINDS:
                out.append(
                    f"constraint {self.describe()}: {column!r} is {kind}; use categorical, "
                    "boolean or numerical columns"
                )
        return out

    def check(self, rows: pd.DataFrame, metadata: Metadata) -> np.ndarray:
        combos = self.state_.get("combinations", [])
        if not combos:
            return np.ones(len(rows), dtype=bool)
        seen = {tuple(_plain(v) for v in combo) for combo in combos}
        columns = [[_plain(v) for v in rows[c].tolist()] for c in self.names]
        return np.fromiter(
            (row in seen for row in zip(*columns, strict=True)), dtype=bool, count=len(rows)
        )

    def fit(self, data: pd.DataFrame, metadata: Metadata) -> bool:
        keys = _row_keys(data, self.names)
        first: dict[tuple[str, ...], int] = {}
        for i, key in enumerate(keys):
            first.setdefault(key, i)
        positions = list(first.values())
        combos = [[json_value(_none(data[c].iloc[i])) for c in self.names] for i in positions]
        from lookalike.transform import _output_dtype

        self.state_ = {
            "combinations": combos,
            "dtypes": [_output_dtype(data[c]) for c in self.names],
        }
        return True

    def transform(
        self, frame: pd.DataFrame, columns: dict[str, Column]
    ) -> tuple[pd.DataFrame, dict[str, Column]]:
        lookup = {
            tuple(category_key(v) for v in combo): i
            for i, combo in enumerate(self.state_["combinations"])
        }
        codes = np.array([lookup[k] for k in _row_keys(frame, self.names)], dtype=np.int64)
        name = "+".join(self.names) + "#combo"
        while name in columns:
            name += "#"
        self.state_["name"] = name
        n_combos = len(self.state_["combinations"])
        column = (
            Column(name, "categorical", n_categories=n_combos)
            if n_combos > 1
            else Column(name, "constant", value=0)
        )
        return _replace(frame, columns, self.names, name, pd.Series(codes), column)

    def reverse(self, rows: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
        name = self.state_["name"]
        combos = self.state_["combinations"]
        codes = pd.to_numeric(rows[name], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
        codes = np.clip(codes, 0, len(combos) - 1)
        rows = rows.drop(columns=[name])
        for j, (column, dtype) in enumerate(zip(self.names, self.state_["dtypes"], strict=True)):
            values = np.array([combo[j] for combo in combos], dtype=object)[codes]
            try:
                rows[column] = pd.Series(values, dtype=dtype, index=rows.index)
            except (TypeError, ValueError):
                rows[column] = pd.Series(values, dtype=object, index=rows.index)
        return rows

    def get_state(self) -> dict[str, Any]:
        return dict(self.state_)

    def set_state(self, state: dict[str, Any]) -> None:
        self.state_ = dict(state)


# ---------------------------------------------------------------------- formula
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
        rows[self.column] = _from_numbers(values, column, None, clip=False)
        return rows


# ---------------------------------------------------------------------- helpers
def _tolerance(column: Column, expected: np.ndarray) -> Any:
    if column.integer:
        step = 0.5
    elif column.decimals is not None:
        step = 0.5 * 10.0 ** (-column.decimals)
    else:
        step = 0.0
    return step + 1e-9 * np.maximum(1.0, np.abs(np.nan_to_num(expected)))


def _resolution(seconds: np.ndarray) -> float:
    for step in (86400.0, 3600.0, 60.0, 1.0):
        if np.all(np.mod(seconds, step) == 0):
            return step
    return 0.0


def _from_numbers(
    values: np.ndarray, column: Column, resolution: float | None, clip: bool = True
) -> pd.Series:
    """Numbers (or seconds) back into the column's written form."""
    if column.kind in DATE_KINDS:
        null = np.isnan(values)
        if resolution:
            values = np.round(values / resolution) * resolution
        stamps = pd.Series(
            pd.to_datetime(np.round(np.where(null, 0, values) * 1e9).astype("int64"), unit="ns")
        )
        if column.format:
            text = stamps.dt.strftime(column.format).astype(object)
            text[null] = None
            return text
        return stamps.mask(null)
    if clip and (column.min is not None or column.max is not None):
        lo = column.min if column.min is not None else -np.inf
        hi = column.max if column.max is not None else np.inf
        values = np.clip(values, lo, hi)
    if column.integer:
        return _as_integers(np.round(values))
    if column.decimals is not None:
        values = np.round(values, column.decimals)
    return pd.Series(values)


def _replace(
    frame: pd.DataFrame,
    columns: dict[str, Column],
    old: list[str],
    name: str,
    series: pd.Series,
    column: Column,
) -> tuple[pd.DataFrame, dict[str, Column]]:
    """Put `name` where the first of `old` was and drop the others."""
    position = list(frame.columns).index(old[0])
    frame = frame.drop(columns=old)
    frame.insert(min(position, frame.shape[1]), name, series.to_numpy())
    out: dict[str, Column] = {}
    for key, value in columns.items():
        if key == old[0]:
            out[name] = column
        elif key not in old:
            out[key] = value
    return frame, out


def _none(value: Any) -> Any:
    return None if is_missing(value) else value


def _plain(value: Any) -> Any:
    """Missing as None and text stripped, so combinations compare as `category_key` does."""
    value = _none(value)
    return value.strip() if isinstance(value, str) else value


def _row_keys(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, ...]]:
    parts = [frame[c].map(category_key).tolist() for c in columns]
    return list(zip(*parts, strict=True))
