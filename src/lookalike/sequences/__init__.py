"""Sequences: ordered rows per entity (event histories, long time series) that stay coherent.

    from lookalike.sequences import SequenceModel
    model = SequenceModel(key="players_id", order_by="year", seed=0).fit(batting, context=players)
    rows = model.sample(context=players)              # histories for these parents
    rows = model.sample(context=players, seed_steps=first_seasons)   # continue given steps

Modules: model (SequenceModel), tables (the entity and step tables it learns from),
conditional (cart given leading columns), keys (keys, ids and the order column regenerated),
state (model state for files), evaluate (sequence scores), files (`lookalike fit`/`sample` of a
single sequence table), suggest (does a table look like sequences? for `inspect`), sampling
(drawing a batch of sequences step by step), step_constraints (the metadata's constraints on every
step), report (the HTML section of an ordered child).
"""

from __future__ import annotations

from lookalike.sequences.model import SequenceModel

__all__ = ["SequenceModel"]
