"""One small codec per column kind: fit a column, encode it into numbers, decode numbers back.

`CODECS` maps every kind of `lookalike.kinds` to its codec; `codec_for(column)` picks one (a
"code" pii column — tickets, cabins, job titles — is learned, so it has its own codec). Adding a
kind means a Literal entry in lookalike.kinds plus a codec here; `TableTransformer` only loops.

A codec is a plain class with four methods and no state of its own:
    fit(series, column) -> state       the fitted facts: a JSON-safe dict, saved in model files
                                       as it is (files saved before keep loading)
    columns(column, state)             the per-column encoding decision: EncodedColumn records
    encode(series, column, state, rng) the encoded arrays, by encoded name
    decode(column, state, Decode)      the column again, in its original type
    facts(values, column)              what conditions may ask of the column: its values or range

Encoded frame: continuous columns are float64 without missing values (numbers; datetimes as
seconds); discrete columns are int64 codes 0..size-1; `NAME#null` flags where a number, a date
or a regenerated value was missing (categories and codes code missing themselves).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from lookalike.column import Column
from lookalike.ids import hash_ids, make_ids
from lookalike.kinds import DATE_KINDS, PERSONAL_KINDS, ColumnKind
from lookalike.pii.codes import code_size, decode_codes, encode_codes, fit_codes
from lookalike.values import (
    NULL_KEY,
    category_keys,
    date_resolution,
    is_text,
    json_value,
    parse_datetimes,
    seconds,
)

NULL_SUFFIX = "#null"
_resolution = date_resolution  # its old name here (sequences.tables imports it); use values'


@dataclass(frozen=True)
class EncodedColumn:
    """One column of the encoded frame."""

    name: str  # encoded name (the source name, or SOURCE#null)
    source: str  # original column
    kind: Literal["continuous", "discrete"]
    size: int = 0  # number of codes for discrete columns


State = dict[str, Any]  # a codec's fitted facts: JSON-safe, saved in model files as they are
Arrays = dict[str, np.ndarray]  # encoded arrays by encoded name
Generator = np.random.Generator


@dataclass(frozen=True)
class Decode:
    """What one decode call has: the encoded frame, where values are missing, the seed stream."""

    encoded: pd.DataFrame
    null: np.ndarray  # rows whose value is missing (from the NAME#null flag)
    rng: Generator
    ids: bool = True  # False: id columns left empty for TableTransformer.assign_ids
    sex: Any = None  # the decoded sex/gender column: names and first names follow it


class _Codec:
    """Shared parts: a kind that is not learned only flags where its values were missing."""

    flags_null = True  # whether a missing value gets a `NAME#null` flag

    def fit(self, series: pd.Series, column: Column) -> State:
        return base_state(series)

    def columns(self, column: Column, state: State) -> list[EncodedColumn]:
        return self._null_column(column, state)

    def encode(self, series: pd.Series, column: Column, state: State, rng: Generator) -> Arrays:
        if state.get("has_null"):
            return {column.name + NULL_SUFFIX: is_missing(series).astype(np.int64)}
        return {}

    def decode(self, column: Column, state: State, job: Decode) -> pd.Series:
        raise NotImplementedError

    def facts(self, values: pd.Series, column: Column) -> State:
        """What `sample(conditions=...)` may ask, from the present (not missing) values."""
        return {}

    def missing(self, series: pd.Series, column: Column) -> np.ndarray:
        """Where the column's values are missing (blank text included)."""
        return is_missing(series)

    def _null_column(self, column: Column, state: State) -> list[EncodedColumn]:
        if state.get("has_null") and self.flags_null:
            return [EncodedColumn(column.name + NULL_SUFFIX, column.name, "discrete", 2)]
        return []


class NumberCodec(_Codec):
    """numerical: floats; missing filled with observed values and flagged; decoded in range."""

    def fit(self, series: pd.Series, column: Column) -> State:
        state = base_state(series)
        missing = is_missing(series)
        values = pd.to_numeric(series[~missing], errors="coerce").to_numpy(dtype=float)
        state["fill"] = float(np.median(values)) if len(values) else 0.0
        return state

    def columns(self, column: Column, state: State) -> list[EncodedColumn]:
        learned = EncodedColumn(column.name, column.name, "continuous")
        return [learned, *self._null_column(column, state)]

    def encode(self, series: pd.Series, column: Column, state: State, rng: Generator) -> Arrays:
        values = to_float(series, column)
        null = np.isnan(values)
        if null.any():
            observed = values[~null]
            if len(observed) == 0:
                observed = np.array([state["fill"]])
            values[null] = rng.choice(observed, size=int(null.sum()))
        out = {column.name: values}
        if state.get("has_null"):
            out[column.name + NULL_SUFFIX] = null.astype(np.int64)
        return out

    def decode(self, column: Column, state: State, job: Decode) -> pd.Series:
        return decode_number(job.encoded[column.name].to_numpy(dtype=float), column, job.null)

    def facts(self, values: pd.Series, column: Column) -> State:
        if not len(values):
            return {}
        numbers = to_float(values, column)
        return {"min": float(np.nanmin(numbers)), "max": float(np.nanmax(numbers))}


class DatetimeCodec(NumberCodec):
    """datetime: seconds since 1970; decoded at the observed resolution, format and zone."""

    def fit(self, series: pd.Series, column: Column) -> State:
        state = base_state(series)
        missing = self.missing(series, column)  # junk cells ("n/a?", see column_detect) too
        state["has_null"] = bool(missing.any())
        parsed = parse_datetimes(series[~missing], column.format)
        stamps = seconds(parsed) if len(parsed) else np.array([0.0])
        state["fill"] = float(np.median(stamps))
        state["resolution"] = date_resolution(stamps)
        state["format"] = column.format
        state["tz"] = str(parsed.dt.tz) if len(parsed) and parsed.dt.tz is not None else None
        state["min"], state["max"] = float(stamps.min()), float(stamps.max())
        return state

    def missing(self, series: pd.Series, column: Column) -> np.ndarray:
        """Missing values and the few junk cells ("n/a?") that do not parse as dates."""
        missing = is_missing(series)
        missing[~missing] = parse_datetimes(series[~missing], column.format).isna().to_numpy()
        return missing

    def decode(self, column: Column, state: State, job: Decode) -> pd.Series:
        return decode_datetime(job.encoded[column.name].to_numpy(dtype=float), state, job.null)


class CategoryCodec(_Codec):
    """categorical, boolean: codes by frequency (missing is a code); decoded to the first value."""

    flags_null = False

    def fit(self, series: pd.Series, column: Column) -> State:
        state = base_state(series)
        keys = pd.Series(category_keys(series))
        counts = keys.value_counts(sort=True)
        firsts = keys.drop_duplicates()
        first_value = dict(zip(firsts, series.iloc[firsts.index].tolist(), strict=True))
        ordered = list(counts.index)
        state["keys"] = ordered
        state["categories"] = [
            None if k == NULL_KEY else json_value(first_value[k]) for k in ordered
        ]
        return state

    def columns(self, column: Column, state: State) -> list[EncodedColumn]:
        return [EncodedColumn(column.name, column.name, "discrete", len(state["categories"]))]

    def encode(self, series: pd.Series, column: Column, state: State, rng: Generator) -> Arrays:
        return {column.name: category_codes(state, series)}

    def decode(self, column: Column, state: State, job: Decode) -> pd.Series:
        codes = np.clip(job.encoded[column.name].to_numpy().astype(np.int64), 0, None)
        codes = np.minimum(codes, len(state["categories"]) - 1)
        categories = np.array(state["categories"], dtype=object)
        return pd.Series(categories[codes], dtype=dtype_of(state["dtype"]))

    def facts(self, values: pd.Series, column: Column) -> State:
        return {"values": [json_value(v) for v in pd.unique(values)]}


class ConstantCodec(_Codec):
    """constant: not learned; the one value again (missing where the flag says)."""

    def decode(self, column: Column, state: State, job: Decode) -> pd.Series:
        value = np.full(len(job.encoded), column.value, dtype=object)
        value[job.null] = None
        return pd.Series(value, dtype=dtype_of(state["dtype"]))

    def facts(self, values: pd.Series, column: Column) -> State:
        return {"values": [json_value(column.value)]}


class IdCodec(_Codec):
    """id: not learned; unique keys in the same pattern, never one of the real ones."""

    def fit(self, series: pd.Series, column: Column) -> State:
        state = base_state(series)
        missing = is_missing(series)
        if column.pattern != "int":
            # salted hashes of the real ids, so regenerated ids never repeat one
            values = series[~missing].astype(str).tolist()
            state["salt"] = hashlib.sha256("".join(values[:50]).encode()).hexdigest()[:16]
            state["taken"] = sorted(hash_ids(values, state["salt"]))
        else:
            numbers = pd.to_numeric(series[~missing], errors="coerce").to_numpy(dtype=float)
            state["start"] = int(numbers.min())
        return state

    def decode(self, column: Column, state: State, job: Decode) -> pd.Series:
        n = len(job.encoded)
        if not job.ids:  # left empty for TableTransformer.assign_ids once the rows are final
            return pd.Series([None] * n, dtype=object)
        key = int(job.rng.integers(2**63))
        return pd.Series(make_ids(n, column.pattern, state, 0, key, job.rng))


class PiiCodec(_Codec):
    """pii: not learned; fakes in the real values' shapes, never equal to a real value."""

    def fit(self, series: pd.Series, column: Column) -> State:
        from lookalike.pii.column_fakes import fit_fakes

        state = base_state(series)
        missing = is_missing(series)
        # shapes (digit/letter slots, common tokens) and a coarse hash filter: no real value
        state.update(fit_fakes(series[~missing], column.pii_kind or "text"))
        return state

    def decode(self, column: Column, state: State, job: Decode) -> pd.Series:
        from lookalike.pii.column_fakes import fake_like

        state = {**state, "pii_kind": column.pii_kind or "text"}
        values = fake_like(state, len(job.encoded), job.rng, sex=job.sex)
        values[job.null] = None
        return as_source_type(pd.Series(values, dtype=object), state["dtype"])


class CodeCodec(_Codec):
    """pii of pii_kind "code" (tickets, cabins, job titles): frequent values and patterns."""

    flags_null = False

    def fit(self, series: pd.Series, column: Column) -> State:
        return {**base_state(series), "codes": fit_codes(series)}

    def columns(self, column: Column, state: State) -> list[EncodedColumn]:
        return [EncodedColumn(column.name, column.name, "discrete", code_size(state["codes"]))]

    def encode(self, series: pd.Series, column: Column, state: State, rng: Generator) -> Arrays:
        return {column.name: encode_codes(state["codes"], series)}

    def decode(self, column: Column, state: State, job: Decode) -> pd.Series:
        codes = job.encoded[column.name].to_numpy().astype(np.int64)
        values = pd.Series(decode_codes(state["codes"], codes, job.rng), dtype=object)
        return as_source_type(values, state["dtype"])


CODECS: dict[ColumnKind, _Codec] = {
    "numerical": NumberCodec(),
    "datetime": DatetimeCodec(),
    "categorical": CategoryCodec(),
    "boolean": CategoryCodec(),
    "constant": ConstantCodec(),
    "id": IdCodec(),
    "pii": PiiCodec(),
}
CODE_CODEC = CodeCodec()


def codec_for(column: Column) -> _Codec:
    """The codec of a column: by its kind (a "code" pii column is learned by CodeCodec)."""
    return CODE_CODEC if is_code(column) else CODECS[column.kind]


def is_code(column: Column) -> bool:
    """Codes and short text that are not personal (tickets, cabins, job titles): learned."""
    return column.kind in PERSONAL_KINDS and column.pii_kind == "code"


# ---------------------------------------------------------------------- value helpers
def base_state(series: pd.Series) -> State:
    """What every codec keeps: whether values were missing and the dtype to decode into."""
    return {"has_null": bool(is_missing(series).any()), "dtype": output_dtype(series)}


def is_missing(series: pd.Series) -> np.ndarray:
    """Missing values, blank text included."""
    missing = series.isna().to_numpy().copy()
    if is_text(series):
        missing |= series.astype(str).str.strip().eq("").to_numpy() & series.notna().to_numpy()
    return missing


def category_codes(state: State, values: Any) -> np.ndarray:
    """Codes of category values under a fitted category state; unseen values give -1."""
    keys = category_keys(pd.Series(values).reset_index(drop=True))
    return pd.Index(state["keys"]).get_indexer(keys).astype(np.int64)


def as_source_type(values: pd.Series, dtype: str) -> pd.Series:
    """Fakes of a column that was numeric (card numbers, ZIP codes) come back as numbers."""
    if dtype in ("str", "string"):
        return values.astype(dtype_of(dtype))
    if dtype in ("int64", "Int64", "float64"):
        numbers = pd.to_numeric(values, errors="coerce")
        if numbers.notna().sum() == values.notna().sum():
            return numbers.astype("Int64" if dtype == "Int64" or numbers.isna().any() else dtype)
    return values


def dtype_of(name: str) -> Any:
    """A stored dtype name as pandas takes it ("str" is pandas 3's text dtype on any version)."""
    return pd.StringDtype(na_value=np.nan) if name == "str" else name


def output_dtype(series: pd.Series) -> str:
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


def to_float(series: pd.Series, column: Column) -> np.ndarray:
    """A number or date column as float64 (dates in seconds), missing as NaN."""
    missing = is_missing(series)
    if column.kind in DATE_KINDS:
        out = np.full(len(series), np.nan)
        parsed = parse_datetimes(series[~missing], column.format)
        out[~missing] = seconds(parsed)
        return out
    values = pd.to_numeric(series.where(~missing), errors="coerce").to_numpy(dtype=float)
    return values.copy()


def decode_number(values: np.ndarray, column: Column, null: np.ndarray) -> pd.Series:
    """Numbers back in the observed range, as whole numbers or at the written decimals."""
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


def decode_datetime(values: np.ndarray, state: State, null: np.ndarray) -> pd.Series:
    """Seconds back to timestamps (or text in the column's format) at the observed resolution."""
    values = np.clip(values, state["min"], state["max"])
    if state["resolution"]:
        values = np.round(values / state["resolution"]) * state["resolution"]
    stamps = pd.Series(pd.to_datetime(np.round(values * 1e9).astype("int64"), unit="ns"))
    if state.get("tz"):
        stamps = stamps.dt.tz_localize("UTC").dt.tz_convert(state["tz"])
    if state["format"]:
        text = stamps.dt.strftime(state["format"]).astype(object)
        text[null] = None
        return (
            text.astype(dtype_of(state["dtype"])) if state["dtype"] in ("str", "string") else text
        )
    return stamps.mask(null)
