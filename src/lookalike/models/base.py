"""The contract every model keeps: fit a table, sample rows, save and load.

A model subclass implements four small hooks on the *encoded frame* of `lookalike.transform`
(continuous float columns and integer-coded discrete columns):

    _fit(encoded, rng)           learn from the encoded training frame
    _sample(n, rng)              return n encoded rows
    _get_state() / _set_state()  learned state as JSON-safe values and numpy arrays

The base class does the rest: metadata detection and validation, encoding and decoding, seeds,
chunked sampling, conditions (by rejection when a model cannot condition natively) and files.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lookalike.conditions import (
    Condition,
    Interval,
    check_conditions,
    column_facts,
    condition_mask,
)
from lookalike.constraints import ConstraintSet, to_spec
from lookalike.errors import ConditionError, DataError, NotFittedError
from lookalike.metadata import Metadata
from lookalike.transform import TableTransformer
from lookalike.values import CHUNK_ROWS

# CHUNK_ROWS (values): rows per sampling chunk; each chunk has its own seed derived from the call's
REJECTION_BUDGET = 500  # candidate rows drawn per wanted row before a condition is called too rare
BUDGET_BASE = 100_000  # plus this many, so a few rows at a 0.1% rate still come out

Conditions = dict[str, Any]


class Model:
    """Base of all models. Subclasses set `name` (the registry key) and implement the hooks."""

    name: ClassVar[str] = ""

    def __init__(self, *, random_state: int | None = None) -> None:
        self.random_state = random_state

    # ------------------------------------------------------------------ parameters
    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as given."""
        names = [
            p.name
            for p in inspect.signature(type(self).__init__).parameters.values()
            if p.name != "self" and p.kind is p.KEYWORD_ONLY
        ]
        return {name: getattr(self, name) for name in names}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    # ------------------------------------------------------------------ fit
    def fit(self, data: Any, metadata: Metadata | None = None) -> Model:
        """Learn from `data` (a DataFrame or a .csv/.parquet path); returns the fitted model."""
        data = as_frame(data)
        metadata = metadata if metadata is not None else Metadata.detect(data)
        metadata.validate(data)
        constraints = ConstraintSet.from_metadata(metadata)
        # constraints transform the table first (e.g. `end` -> `end - start`), so the model
        # learns a table where breaking them is impossible; `_decode` undoes it
        table, inner = constraints.fit(data, metadata) if constraints else (data, metadata)
        rng = np.random.default_rng(self.random_state)
        self.transformer_ = TableTransformer().fit(table, inner)
        encoded = self.transformer_.transform(table, rng)
        if encoded.shape[1]:  # else every column is an id, PII or constant: nothing to learn
            self._fit(encoded, rng)
        self.constraints_ = constraints
        self.facts_ = column_facts(data, metadata)
        self.metadata_ = metadata
        return self

    @property
    def is_fitted(self) -> bool:
        """True once `fit` has run (or a saved state was loaded)."""
        return hasattr(self, "metadata_")

    # ------------------------------------------------------------------ sample
    def sample(
        self,
        n: int,
        *,
        conditions: Conditions | pd.DataFrame | None = None,
        random_state: int | np.random.Generator | None = None,
    ) -> pd.DataFrame:
        """Sample `n` new rows; `conditions` fixes column values.

        Conditions: {"Class": 1} (a value), {"age": (60, None)} (a range, ends included; use
        `lookalike.conditions.Interval` for strict ends), {"score": None} (missing), or a
        DataFrame of partial rows (one sampled row per row, in order; NaN leaves a cell free,
        and `n` must equal its length). Every row also satisfies the metadata's constraints.
        Conditions the training data never had raise ConditionError before anything is drawn.
        The same `random_state` (or the model's own when None) gives the same rows.

        Example:
            >>> model.sample(100, conditions={"Class": 1, "Amount": (100, None)})  # doctest: +SKIP
        """
        frames = list(self.sample_chunks(n, conditions=conditions, random_state=random_state))
        if not frames:
            return self._empty()
        return pd.concat(frames, ignore_index=True)

    def sample_chunks(
        self,
        n: int,
        *,
        conditions: Conditions | pd.DataFrame | None = None,
        random_state: int | np.random.Generator | None = None,
        chunk_rows: int = CHUNK_ROWS,
        start_chunk: int = 0,
    ) -> Iterator[pd.DataFrame]:
        """Yield `n` rows in chunks of `chunk_rows`, so memory stays flat for any `n`.

        Chunk i is drawn from a seed derived from (seed, i), so any worker can draw any chunk and
        the rows for a seed do not depend on how the work is split (a `unique` constraint is the
        exception: it is kept across the chunks of one call, so later chunks avoid earlier values).
        Conditions are checked before the first chunk: an impossible one raises here.
        """
        n = _check_n(n)
        self.check_conditions(conditions, n)
        return self._chunks(n, conditions, self._entropy(random_state), chunk_rows, start_chunk)

    def check_conditions(
        self, conditions: Conditions | pd.DataFrame | None, n: int | None = None
    ) -> None:
        """Raise ConditionError now if `conditions` ask for what the training data never had.

        Example:
            >>> model.check_conditions({"Class": 7})  # doctest: +SKIP
            ConditionError: no row with Class=7 in the training data (Class takes 0, 1).
        """
        self._check_fitted()
        if isinstance(conditions, pd.DataFrame):
            self._check_partial_rows(conditions, len(conditions) if n is None else n)
        else:
            check_conditions(conditions or {}, self.metadata_, self.facts_)

    @property
    def keeps_state_across_chunks(self) -> bool:
        """True when chunks of one call must be drawn in order by one process (a `unique`
        constraint remembers the values already given).
        """
        return bool(self.is_fitted and self.constraints_ and self.constraints_.unique_columns)

    def _chunks(
        self,
        n: int,
        conditions: Conditions | pd.DataFrame | None,
        entropy: int,
        chunk_rows: int,
        start_chunk: int,
    ) -> Iterator[pd.DataFrame]:
        seen: dict[str, Any] = {}  # values of unique columns already given in this call
        for index, start in enumerate(range(0, n, chunk_rows), start=start_chunk):
            size = min(chunk_rows, n - start)
            rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(index,)))
            if isinstance(conditions, pd.DataFrame):
                part = conditions.iloc[start : start + size]
                rows = self._sample_partial_rows(part, rng, seen)
            else:
                rows = self._sample_rows(size, conditions or {}, rng, seen)
            yield self.transformer_.assign_ids(rows, index * chunk_rows, entropy, rng)

    def _entropy(self, random_state: int | np.random.Generator | None) -> int:
        seed = self.random_state if random_state is None else random_state
        if isinstance(seed, np.random.Generator):
            return int(seed.integers(2**63))
        if seed is None:
            return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
        return int(seed)

    def _sample_rows(
        self,
        n: int,
        conditions: Conditions,
        rng: np.random.Generator,
        seen: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        checked = check_conditions(conditions, self.metadata_, self.facts_)
        if not checked and not self.constraints_:
            return self._decode(self._draw(n, rng), rng)
        return self._reject(n, checked, rng, {} if seen is None else seen)

    def _reject(
        self,
        n: int,
        checked: list[Condition],
        rng: np.random.Generator,
        seen: dict[str, Any],
    ) -> pd.DataFrame:
        """Draw batches (natively conditioned when the model can) and keep the rows that meet
        every condition and constraint, until `n` rows or the budget runs out.
        """
        native = self._native_conditions(checked)
        budget = REJECTION_BUDGET * n + BUDGET_BASE
        failures = {c.describe(): 0 for c in checked}
        kept: list[pd.DataFrame] = []
        have, drawn = 0, 0
        batch = n if native is not None or not checked else max(n, 1000)
        while have < n:
            rows = None
            if native is not None:
                encoded = self._sample_conditioned(batch, native, rng)
                if encoded is None:
                    native = None
                else:
                    rows = self._decode(encoded, rng)
            if rows is None:
                rows = self._decode(self._draw(batch, rng), rng)
            drawn += batch
            ok = np.ones(len(rows), dtype=bool)
            for condition in checked:
                met = condition_mask([condition], self.metadata_, rows)
                failures[condition.describe()] += int((~met).sum())
                ok &= met
            if self.constraints_:
                met = self.constraints_.mask(rows)
                failures["the constraints"] = failures.get("the constraints", 0) + int(
                    (ok & ~met).sum()
                )
                ok &= met
            rows = rows[ok]
            if self.constraints_ and self.constraints_.unique_columns:
                before = len(rows)
                rows = self.constraints_.keep_unique(rows, seen)
                failures["uniqueness"] = failures.get("uniqueness", 0) + before - len(rows)
            kept.append(rows)
            have += len(rows)
            hopeless = drawn * 10 >= budget and have * budget < n * drawn / 2  # won't make half
            if have < n and (drawn >= budget or hopeless):
                raise ConditionError(_too_rare(n, have, drawn, budget, failures))
            rate = max(have, 1) / drawn
            batch = min(max(64, int((n - have) / rate * 1.2)), 500_000, max(budget - drawn, 64))
        return pd.concat(kept, ignore_index=True).iloc[:n].reset_index(drop=True)

    def _native_conditions(self, checked: list[Condition]) -> Conditions | None:
        """The conditions a model's `_sample_conditioned` hook sees, or None for none.

        Only columns the model learns as they are (not transformed by a constraint); values are
        as in the training data (a category as stored, a number, a Timestamp) or an Interval.
        """
        if type(self)._sample_conditioned is Model._sample_conditioned:
            return None
        inner = self.transformer_.metadata_.columns
        hidden = self.constraints_.transformed_columns if self.constraints_ else set()
        out: Conditions = {}
        for c in checked:
            if c.missing or c.column not in inner or c.column in hidden:
                continue
            if c.kind not in ("categorical", "boolean", "numerical", "datetime"):
                continue
            if c.kind == "datetime":
                value = (
                    _stamp(c.value)
                    if c.interval is None
                    else Interval(
                        _stamp(c.interval.low),
                        _stamp(c.interval.high),
                        low_closed=c.interval.low_closed,
                        high_closed=c.interval.high_closed,
                    )
                )
            else:
                value = c.value if c.interval is None else c.interval
            out[c.column] = value
        return out or None

    def _check_partial_rows(self, frame: pd.DataFrame, n: int) -> None:
        if n != len(frame):
            raise ConditionError(
                f"the conditions frame has {len(frame)} rows, so ask for n={len(frame)}: one "
                "sampled row per row of conditions."
            )
        for key in dict.fromkeys(_partial_keys(frame)):
            check_conditions(dict(key), self.metadata_, self.facts_)

    def _sample_partial_rows(
        self, frame: pd.DataFrame, rng: np.random.Generator, seen: dict[str, Any]
    ) -> pd.DataFrame:
        """One row per row of `frame`, grouped by distinct condition sets, in frame order."""
        groups: dict[tuple[Any, ...], list[int]] = {}
        for position, key in enumerate(_partial_keys(frame)):
            groups.setdefault(key, []).append(position)
        parts = []
        for key, positions in groups.items():
            child = np.random.default_rng(int(rng.integers(2**63)))
            rows = self._sample_rows(len(positions), dict(key), child, seen)
            parts.append(rows.set_axis(positions))
        if not parts:
            return self._empty()
        return pd.concat(parts).sort_index().reset_index(drop=True)

    def _draw(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        if not self.transformer_.encoded_columns:
            return pd.DataFrame(index=range(n))
        return self._sample(n, rng)

    def _decode(self, encoded: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
        rows = self.transformer_.inverse_transform(encoded, rng, ids=False)
        return self.constraints_.reverse(rows) if self.constraints_ else rows

    def _empty(self) -> pd.DataFrame:
        rng = np.random.default_rng(0)
        return self._decode(self._draw(1, rng), rng).iloc[:0]

    def _check_fitted(self) -> None:
        if not self.is_fitted:
            raise NotFittedError(f"{type(self).__name__} is not fitted; call .fit(data) first.")

    # ------------------------------------------------------------------ files
    def save(self, path: str | Path) -> None:
        """Write the fitted model to one file (JSON + arrays, never pickle)."""
        from lookalike.persistence import save

        save(self, path)

    def get_state(self) -> dict[str, Any]:
        """Flat dict of JSON-safe values and numpy arrays that `set_state` restores."""
        self._check_fitted()
        learned = self._get_state() if self.transformer_.encoded_columns else {}
        state = {f"model.{k}": v for k, v in learned.items()}
        state["transformer"] = self.transformer_.get_state()
        if self.constraints_:  # the user's columns and the pre-transform the model sees through
            state["constraints"] = self.constraints_.get_state()
            metadata = self.metadata_.to_dict()
            metadata["constraints"] = [to_spec(c) for c in self.metadata_.constraints]
            state["metadata"] = metadata
        state["facts"] = self.facts_
        return state

    def set_state(self, state: dict[str, Any]) -> Model:
        """Restore a fitted model from `get_state()`; returns the model."""
        self.transformer_ = TableTransformer.from_state(state["transformer"])
        if self.transformer_.encoded_columns:
            self._set_state({k[6:]: v for k, v in state.items() if k.startswith("model.")})
        if "metadata" in state:
            self.metadata_ = Metadata.from_dict(state["metadata"])
        else:
            self.metadata_ = self.transformer_.metadata_
        self.constraints_ = (
            ConstraintSet.from_state(state["constraints"], self.metadata_)
            if "constraints" in state
            else ConstraintSet([])
        )
        self.facts_ = state.get("facts") or _facts_from_transformer(self.transformer_)
        return self

    # ------------------------------------------------------------------ hooks
    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        raise NotImplementedError

    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        raise NotImplementedError

    def _sample_conditioned(
        self, n: int, conditions: Conditions, rng: np.random.Generator
    ) -> pd.DataFrame | None:
        """Encoded rows that meet `conditions`, for models that condition natively; else None."""
        return None

    def _get_state(self) -> dict[str, Any]:
        raise NotImplementedError

    def _set_state(self, state: dict[str, Any]) -> None:
        raise NotImplementedError


# ---------------------------------------------------------------------- helpers
def as_frame(data: Any) -> pd.DataFrame:
    """A pandas DataFrame from a DataFrame (pandas or polars) or a table path."""
    if isinstance(data, str | Path):
        from lookalike.io.files import read_table

        return read_table(data)
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_pandas"):  # polars, pyarrow
        return data.to_pandas()
    raise DataError(f"expected a DataFrame or a .csv/.parquet path, got {type(data).__name__}.")


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        if isinstance(n, float) and n.is_integer():
            n = int(n)
        else:
            raise DataError(f"the number of rows must be a whole number, got {n!r}.")
    if n < 0:
        raise DataError(f"the number of rows must be 0 or more, got {n}.")
    return int(n)


def condition_mask_factory(conditions: Conditions, metadata: Metadata, transformer: Any) -> Any:
    """A function rows -> bool mask of the rows that meet every condition.

    For models' native hooks: `conditions` as the hook receives them (values or (low, high)
    ranges); unknown columns and categories never seen raise ConditionError at once.
    """
    checked = check_conditions(conditions, metadata, _facts_from_transformer(transformer))

    def mask(rows: pd.DataFrame) -> np.ndarray:
        return np.asarray(condition_mask(checked, metadata, rows), dtype=bool)

    return mask


def _facts_from_transformer(transformer: Any) -> dict[str, dict[str, Any]]:
    """Categories from a transformer's state; numbers without bounds (nothing ruled out)."""
    facts: dict[str, dict[str, Any]] = {}
    for name, column in transformer.metadata_.columns.items():
        state = transformer.columns_.get(name, {})
        fact: dict[str, Any] = {"has_null": True}
        if "categories" in state:
            fact["values"] = list(state["categories"])
        elif column.kind in ("numerical", "datetime"):
            fact["min"], fact["max"] = -np.inf, np.inf
        elif column.kind == "constant":
            fact["values"] = [column.value]
        facts[name] = fact
    return facts


def _partial_keys(frame: pd.DataFrame) -> list[tuple[tuple[str, Any], ...]]:
    """Each row's condition set as a hashable key: its non-missing cells."""
    columns = [str(c) for c in frame.columns]
    keys = []
    for values in frame.itertuples(index=False, name=None):
        keys.append(
            tuple(
                (c, v.item() if isinstance(v, np.generic) else v)
                for c, v in zip(columns, values, strict=True)
                if not (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v))
            )
        )
    return keys


def _stamp(seconds: float | None) -> pd.Timestamp | None:
    return None if seconds is None else pd.Timestamp(seconds, unit="s")


def _share(share: float) -> str:
    return ">99.9%" if 0.999 < share < 1 else f"{share:.1%}"


def _too_rare(n: int, have: int, drawn: int, budget: int, failures: dict[str, int]) -> str:
    worst = sorted(((count, what) for what, count in failures.items() if count), reverse=True)
    blame = ", ".join(f"{what} ({_share(count / drawn)} of draws)" for count, what in worst[:3])
    return (
        f"the conditions are too rare for this model: {have} of {n} rows found in {drawn:,} "
        f"draws (budget {budget:,}); rows were rejected by {blame or 'the checks'}. Loosen the "
        f"conditions, sample fewer rows, or use a model that conditions natively."
    )


def chunk_count(n: int, chunk_rows: int = CHUNK_ROWS) -> int:
    """How many chunks of `chunk_rows` make `n` rows."""
    return math.ceil(n / chunk_rows)
