"""The fitted model of a set of linked tables: one table model per table, in one model file.

Tables are fitted in dependency order. Each table's model (default `cart`) learns its training
frame (`lookalike.linked.frames`): its parent's columns and child count first, then its own
columns, then how many children each of its rows has. Sampling (`lookalike.linked.sampling`)
draws the tables without parents, then each child table given its synthetic parents. A child
table with an order column uses `lookalike.sequences.SequenceModel` when that package is there.

Example:
    >>> tables = {"players": players, "seasons": seasons}  # doctest: +SKIP
    >>> model = LinkedModel(random_state=0).fit(tables)  # doctest: +SKIP
    >>> synthetic = model.sample(scale=1.0, seed=1)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lookalike._progress import progress
from lookalike.errors import NotFittedError
from lookalike.kinds import CATEGORY_KINDS
from lookalike.linked.frames import LEARNED, build_frames, parent_columns
from lookalike.linked.keys import fit_key
from lookalike.linked.schema import Schema
from lookalike.metadata import Metadata
from lookalike.models import DEFAULT_MODEL, get_model
from lookalike.models.base import Model, as_frame

SEQUENCE = "sequence"  # the model kind of an ordered child fitted by lookalike.sequences


class LinkedModel:
    """Synthetic linked tables: keys regenerated, counts and parent-child relations kept.

    Args:
        schema: tables and keys; detected from the data (`Schema.detect`) when None.
        model: the registry name of the model fitted on each table (default `cart`).
        params: parameters of that model (e.g. {"min_leaf": 20}).
        random_state: seed for fitting and, by default, for sampling.
    """

    name: ClassVar[str] = "linked"

    def __init__(
        self,
        schema: Schema | None = None,
        *,
        model: str = DEFAULT_MODEL,
        params: dict[str, Any] | None = None,
        random_state: int | None = None,
    ) -> None:
        self.schema = schema
        self.model = model
        self.params = dict(params or {})
        self.random_state = random_state

    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as given."""
        return {"model": self.model, "params": self.params, "random_state": self.random_state}

    def __repr__(self) -> str:
        tables = ", ".join(self.schema_.names) if self.is_fitted else "not fitted"
        return f"LinkedModel(model={self.model!r}, tables: {tables})"

    @property
    def is_fitted(self) -> bool:
        """True once `fit` has run (or a saved state was loaded)."""
        return hasattr(self, "plans_")

    # ------------------------------------------------------------------ fit
    def fit(self, tables: dict[str, Any], schema: Schema | None = None) -> LinkedModel:
        """Learn every table of `tables` (name -> DataFrame or table path) and their links."""
        frames_in = {str(name): as_frame(frame) for name, frame in tables.items()}
        schema = schema or self.schema or Schema.detect(frames_in)
        schema.validate(frames_in)
        frames_in = {name: frames_in[name] for name in schema.names}
        self.schema_ = schema
        frames, metas, plans = build_frames(schema, frames_in)
        self.models_: dict[str, Any] = {}
        self.keys_: dict[str, dict[str, dict[str, Any]]] = {}
        seeds = np.random.SeedSequence(self.random_state).spawn(len(schema.names))
        for seed, name in zip(
            seeds, progress(schema.order(), desc="fitting tables", unit="table"), strict=False
        ):
            plan = plans[name]
            table_seed = int(seed.generate_state(1)[0] % 2**31)
            sequence = _sequence_model(schema, plan, table_seed)
            if sequence is not None:
                plan["sequence"] = True
                self.models_[name] = _fit_sequence(sequence, schema, plan, frames_in, metas)
            else:
                self.models_[name] = self._fit_table(frames[name], metas[name], plan, table_seed)
            self.keys_[name] = {
                c: fit_key(frames_in[name][c]) for c in schema.table(name).primary_key
            }
        self.plans_ = plans
        self.metas_ = {name: metas[name].to_dict() for name in plans}
        return self

    def _fit_table(
        self, frame: pd.DataFrame, meta: Metadata, plan: dict[str, Any], seed: int
    ) -> Model:
        params = {"random_state": seed, **self.params}
        fixed = fixed_columns(plan)
        # children counts early: cart redraws a copied row from its end, which must not bias counts
        counts = list(plan["counts"].values())
        if (fixed or counts) and self.model == "cart" and "order" not in self.params:
            drawn = [c for i in plan["secondary"] for c, _ in plan["context"][str(i)]]
            drawn += [plan["flags"][str(i)] for i in plan["secondary"] if str(i) in plan["flags"]]
            few = [
                c
                for c in plan["own"]
                if meta.columns[c].kind in CATEGORY_KINDS
                and (meta.columns[c].n_categories or 99) <= 3
            ]
            params["order"] = [c for c in fixed + drawn + counts + few if _learned(meta, c)]
        model = get_model(self.model, **params)
        return model.fit(frame, meta)

    # ------------------------------------------------------------------ sample
    def sample(
        self,
        scale: float = 1.0,
        *,
        seed: int | None = None,
        conditions: dict[str, dict[str, Any]] | None = None,
    ) -> dict[str, pd.DataFrame]:
        """A synthetic set of tables: `scale` x as many rows in each table without a parent,
        children as their synthetic parents call for. `conditions` maps a table without
        parent to its conditions ({"players": {"bats": "L"}}); its children follow.
        """
        from lookalike.linked.sampling import iter_sample

        parts: dict[str, list[pd.DataFrame]] = {name: [] for name in self.schema_.names}
        for name, chunk in iter_sample(self, scale, seed, conditions):
            parts[name].append(chunk)
        return {name: pd.concat(chunks, ignore_index=True) for name, chunks in parts.items()}

    # ------------------------------------------------------------------ files
    def save(self, path: str | Path) -> None:
        """Write the fitted model to `path` (see `lookalike.persistence`)."""
        from lookalike.persistence import save

        save(self, path)  # type: ignore[arg-type]

    def get_state(self) -> dict[str, Any]:
        """Flat dict: the schema and plans as JSON, each table model's state under `table.I.`."""
        if not self.is_fitted:
            raise NotFittedError("LinkedModel is not fitted; call .fit(tables) first.")
        state: dict[str, Any] = {
            "schema": self.schema_.to_dict(),
            "plans": self.plans_,
            "metas": self.metas_,
        }
        for i, name in enumerate(self.schema_.names):
            model = self.models_[name]
            state[f"kind.{i}"] = SEQUENCE if self.plans_[name].get("sequence") else model.name
            state[f"params.{i}"] = {} if self.plans_[name].get("sequence") else model.get_params()
            for key, value in model.get_state().items():
                state[f"table.{i}.{key}"] = value
            for column, key_state in self.keys_[name].items():
                plain = {k: v for k, v in key_state.items() if k != "taken"}
                state[f"key.{i}.{column}"] = plain
                if "taken" in key_state:
                    state[f"key.{i}.{column}.taken"] = np.asarray(key_state["taken"], np.int64)
        return state

    def set_state(self, state: dict[str, Any]) -> LinkedModel:
        """Restore a fitted model from `get_state()`; returns the model."""
        self.schema_ = Schema.from_dict(state["schema"])
        self.plans_ = state["plans"]
        self.metas_ = state["metas"]
        self.models_, self.keys_ = {}, {}
        for i, name in enumerate(self.schema_.names):
            prefix = f"table.{i}."
            sub = {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}
            kind = state[f"kind.{i}"]
            if kind == SEQUENCE:
                from lookalike.sequences import SequenceModel

                self.models_[name] = SequenceModel.from_state(sub)
            else:
                from lookalike.models.state_checks import check_state

                check_state(kind, sub)  # as `load` does for a single model's file
                self.models_[name] = get_model(kind, **state[f"params.{i}"]).set_state(sub)
            keys = {}
            for column in self.schema_.table(name).primary_key:
                key_state = dict(state[f"key.{i}.{column}"])
                if f"key.{i}.{column}.taken" in state:
                    key_state["taken"] = np.asarray(state[f"key.{i}.{column}.taken"])
                keys[column] = key_state
            self.keys_[name] = keys
        return self

    def meta(self, name: str) -> Metadata:
        """The metadata of table `name`."""
        return Metadata.from_dict(self.metas_[name])


# ---------------------------------------------------------------------- helpers
def fixed_columns(plan: dict[str, Any]) -> list[str]:
    """The columns sampling fixes from the primary parent: its context, flag and position."""
    primary = plan["primary"]
    if primary is None:
        return []
    out = [c for c, _ in plan["context"][str(primary)]]
    if str(primary) in plan["flags"]:
        out.append(plan["flags"][str(primary)])
    if plan["position"]:
        out.append(plan["position"])
    return out


def _learned(meta: Metadata, column: str) -> bool:
    return column in meta.columns and meta.columns[column].kind in LEARNED


def _sequence_model(schema: Schema, plan: dict[str, Any], seed: int) -> Any:
    """A SequenceModel for an ordered child with one single-column parent key, if installed."""
    if not plan["order_by"] or plan["primary"] is None or plan["secondary"]:
        return None
    fk = schema.foreign_keys[plan["primary"]]
    if len(fk.columns) != 1 or plan["flags"]:
        return None
    try:
        from lookalike.sequences import SequenceModel
    except ImportError:
        return None
    return SequenceModel(key=fk.columns[0], order_by=plan["order_by"], seed=seed)


def _fit_sequence(
    model: Any,
    schema: Schema,
    plan: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    metas: dict[str, Metadata],
) -> Any:
    from lookalike.linked.schema import key_values

    fk = schema.foreign_keys[plan["primary"]]
    parent = tables[fk.parent]
    own = [c for c in parent.columns if c not in schema.key_columns(fk.parent)]
    columns = parent_columns({"own": own, "counts": {}}, metas[fk.parent])
    context = parent[columns].copy()
    context.index = key_values(parent, fk.parent_columns).to_numpy()
    child = tables[plan["table"]][[fk.columns[0], *plan["own"]]].copy()
    child[fk.columns[0]] = key_values(child, fk.columns).to_numpy()
    kinds = Metadata({c: metas[fk.parent].columns[c] for c in columns})  # as the parent learns
    model.fit(child, context=context, context_metadata=kinds)
    return model
