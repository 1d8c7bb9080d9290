"""What a sequence model regenerates rather than learns: entity keys, ids and personal data of
the child rows, and the order column written back in its own type and format.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.kinds import PLAIN_NUMBER_KINDS
from lookalike.metadata import Column, Metadata, _string_pattern
from lookalike.sequences import tables as T
from lookalike.transform import NULL_SUFFIX, TableTransformer


class Regenerated:
    """Fitted on the training rows; `fill` turns sampled steps into the child table's rows."""

    key: str | None
    order_by: str | None
    keys: TableTransformer | None
    extras: TableTransformer | None
    order: TableTransformer | None
    missing: dict[str, float]
    types: dict[str, str]

    @classmethod
    def fit(
        cls,
        rows: pd.DataFrame,
        key: str | None,
        extras: list[str],
        meta: Metadata,
        order_column: Column | None,
        order_by: str | None,
    ) -> Regenerated:
        self = cls()
        self.key, self.order_by = key, order_by
        self.keys = None
        if key is not None:
            unique = pd.Series(pd.unique(rows[key].dropna()))
            column = _id_column(key, unique)
            self.keys = TableTransformer().fit(pd.DataFrame({key: unique}), Metadata({key: column}))
            if column.pattern == "int" and len(unique):  # new whole-number keys follow the real
                self.keys.columns_[key]["start"] = int(pd.to_numeric(unique).max()) + 1
        self.extras = None
        self.missing = {c: float(rows[c].isna().mean()) for c in extras}
        if extras:
            extra_meta = Metadata({c: meta.columns[c] for c in extras})
            self.extras = TableTransformer().fit(rows[extras], extra_meta)
        self.order = None
        if order_by is not None and order_column is not None:
            order_meta = Metadata({order_by: order_column})
            self.order = TableTransformer().fit(rows[[order_by]], order_meta)
        self.types = {c: _value_type(meta.columns[c]) for c in meta.columns}
        return self

    def new_keys(self, n: int, seed: int | None) -> np.ndarray:
        """N new entity keys in the pattern of the real ones, never a real one."""
        if self.keys is None:
            return np.arange(n, dtype=object)
        rng = np.random.default_rng(seed)
        encoded = pd.DataFrame(index=range(n))
        return np.asarray(self.keys.inverse_transform(encoded, rng)[self.key])

    def fill(
        self,
        steps: pd.DataFrame,
        keys: np.ndarray,
        first_row: int,
        entropy: int,
        rng: np.random.Generator,
    ) -> pd.DataFrame:
        """Key, order column, ids and personal data for sampled steps (`__entity` = position
        of the entity in `keys`); value columns in their own types.
        """
        out = steps.drop(columns=["__entity", T.STEP, T.ORDER])
        for name, kind in self.types.items():
            if name in out:
                out[name] = _as_type(out[name], kind)
        if self.key is not None:
            out[self.key] = keys[steps["__entity"].to_numpy()]
        if self.order is not None and self.order_by is not None:
            out[self.order_by] = self._order(steps[T.ORDER].to_numpy(dtype=float))
        if self.extras is not None:
            encoded = pd.DataFrame(index=range(len(steps)))
            for name, share in self.missing.items():
                encoded[name + NULL_SUFFIX] = (rng.random(len(steps)) < share).astype(np.int64)
            extra = self.extras.inverse_transform(encoded, rng, ids=False)
            extra = self.extras.assign_ids(extra, first_row, entropy, rng)
            for name in self.missing:
                out[name] = extra[name].to_numpy()
        return out.reset_index(drop=True)

    def _order(self, numbers: np.ndarray) -> np.ndarray:
        """The order column in its type and format; not clipped to the training range, so a
        sequence that runs past the last real value keeps moving forward.
        """
        assert self.order is not None and self.order_by is not None
        column = self.order.metadata_.columns[self.order_by]
        state = self.order.columns_[self.order_by]
        if column.kind in PLAIN_NUMBER_KINDS:
            if column.integer:
                return np.round(numbers).astype(np.int64)
            return np.round(numbers, column.decimals) if column.decimals is not None else numbers
        if state.get("resolution"):
            numbers = np.round(numbers / state["resolution"]) * state["resolution"]
        stamps = pd.Series(pd.to_datetime(np.round(numbers * 1e9).astype("int64"), unit="ns"))
        if state.get("tz"):
            stamps = stamps.dt.tz_localize("UTC").dt.tz_convert(state["tz"])
        if state.get("format"):
            return stamps.dt.strftime(state["format"]).to_numpy(dtype=object)
        return stamps.to_numpy()

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "order_by": self.order_by,
            "keys": None if self.keys is None else self.keys.get_state(),
            "extras": None if self.extras is None else self.extras.get_state(),
            "order": None if self.order is None else self.order.get_state(),
            "missing": self.missing,
            "types": self.types,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Regenerated:
        self = cls()
        self.key, self.order_by = state["key"], state["order_by"]
        self.missing, self.types = dict(state["missing"]), dict(state["types"])
        for name in ("keys", "extras", "order"):
            part = state[name]
            setattr(self, name, None if part is None else TableTransformer.from_state(part))
        return self


def _id_column(name: str, unique: pd.Series) -> Column:
    numbers = pd.to_numeric(unique, errors="coerce")
    if len(unique) and numbers.notna().all() and (numbers == numbers.round()).all():
        return Column(name, "id", pattern="int")
    text = unique.astype(str)
    return Column(name, "id", pattern=_string_pattern(text) if len(text) else None)


def _value_type(column: Column) -> str:
    if column.kind in PLAIN_NUMBER_KINDS:
        return "integer" if column.integer else "float"
    return "object"


def _as_type(values: pd.Series, kind: str) -> pd.Series:
    if kind == "object":
        return values.infer_objects()
    numbers = pd.to_numeric(values, errors="coerce")
    if kind == "integer":
        if numbers.isna().any():
            return numbers.round().astype("Int64")
        return numbers.round().astype(np.int64)
    return numbers.astype(float)
