"""Reversible encoding of a table into the numeric frame that every model learns from.

`TableTransformer.transform` turns the real table into an *encoded frame*:
    continuous columns  float64, no missing values (numbers; datetimes as seconds)
    discrete columns    int64 codes 0..size-1 (categories by frequency, missing = its own code;
                        `NAME#null` flags where a number or a date was missing)
Ids, PII and constant columns are not learned: `inverse_transform` regenerates them (ids unique in
the same pattern, PII as fakes of the same kind, constants as they were), and turns codes and
numbers back into the original types, ranges, decimals and datetime formats.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import ConditionError
from lookalike.ids import hash_ids, make_ids
from lookalike.metadata import Column, Metadata
from lookalike.pii.codes import code_size, decode_codes, encode_codes, fit_codes
from lookalike.values import NULL_KEY, category_keys, is_text, json_value, parse_datetimes, seconds

NULL_SUFFIX = "#null"


@dataclass(frozen=True)
class EncodedColumn:
    """One column of the encoded frame."""

    name: str  # encoded name (the source name, or SOURCE#null)
    source: str  # original column
    kind: str  # "continuous" or "discrete"
    size: int = 0  # number of codes for discrete columns


class TableTransformer:
    """Fit on a table and its metadata; encode to numbers and decode back losslessly in type."""

    def fit(self, data: pd.DataFrame, metadata: Metadata) -> TableTransformer:
        self.metadata_ = metadata
        self.columns_: dict[str, dict[str, Any]] = {}
        for name, column in metadata.columns.items():
            self.columns_[name] = _fit_column(data[name], column)
        return self

    # ------------------------------------------------------------------ schema
    @property
    def encoded_columns(self) -> list[EncodedColumn]:
        """The encoded frame's columns, in order."""
        out = []
        for name, column in self.metadata_.columns.items():
            state = self.columns_[name]
            if column.kind in ("numerical", "datetime"):
                out.append(EncodedColumn(name, name, "continuous"))
            elif column.kind in ("categorical", "boolean"):
                out.append(EncodedColumn(name, name, "discrete", len(state["categories"])))
            elif is_code(column):
                out.append(EncodedColumn(name, name, "discrete", code_size(state["codes"])))
            if state.get("has_null") and _null_flagged(column):
                out.append(EncodedColumn(name + NULL_SUFFIX, name, "discrete", 2))
        return out

    # ------------------------------------------------------------------ encode
    def transform(self, data: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        """Encode `data` (same columns as fitted) into the encoded frame.

        Missing numbers are filled with random observed values (drawn from `rng`) and flagged in
        `NAME#null`, so models see undistorted marginals and learn where values are missing.
        """
        out: dict[str, np.ndarray] = {}
        for name, column in self.metadata_.columns.items():
            state = self.columns_[name]
            series = data[name]
            if column.kind in ("numerical", "datetime"):
                values = _to_float(series, column)
                null = np.isnan(values)
                if null.any():
                    observed = values[~null]
                    if len(observed) == 0:
                        observed = np.array([state["fill"]])
                    values[null] = rng.choice(observed, size=int(null.sum()))
                out[name] = values
                if state.get("has_null"):
                    out[name + NULL_SUFFIX] = null.astype(np.int64)
            elif column.kind in ("categorical", "boolean"):
                out[name] = self.encode_categories(name, series)
            elif is_code(column):
                out[name] = encode_codes(state["codes"], series)
            elif state.get("has_null"):
                out[name + NULL_SUFFIX] = _is_missing(series).astype(np.int64)
        return pd.DataFrame(out, index=range(len(data)))

    def encode_categories(self, name: str, values: Any, strict: bool = False) -> np.ndarray:
        """Codes of category values; unseen values give -1 (or a ConditionError if strict)."""
        state = self.columns_[name]
        series = pd.Series(values).reset_index(drop=True)
        keys = category_keys(series)
        codes = pd.Index(state["keys"]).get_indexer(keys).astype(np.int64)
        if strict and (codes < 0).any():
            bad = series[codes < 0].iloc[0]
            raise ConditionError(f"no row with {name}={bad} in the training data.")
        return codes

    # ------------------------------------------------------------------ decode
    def inverse_transform(
        self, encoded: pd.DataFrame, rng: np.random.Generator, ids: bool = True
    ) -> pd.DataFrame:
        """Decode an encoded frame into a table with the original columns, types and formats.

        With `ids=False` id columns are left empty for `assign_ids` to fill once the rows are
        final (a model's sampler does that per chunk, after any rejection)."""
        n = len(encoded)
        out: dict[str, Any] = {}
        for name, column in self.metadata_.columns.items():
            state = self.columns_[name]
            null = (
                encoded[name + NULL_SUFFIX].to_numpy() == 1
                if state.get("has_null") and _null_flagged(column)
                else np.zeros(n, dtype=bool)
            )
            if column.kind == "numerical":
                out[name] = _decode_number(encoded[name].to_numpy(dtype=float), column, null)
            elif column.kind == "datetime":
                out[name] = _decode_datetime(encoded[name].to_numpy(dtype=float), state, null)
            elif column.kind in ("categorical", "boolean"):
                codes = np.clip(encoded[name].to_numpy().astype(np.int64), 0, None)
                codes = np.minimum(codes, len(state["categories"]) - 1)
                categories = np.array(state["categories"], dtype=object)
                out[name] = pd.Series(categories[codes], dtype=_dtype(state["dtype"]))
            elif column.kind == "constant":
                value = np.full(n, column.value, dtype=object)
                value[null] = None
                out[name] = pd.Series(value, dtype=_dtype(state["dtype"]))
            elif is_code(column):  # frequent values kept, patterns filled with digits and words
                codes = encoded[name].to_numpy().astype(np.int64)
                values = pd.Series(decode_codes(state["codes"], codes, rng), dtype=object)
                out[name] = _as_source_type(values, state["dtype"])
            elif column.kind == "id" and not ids:
                out[name] = pd.Series([None] * n, dtype=object)
            elif column.kind == "id":
                key = int(rng.integers(2**63))
                out[name] = pd.Series(make_ids(n, column.pattern, state, 0, key, rng))
            elif column.kind == "pii":
                from lookalike.pii.detect import fake_like

                # fakes in the real values' shapes, never equal to a real value
                state = {**state, "pii_kind": column.pii_kind or "text"}
                values = fake_like(state, n, rng)
                values[null] = None
                out[name] = _as_source_type(pd.Series(values, dtype=object), state["dtype"])
        return pd.DataFrame(out, index=range(n))

    def assign_ids(
        self, rows: pd.DataFrame, first_row: int, key: int, rng: np.random.Generator
    ) -> pd.DataFrame:
        """Give `rows` the ids of rows `first_row ..` of the call whose seed gave `key`: unique
        across all chunks of the call, whichever process draws them."""
        for name, column in self.metadata_.columns.items():
            if column.kind == "id" and name in rows:
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
        self = cls()
        self.metadata_ = Metadata.from_dict(state["metadata"])
        self.columns_ = state["columns"]
        return self


# ---------------------------------------------------------------------- per-column helpers
def is_code(column: Column) -> bool:
    """Codes and short text that are not personal (tickets, cabins, job titles): learned."""
    return column.kind == "pii" and column.pii_kind == "code"


def _null_flagged(column: Column) -> bool:
    """Whether a missing value gets a `#null` flag (categories and codes code it themselves)."""
    return column.kind not in ("categorical", "boolean") and not is_code(column)


def _is_missing(series: pd.Series) -> np.ndarray:
    missing = series.isna().to_numpy().copy()
    if is_text(series):
        missing |= series.astype(str).str.strip().eq("").to_numpy() & series.notna().to_numpy()
    return missing


def _fit_column(series: pd.Series, column: Column) -> dict[str, Any]:
    missing = _is_missing(series)
    state: dict[str, Any] = {"has_null": bool(missing.any()), "dtype": _output_dtype(series)}
    if column.kind in ("categorical", "boolean"):
        keys = pd.Series(category_keys(series))
        counts = keys.value_counts(sort=True)
        firsts = keys.drop_duplicates()
        first_value = dict(zip(firsts, series.iloc[firsts.index].tolist(), strict=True))
        ordered = list(counts.index)
        state["keys"] = ordered
        state["categories"] = [
            None if k == NULL_KEY else json_value(first_value[k]) for k in ordered
        ]
    elif column.kind == "datetime":
        parsed = parse_datetimes(series[~missing], column.format)
        stamps = seconds(parsed) if len(parsed) else np.array([0.0])
        state["fill"] = float(np.median(stamps))
        state["resolution"] = _resolution(stamps)
        state["format"] = column.format
        state["tz"] = str(parsed.dt.tz) if len(parsed) and parsed.dt.tz is not None else None
        state["min"], state["max"] = float(stamps.min()), float(stamps.max())
    elif column.kind == "numerical":
        values = pd.to_numeric(series[~missing], errors="coerce").to_numpy(dtype=float)
        state["fill"] = float(np.median(values)) if len(values) else 0.0
    elif column.kind == "id" and column.pattern != "int":
        # salted hashes of the real ids, so regenerated ids never repeat one
        values = series[~missing].astype(str).tolist()
        state["salt"] = hashlib.sha256("".join(values[:50]).encode()).hexdigest()[:16]
        state["taken"] = sorted(hash_ids(values, state["salt"]))
    elif column.kind == "id":
        values = pd.to_numeric(series[~missing], errors="coerce").to_numpy(dtype=float)
        state["start"] = int(values.min())
    elif is_code(column):
        state["codes"] = fit_codes(series)
    elif column.kind == "pii":
        from lookalike.pii.detect import fit_fakes

        # shapes (digit/letter slots, common tokens) and a coarse hash filter: no real value
        state.update(fit_fakes(series[~missing], column.pii_kind or "text"))
    return state


def _as_source_type(values: pd.Series, dtype: str) -> pd.Series:
    """Fakes of a column that was numeric (card numbers, ZIP codes) come back as numbers."""
    if dtype in ("str", "string"):
        return values.astype(_dtype(dtype))
    if dtype in ("int64", "Int64", "float64"):
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.notna().sum() == values.notna().sum():
            return numbers.astype("Int64" if dtype == "Int64" or numbers.isna().any() else dtype)
    return values


def _dtype(name: str) -> Any:
    """A stored dtype name as pandas takes it ("str" is pandas 3's text dtype on any version)."""
    return pd.StringDtype(na_value=np.nan) if name == "str" else name


def _output_dtype(series: pd.Series) -> str:
    """The pandas dtype to decode categories into, so 0/1 stays integer and True stays bool."""
    has_null = bool(series.isna().any())
    if isinstance(series.dtype, pd.StringDtype):  # pandas 3's default for text: "str"
        return "string" if series.dtype.na_value is pd.NA else "str"
    if pd.api.types.is_bool_dtype(series.dtype):
        return "boolean" if has_null else "bool"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "Int64" if has_null else "int64"
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.dropna()
        if len(values) and (values == values.round()).all():
            return "Int64"
        return "float64"
    return "object"


def _resolution(seconds: np.ndarray) -> float:
    for step in (86400.0, 3600.0, 60.0, 1.0):
        if np.all(np.mod(seconds, step) == 0):
            return step
    return 0.0


def _to_float(series: pd.Series, column: Column) -> np.ndarray:
    missing = _is_missing(series)
    if column.kind == "datetime":
        out = np.full(len(series), np.nan)
        parsed = parse_datetimes(series[~missing], column.format)
        out[~missing] = seconds(parsed)
        return out
    values = pd.to_numeric(series.where(~missing), errors="coerce").to_numpy(dtype=float)
    return values.copy()


def _decode_number(values: np.ndarray, column: Column, null: np.ndarray) -> pd.Series:
    lo = column.min if column.min is not None else -np.inf
    hi = column.max if column.max is not None else np.inf
    values = np.clip(values, lo, hi)
    if column.integer:
        values = np.round(values)
        if null.any():
            array = pd.array(np.where(null, 0, values).astype(np.int64), dtype="Int64")
            array[null] = pd.NA
            return pd.Series(array)
        return pd.Series(values.astype(np.int64))
    if column.decimals is not None:
        values = np.round(values, column.decimals)
    values = np.where(null, np.nan, values)
    return pd.Series(values)


def _decode_datetime(values: np.ndarray, state: dict[str, Any], null: np.ndarray) -> pd.Series:
    values = np.clip(values, state["min"], state["max"])
    if state["resolution"]:
        values = np.round(values / state["resolution"]) * state["resolution"]
    stamps = pd.Series(pd.to_datetime(np.round(values * 1e9).astype("int64"), unit="ns"))
    if state.get("tz"):
        stamps = stamps.dt.tz_localize("UTC").dt.tz_convert(state["tz"])
    if state["format"]:
        text = stamps.dt.strftime(state["format"]).astype(object)
        text[null] = None
        return text.astype(_dtype(state["dtype"])) if state["dtype"] in ("str", "string") else text
    return stamps.mask(null)
