"""`fixed_combinations`: only the combinations of some columns seen in the data (a city with
its country), learned as one categorical column of the combinations.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.codecs import output_dtype
from lookalike.column import Column
from lookalike.constraints.checks import Constraint
from lookalike.constraints.replaced import replace_columns
from lookalike.kinds import DATE_KINDS, REGENERATED_KINDS
from lookalike.metadata import Metadata
from lookalike.values import category_key, is_missing, json_value


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
        self.state_ = {
            "combinations": combos,
            "dtypes": [output_dtype(data[c]) for c in self.names],
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
        return replace_columns(frame, columns, self.names, name, pd.Series(codes), column)

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


def _none(value: Any) -> Any:
    return None if is_missing(value) else value


def _plain(value: Any) -> Any:
    """Missing as None and text stripped, so combinations compare as `category_key` does."""
    value = _none(value)
    return value.strip() if isinstance(value, str) else value


def _row_keys(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, ...]]:
    parts = [frame[c].map(category_key).tolist() for c in columns]
    return list(zip(*parts, strict=True))
