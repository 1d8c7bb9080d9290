"""A SequenceModel as a flat dict of JSON-safe values and numpy arrays, and back (model
files: lookalike.persistence; never pickle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from lookalike.constraints import ConstraintSet
from lookalike.metadata import Column, Metadata
from lookalike.sequences.conditional import ConditionalTrees
from lookalike.sequences.keys import Regenerated

if TYPE_CHECKING:
    from lookalike.sequences.model import SequenceModel


def model_state(model: SequenceModel) -> dict[str, Any]:
    """Everything a fitted model needs to sample again; the two cart models' states are
    flattened under `entity.` and `step.`.
    """
    state: dict[str, Any] = {
        "sequence": {
            "key": model.key,
            "order_by": model.order_by,
            "seed": model.seed,
            "same_share": model.same_share,
            "batch_entities": model.batch_entities,
            "max_time": model.max_time,
            "params": model.params,
            "values": model.values_,
            "flagged": model.flagged_,
            "follows": model.follows_,
            "facts": model.facts_,
            "columns": model.columns_,
            "context_columns": model.context_columns_,
            "max_length": model.max_length_,
            "mean_length": model.mean_length_,
            "order_column": None
            if model.order_column_ is None
            else {"name": model.order_column_.name, **model.order_column_.to_dict()},
            "regenerated": model.regenerated_.get_state(),
            "has_steps": model.step_ is not None,
            "output_columns": model.output_columns_,
            "constraints": model.constraints_.get_state() if model.constraints_ else None,
            "constraint_metadata": model.constraints_.metadata_.to_dict()
            if model.constraints_
            else None,
        }
    }
    for prefix, part in (("entity.", model.entity_), ("step.", model.step_)):
        if part is not None:
            state.update({prefix + k: v for k, v in part.get_state().items()})
    return state


def restore(cls: type[SequenceModel], state: dict[str, Any]) -> SequenceModel:
    """The model `model_state` described."""
    info = state["sequence"]
    model = cls(
        info["key"],
        info["order_by"],
        seed=info["seed"],
        same_share=info["same_share"],
        batch_entities=info["batch_entities"],
        max_time=info["max_time"],
        **info["params"],
    )
    model.values_, model.flagged_ = list(info["values"]), list(info["flagged"])
    model.follows_ = dict(info.get("follows", {}))  # files saved before it: none
    model.facts_, model.columns_ = dict(info["facts"]), list(info["columns"])
    model.context_columns_ = info["context_columns"]
    model.max_length_ = int(info["max_length"])
    model.mean_length_ = float(info.get("mean_length", model.max_length_))  # older files
    spec = info["order_column"]
    model.order_column_ = (
        None
        if spec is None
        else Column.from_dict(spec["name"], {k: v for k, v in spec.items() if k != "name"})
    )
    model.regenerated_ = Regenerated.from_state(info["regenerated"])
    model.output_columns_ = list(info.get("output_columns") or model.columns_)  # older files
    model.constraints_ = (
        ConstraintSet.from_state(
            info["constraints"], Metadata.from_dict(info["constraint_metadata"])
        )
        if info.get("constraints")
        else ConstraintSet([])
    )
    seed = (
        np.random.SeedSequence(model.seed).generate_state(2)
        if model.seed is not None
        else [None, None]
    )
    model.entity_ = ConditionalTrees.from_state(_part(state, "entity."), _int(seed[0]))
    model.step_ = (
        ConditionalTrees.from_state(_part(state, "step."), _int(seed[1]))
        if info["has_steps"]
        else None
    )
    return model


def _part(state: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}


def _int(value: Any) -> int | None:
    return None if value is None else int(value)
