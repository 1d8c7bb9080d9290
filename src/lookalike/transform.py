"""Reversible encoding of a table into the numeric frame that every model learns from.

`TableTransformer.transform` turns the real table into an *encoded frame*:
    continuous columns  float64, no missing values (numbers; datetimes as seconds)
    discrete columns    int64 codes 0..size-1 (categories by frequency, missing = its own code;
                        `NAME#null` flags where a number or a date was missing)
Ids, PII and constant columns are not learned: `inverse_transform` regenerates them (ids unique in
the same pattern, PII as fakes of the same kind, constants as they were), and turns codes and
numbers back into the original types, ranges, decimals and datetime formats.

What each kind does lives in its codec (lookalike.codecs); this module only loops over columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.codecs import (
    NULL_SUFFIX,
    Decode,
    EncodedColumn,
    category_codes,
    codec_for,
    is_code,
)
from lookalike.codecs import output_dtype as _output_dtype
from lookalike.codecs import to_float as _to_float
from lookalike.errors import ConditionError
from lookalike.ids import make_ids
from lookalike.kinds import CATEGORY_KINDS, KEY_KINDS, PERSONAL_KINDS
from lookalike.metadata import Metadata

# old names other modules import from here
__all__ = [
    "NULL_SUFFIX",
    "EncodedColumn",
    "TableTransformer",
    "_output_dtype",
    "_to_float",
    "is_code",
]


class TableTransformer:
    """Fit on a table and its metadata; encode to numbers and decode back losslessly in type."""

    def fit(self, data: pd.DataFrame, metadata: Metadata) -> TableTransformer:
        """Learn each column's encoding from `data` under `metadata`; returns self."""
        self.metadata_ = metadata
        self.columns_: dict[str, dict[str, Any]] = {}
        for name, column in metadata.columns.items():
            self.columns_[name] = codec_for(column).fit(data[name], column)
        return self

    # ------------------------------------------------------------------ schema
    @property
    def encoded_columns(self) -> list[EncodedColumn]:
        """The encoded frame's columns, in order."""
        out = []
        for name, column in self.metadata_.columns.items():
            out.extend(codec_for(column).columns(column, self.columns_[name]))
        return out

    # ------------------------------------------------------------------ encode
    def transform(self, data: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        """Encode `data` (same columns as fitted) into the encoded frame.

        Missing numbers are filled with random observed values (drawn from `rng`) and flagged in
        `NAME#null`, so models see undistorted marginals and learn where values are missing.
        """
        out: dict[str, np.ndarray] = {}
        for name, column in self.metadata_.columns.items():
            out.update(codec_for(column).encode(data[name], column, self.columns_[name], rng))
        return pd.DataFrame(out, index=range(len(data)))

    def encode_categories(self, name: str, values: Any, strict: bool = False) -> np.ndarray:
        """Codes of category values; unseen values give -1 (or a ConditionError if strict)."""
        codes = category_codes(self.columns_[name], values)
        if strict and (codes < 0).any():
            bad = pd.Series(values).reset_index(drop=True)[codes < 0].iloc[0]
            raise ConditionError(f"no row with {name}={bad} in the training data.")
        return codes

    # ------------------------------------------------------------------ decode
    def inverse_transform(
        self, encoded: pd.DataFrame, rng: np.random.Generator, ids: bool = True
    ) -> pd.DataFrame:
        """Decode an encoded frame into a table with the original columns, types and formats.

        With `ids=False` id columns are left empty for `assign_ids` to fill once the rows are
        final (a model's sampler does that per chunk, after any rejection).
        """
        n = len(encoded)
        out: dict[str, Any] = {}
        named = self._sex_named()  # names that follow a sex column: decoded after it
        for name in self.metadata_.columns:
            if name not in named[1:]:
                out[name] = self._decode(name, encoded, rng, ids, None)
        if named:
            sex = out[named[0]].to_numpy(dtype=object)
            for name in named[1:]:
                out[name] = self._decode(name, encoded, rng, ids, sex)
        return pd.DataFrame({name: out[name] for name in self.metadata_.columns}, index=range(n))

    def _decode(
        self, name: str, encoded: pd.DataFrame, rng: np.random.Generator, ids: bool, sex: Any
    ) -> pd.Series:
        column, state = self.metadata_.columns[name], self.columns_[name]
        codec = codec_for(column)
        null = (
            encoded[name + NULL_SUFFIX].to_numpy() == 1
            if state.get("has_null") and codec.flags_null
            else np.zeros(len(encoded), dtype=bool)
        )
        return codec.decode(column, state, Decode(encoded, null, rng, ids, sex))

    def _sex_named(self) -> list[str]:
        """[the sex/gender column, the name and first-name columns that follow it], or []."""
        from lookalike.pii.sex import pick_sex_column

        columns = self.metadata_.columns
        names = [
            n
            for n, c in columns.items()
            if c.kind in PERSONAL_KINDS and c.pii_kind in ("name", "first_name")
        ]
        if not names:
            return []
        candidates = {
            n: self.columns_[n].get("categories") or []
            for n, c in columns.items()
            if c.kind in CATEGORY_KINDS
        }
        sex = pick_sex_column({n: v for n, v in candidates.items() if 0 < len(v) <= 10})
        return [] if sex is None else [sex, *names]

    def assign_ids(
        self, rows: pd.DataFrame, first_row: int, key: int, rng: np.random.Generator
    ) -> pd.DataFrame:
        """Give `rows` the ids of rows `first_row ..` of the call whose seed gave `key`: unique
        across all chunks of the call, whichever process draws them.
        """
        for name, column in self.metadata_.columns.items():
            if column.kind in KEY_KINDS and name in rows:
                state = self.columns_[name]
                ids = make_ids(len(rows), column.pattern, state, first_row, key, rng)
                rows[name] = pd.Series(ids, index=rows.index)
        return rows

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """JSON-safe state: per-column categories, dtypes and facts."""
        return {"metadata": self.metadata_.to_dict(), "columns": self.columns_}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TableTransformer:
        """A fitted transformer from `get_state()`."""
        self = cls()
        self.metadata_ = Metadata.from_dict(state["metadata"])
        self.columns_ = state["columns"]
        return self
