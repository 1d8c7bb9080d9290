"""The contract every model keeps: declared parameters, fit a table, sample rows, save and load.

A model subclass declares its parameters (`params`, see `models.params`) and implements four
small hooks on the *encoded frame* of `lookalike.transform` (continuous float columns and
integer-coded discrete columns):

    _fit(encoded, rng)           learn from the encoded training frame
    _sample(n, rng)              return n encoded rows
    _get_state() / _set_state()  learned state as JSON-safe values and numpy arrays

and, if it can meet conditions itself, `_sample_conditioned`. This class checks the parameters
and the input; `models.state` encodes the table and assembles saved state; `models.sampling`
draws rows (seeds, chunks, conditions, rejection, decoding).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lookalike.conditions import check_conditions
from lookalike.constraints import ConstraintSet
from lookalike.errors import NotFittedError
from lookalike.io.provenance import fit_info
from lookalike.metadata import Metadata
from lookalike.models import sampling, state
from lookalike.models.params import Param, check_params, defaults
from lookalike.models.sampling import Conditions, as_frame
from lookalike.transform import TableTransformer
from lookalike.values import CHUNK_ROWS  # rows per sampling chunk (each has its own seed)

__all__ = ["CHUNK_ROWS", "Conditions", "Model", "Param", "as_frame"]


class Model:
    """Base of all models. Subclasses set `name` (the registry key), `params` and the hooks."""

    name: ClassVar[str] = ""
    # candidate rows drawn per wanted row when the model meets conditions itself
    native_budget: ClassVar[int] = sampling.REJECTION_BUDGET
    params: ClassVar[dict[str, Param]] = {"random_state": Param(int, ge=0, optional=True)}
    # learned in fit (models.state): the user's columns, their encoder, constraints and facts
    metadata_: Metadata
    transformer_: TableTransformer
    constraints_: ConstraintSet
    facts_: dict[str, dict[str, Any]]

    def __init__(self, *, random_state: int | None = None) -> None:
        self.random_state = random_state

    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as given."""
        return {name: getattr(self, name) for name in defaults(type(self))}

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    # ------------------------------------------------------------------ fit
    def fit(self, data: Any, metadata: Metadata | None = None) -> Model:
        """Learn from `data` (a DataFrame or a .csv/.parquet path); returns the fitted model.

        Raises ParameterError first if a parameter has a value the model does not take.
        """
        check_params(self)
        data = as_frame(data)
        started = time.perf_counter()
        rng = np.random.default_rng(self.random_state)
        encoded, metadata = state.learn_table(self, data, metadata, rng)
        if encoded.shape[1]:  # else every column is an id, PII or constant: nothing to learn
            self._fit(encoded, rng)
        self.fit_info_ = fit_info(data, time.perf_counter() - started)
        self.metadata_ = metadata  # set last: a model is fitted once this exists
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
        return pd.concat(frames, ignore_index=True) if frames else sampling.empty(self)

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
        n = sampling.check_n(n)
        self.check_conditions(conditions, n)
        seed = sampling.entropy(self.random_state if random_state is None else random_state)
        return sampling.chunks(self, n, conditions, seed, chunk_rows, start_chunk)

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
            sampling.check_partial_rows(self, conditions, len(conditions) if n is None else n)
        else:
            check_conditions(conditions or {}, self.metadata_, self.facts_)

    @property
    def keeps_state_across_chunks(self) -> bool:
        """True when chunks of one call must be drawn in order by one process (a `unique`
        constraint remembers the values already given).
        """
        return bool(self.is_fitted and self.constraints_ and self.constraints_.unique_columns)

    @property
    def conditions_natively(self) -> bool:
        """True when the model meets (some) conditions itself rather than by rejection."""
        return type(self)._sample_conditioned is not Model._sample_conditioned

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
        return state.get_state(self)

    def set_state(self, saved: dict[str, Any]) -> Model:
        """Restore a model from `get_state`'s dict (as read from a model file).

        The parameters are checked first, as in `fit`: a file's parameters may have been edited.
        """
        check_params(self)
        state.set_state(self, saved)
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
