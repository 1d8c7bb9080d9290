"""What every fitted model learns besides its own numbers, and how it is saved and restored.

`learn_table` does the part of `fit` that is the same for every model: detect and validate the
metadata, let the constraints transform the table (e.g. `end` -> `end - start`, so the model
learns a table where breaking them is impossible), fit the encoder and record each column's facts
(categories, ranges) that conditions are checked against. `get_state` / `set_state` assemble the
flat saved state: the model's own hooks under "model.", then the encoder, the constraints and the
facts. The keys are those of model files format 1, so files written before this module load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lookalike.conditions import column_facts
from lookalike.constraints import ConstraintSet, to_spec
from lookalike.kinds import CONSTANT_KINDS, NUMBER_KINDS
from lookalike.metadata import Metadata
from lookalike.transform import TableTransformer

if TYPE_CHECKING:
    from lookalike.models.base import Model


def learn_table(
    model: Model, data: pd.DataFrame, metadata: Metadata | None, rng: np.random.Generator
) -> tuple[pd.DataFrame, Metadata]:
    """Set the model's transformer_, constraints_ and facts_; the encoded frame and metadata."""
    metadata = metadata if metadata is not None else Metadata.detect(data)
    metadata.validate(data)
    constraints = ConstraintSet.from_metadata(metadata)
    table, inner = constraints.fit(data, metadata) if constraints else (data, metadata)
    model.transformer_ = TableTransformer().fit(table, inner)
    encoded = model.transformer_.transform(table, rng)
    model.constraints_ = constraints
    model.facts_ = column_facts(data, metadata)
    return encoded, metadata


def get_state(model: Model) -> dict[str, Any]:
    """Flat dict of JSON-safe values and numpy arrays that `set_state` restores."""
    learned = model._get_state() if model.transformer_.encoded_columns else {}
    state = {f"model.{k}": v for k, v in learned.items()}
    state["transformer"] = model.transformer_.get_state()
    if model.constraints_:  # the user's columns and the pre-transform the model sees through
        state["constraints"] = model.constraints_.get_state()
        metadata = model.metadata_.to_dict()
        metadata["constraints"] = [to_spec(c) for c in model.metadata_.constraints]
        state["metadata"] = metadata
    state["facts"] = model.facts_
    return state


def set_state(model: Model, state: dict[str, Any]) -> None:
    """Restore what `get_state` wrote (the model's own part through its `_set_state` hook)."""
    model.transformer_ = TableTransformer.from_state(state["transformer"])
    if model.transformer_.encoded_columns:
        model._set_state({k[6:]: v for k, v in state.items() if k.startswith("model.")})
    if "metadata" in state:
        model.metadata_ = Metadata.from_dict(state["metadata"])
    else:
        model.metadata_ = model.transformer_.metadata_
    model.constraints_ = (
        ConstraintSet.from_state(state["constraints"], model.metadata_)
        if "constraints" in state
        else ConstraintSet([])
    )
    model.facts_ = state.get("facts") or facts_from_transformer(model.transformer_)


def facts_from_transformer(transformer: Any) -> dict[str, dict[str, Any]]:
    """Categories from a transformer's state; numbers without bounds (nothing ruled out)."""
    facts: dict[str, dict[str, Any]] = {}
    for name, column in transformer.metadata_.columns.items():
        state = transformer.columns_.get(name, {})
        fact: dict[str, Any] = {"has_null": True}
        if "categories" in state:
            fact["values"] = list(state["categories"])
        elif column.kind in NUMBER_KINDS:
            fact["min"], fact["max"] = -np.inf, np.inf
        elif column.kind in CONSTANT_KINDS:
            fact["values"] = [column.value]
        facts[name] = fact
    return facts
