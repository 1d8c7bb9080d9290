"""cart fitted on a table whose leading columns are always given when sampling.

`ConditionalTrees` is the one learner of lookalike.sequences: the entity model (context -> length
and first step) and the step model (context, step index and previous step -> next step) are each
one of these. The given columns come first in cart's column order and get no tree of their own;
sampling encodes a frame of given values, sets them, and draws every later column from its trees,
all rows at once (cart's partial-row conditions would draw each distinct row separately).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.codecs import codec_for
from lookalike.metadata import Metadata
from lookalike.models.cart import CARTSynthesizer
from lookalike.transform import TableTransformer

LEARNED = ("numerical", "categorical", "boolean", "datetime")


class ConditionalTrees:
    """A cart model of `table` given its columns `given` (which must lead the table)."""

    def __init__(self, given: list[str], seed: int | None, params: dict[str, Any]) -> None:
        self.given = list(given)
        self.seed = seed
        self.params = dict(params)

    def fit(self, table: pd.DataFrame, metadata: Metadata) -> ConditionalTrees:
        order = list(self.given) or "table"
        model = CARTSynthesizer(order=order, random_state=self.seed, **self.params)
        model.given_sources = tuple(self.given)
        model.fit(table, metadata)
        self.model: CARTSynthesizer = model
        self._index()
        return self

    def _index(self) -> None:
        transformer = self.model.transformer_
        self._given_transformer = _part(transformer, self.given)
        targets = [c for c in transformer.metadata_.columns if c not in self.given]
        self._target_transformer = _part(transformer, targets)
        columns = getattr(self.model, "columns_", [])
        sources = {c.name: c.source for c in transformer.encoded_columns}
        self._leading = [c for c in columns if sources[c] in self.given]
        if columns[: len(self._leading)] != self._leading:  # pragma: no cover - cart's order
            raise RuntimeError("cart did not put the given columns first")

    def encode(self, given: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The encoded columns of these given columns (by encoded name), e.g. to encode a
        context once and pass it to many `sample` calls.
        """
        out: dict[str, np.ndarray] = {}
        transformer = self._given_transformer
        for name in given.columns:
            column = transformer.metadata_.columns[name]
            series = given[name].reset_index(drop=True)
            out.update(codec_for(column).encode(series, column, transformer.columns_[name], rng))
        return out

    def sample(
        self,
        given: pd.DataFrame | None,
        n: int,
        rng: np.random.Generator,
        encoded: dict[str, np.ndarray] | None = None,
    ) -> pd.DataFrame:
        """N decoded rows of the drawn columns (and of `given`'s) whose given columns are
        `given`'s; `encoded` holds given columns already encoded (`encode`), by encoded name.
        """
        model = self.model
        if not model.transformer_.encoded_columns:
            return model.sample(n, random_state=rng)
        if (given is None and not encoded) or not self.given:
            values, _ = model._generate(n, rng, {})
        else:
            done = dict(encoded or {})
            if given is not None:
                rest = [c for c in self.given if c in given.columns and c not in done]
                done.update(self.encode(given[rest], rng))
            array = np.column_stack([np.asarray(done[c], dtype=float) for c in self._leading])
            for j in range(len(self._leading)):  # unseen categories -> the commonest
                if model.discrete_[j]:
                    array[:, j] = np.maximum(array[:, j], 0)
            values, _ = model._generate(n, rng, {}, given=array, start=array.shape[1])
        decoder = self._target_transformer if self.given else model.transformer_
        rows = decoder.inverse_transform(model._frame(values), rng, ids=False)
        if given is not None and self.given:  # exactly as given (not decoded again)
            for column in self.given:
                if column in given.columns:
                    rows[column] = given[column].to_numpy()
        return rows

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        state = self.model.get_state()
        state["given"] = self.given
        state["params"] = self.params
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any], seed: int | None) -> ConditionalTrees:
        self = cls(list(state["given"]), seed, dict(state["params"]))
        model = CARTSynthesizer(order=list(self.given) or "table", random_state=seed, **self.params)
        model.given_sources = tuple(self.given)
        self.model = model
        model.set_state({k: v for k, v in state.items() if k not in ("given", "params")})
        self._index()
        return self


def _part(transformer: TableTransformer, names: list[str]) -> TableTransformer:
    """A fitted transformer of some of `transformer`'s columns."""
    part = TableTransformer()
    part.metadata_ = Metadata({c: transformer.metadata_.columns[c] for c in names})
    part.columns_ = {c: transformer.columns_[c] for c in names}
    return part
