"""`cart`'s subgroup chain: a second chain with the conditioned columns first, for samples of
small subgroups (a control group: `conditions={"Outcome": 1, "Age": (50, None)}`).

Conditions on a column late in cart's order are met by rejection: the trees of the columns
drawn before it never see it, so the kept rows follow the model's joint filtered by a coarse
tree, and a subgroup of a few dozen rows comes out blurred towards the whole table (diabetes,
Outcome=1 and Age>=50, 43 rows: Insulin mean 83-105 against the subgroup's 139, quality
0.855-0.881). A chain that draws the conditioned columns first grows every other column's trees
on them, so the subgroup's own dependence is kept.

At fit time, after the main chain (whose fitted state and random stream it does not touch, so
unconditional rows stay as they were), cart fits a second chain when `subgroups` names columns
(those first) or, by default ("auto"), on tables small enough to keep their table order, with
the few-valued columns (labels) first and the others in the reverse of the main order (so each
column is early in one of the two chains). It keeps more tree pairs (`SIDE_TREES`), since its
rows are only drawn for subgroups, where a few dozen rows make the luck of one random half
matter most, and grows its later trees apart per value of a leading label (`stratify`) when no
later column is categorical. A conditional sample uses whichever chain draws its conditioned
columns earliest (`chain_for`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.transform import NULL_SUFFIX

SIDE_TREES = 4  # honest trees per column of the subgroup chain (pairs on fresh halves)
PREFIX = "subgroup."  # the subgroup chain's entries in cart's model-file state
_FEW = 3  # "auto": columns with at most this many codes (labels, flags) go first


def side_order(
    model: Any, encoded: pd.DataFrame, small: bool
) -> tuple[list[str], list[str]] | None:
    """(the columns the subgroup chain draws first, its whole order), or None when it would
    add nothing.
    """
    wanted = model.subgroups
    if wanted is None or wanted == [] or model.given_sources:  # sequences: given columns lead
        return None
    if wanted == "auto":
        if not small:  # larger tables draw their labels first already
            return None
        few = [
            c
            for c in encoded.columns
            if np.issubdtype(encoded[c].dtype, np.integer)
            and not c.endswith(NULL_SUFFIX)
            and encoded[c].nunique() <= _FEW
        ]
        wanted = sorted(few, key=lambda c: encoded[c].nunique())
    first = [str(c) for c in ([wanted] if isinstance(wanted, str) else wanted)]
    main = [c for c in model.columns_ if not c.endswith(NULL_SUFFIX)]
    if not first or first == main[: len(first)]:
        return None
    rest = [c for c in main if c not in first]
    return first, first + (rest[::-1] if model.subgroups == "auto" else rest)


def check_subgroups(wanted: Any, encoded: pd.DataFrame) -> None:
    """Refuse, before any fitting, a `subgroups` list naming a column that is not learned."""
    if wanted is None or wanted == "auto":
        return
    learned = [str(c) for c in encoded.columns if not str(c).endswith(NULL_SUFFIX)]
    unknown = [c for c in ([wanted] if isinstance(wanted, str) else wanted) if c not in learned]
    if unknown:
        raise DataError(
            f"cart: subgroups names {unknown[0]!r}, which is not a learned column; learned "
            f"columns are: {', '.join(learned)}."
        )


def fit_side_chain(
    model: Any, encoded: pd.DataFrame, small: bool, rng: np.random.Generator
) -> Any | None:
    """A fitted subgroup chain for `model` (a cart fitted on `encoded` just now), or None."""
    orders = side_order(model, encoded, small)
    if orders is None:
        return None
    first, order = orders
    # trees apart per label value only when no later column is categorical: stratified trees
    # do not recode or rake (titanic, Survived=0 and Sex=female: 0.871 stratified, 0.897 not)
    later = [c for c in encoded.columns if c not in first and not c.endswith(NULL_SUFFIX)]
    stratify = not any(np.issubdtype(encoded[c].dtype, np.integer) for c in later)
    params = {**model.get_params(), "order": order, "subgroups": None, "stratify": stratify}
    params["trees"] = max(int(model.trees), SIDE_TREES)
    # the smoothing the main chain uses (a privacy target may have raised it), measured once
    params.update(privacy=None, prune=model.prune_, shrinkage=model.shrinkage_)
    side = type(model)(**params)
    side.transformer_ = model.transformer_
    side._fit(encoded, rng)
    return side


def chain_for(model: Any, conditions: dict[str, Any]) -> Any:
    """The chain (the model or its subgroup chain) that draws the conditioned columns earliest:
    compared by the latest conditioned column's position, then the next latest, ... The main
    chain is kept when they are within its first len(conditions) + 1 columns (titanic,
    Survived=0 and Sex=female: 0.914 there, 0.871-0.897 from a subgroup chain).
    """
    side = getattr(model, "side_", None)
    if side is None:
        return model
    side.metadata_ = model.metadata_
    side.transformer_ = model.transformer_

    def positions(chain: Any) -> list[int]:
        at = {c: j for j, c in enumerate(chain.columns_)}
        return sorted((at[c] for c in conditions if c in at), reverse=True)

    main = positions(model)
    if not main or main[0] <= len(main):  # they (nearly) lead the main chain already: keep it
        return model
    return side if positions(side) < main else model


def side_state(model: Any, state_of: Any) -> dict[str, Any]:
    """The subgroup chain's entries for the model file (none without one)."""
    side = getattr(model, "side_", None)
    if side is None:
        return {}
    return {PREFIX + key: value for key, value in state_of(side).items()}


def load_side(model: Any, state: dict[str, Any], load: Any) -> None:
    """Set `model.side_` from a model file's subgroup entries (None when it has none)."""
    entries = {k[len(PREFIX) :]: v for k, v in state.items() if k.startswith(PREFIX)}
    model.side_ = None
    if entries:
        side = type(model)(**{**model.get_params(), "subgroups": None})
        load(side, entries)
        model.side_ = side


def check_side(state: dict[str, Any], encoded: list[Any], check: Any) -> None:
    """Check a model file's subgroup chain like the main one (its own column order)."""
    from lookalike.models.state_checks import fail

    entries = {k[len(PREFIX) :]: v for k, v in state.items() if k.startswith(PREFIX)}
    if not entries:
        return
    names = entries.get("columns")
    by_name = {c.name: c for c in encoded}
    if not isinstance(names, list) or sorted(map(str, names)) != sorted(by_name):
        fail("the subgroup chain's columns do not match its column transformer")
    check(entries, [by_name[name] for name in names])
