"""Drawing a batch of sequences from a fitted SequenceModel, every entity of the batch at once:
the entity model gives each its length and first step, then step t of every entity still
running is drawn from the step model given its step t - 1, its context and its first step's
categories; a sequence whose next step would pass the order column's last training value ends
there (the data's time window; a keyless series keeps its length). Numbers travel as
floats, other values as objects; the context and the first step are encoded once per batch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lookalike.kinds import PLAIN_NUMBER_KINDS
from lookalike.sequences import tables as T
from lookalike.sequences.follows import keep_follows, pair_tables

if TYPE_CHECKING:
    from lookalike.sequences.model import SequenceModel

_REDRAWS = 20  # tries to draw a length of at least the seed steps' count


def sample_batch(
    model: SequenceModel,
    keys: np.ndarray,
    ctx: pd.DataFrame | None,
    seeds: dict[Any, pd.DataFrame],
    length: int | None,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The steps of these entities (`ctx`: their context; `seeds`: given first steps by key;
    `length`: one length for all), as rows with `__entity` (position in `keys`) and `__step`.
    """
    n = len(keys)
    ent = model.entity_.sample(ctx, n, rng)
    lengths = _lengths(ent)
    given_steps = np.array([len(seeds.get(k, ())) for k in keys])
    for _ in range(_REDRAWS):  # continue a seed: a length at least as long as it
        short = np.flatnonzero(lengths < given_steps)
        if not len(short) or length is not None:
            break
        again = model.entity_.sample(None if ctx is None else ctx.iloc[short], len(short), rng)
        lengths[short] = _lengths(again)
    lengths = np.maximum(lengths, given_steps) if length is None else np.full(n, int(length))
    columns = [T.ORDER, *model.values_]
    current = {c: _typed(ent[c], _is_number(model, c)) for c in columns}
    start = current[T.ORDER]
    lost = np.isnan(start) & (lengths > 0)  # a start drawn missing for a non-empty one
    if lost.any():
        known = start[~np.isnan(start)]
        pool = known if len(known) else np.array([model.facts_["min"]])
        start[lost] = rng.choice(pool, size=int(lost.sum()))
    follows = pair_tables(model.follows_)
    keep_follows(follows, current, np.arange(n), rng)
    _seed(model, current, keys, seeds, 0, np.arange(n))
    fixed = _fixed(model, ent, ctx, current, rng)  # encoded once for every step
    parts = [_rows(current, np.flatnonzero(lengths > 0), 0)]
    for t in range(1, int(lengths.max(initial=0))):
        active = np.flatnonzero(lengths > t)
        before = {c: values[active] for c, values in current.items()}
        step = _step(model, before, fixed, active, t, lengths, rng)
        if length is None and model.key is not None:  # the data's window ends: so do they
            past = (step[T.ORDER] > model.facts_["max"]) & (given_steps[active] <= t)
            lengths[active[past]] = t
            active, step = active[~past], {c: values[~past] for c, values in step.items()}
        for c, values in step.items():
            current[c][active] = values
        keep_follows(follows, current, active, rng)
        _seed(model, current, keys, seeds, t, active)
        parts.append(_rows(current, active, t))
    rows = pd.concat(parts, ignore_index=True).sort_values(["__entity", T.STEP], kind="stable")
    return rows.reset_index(drop=True)


def _is_number(model: SequenceModel, name: str) -> bool:
    columns = model.entity_.model.transformer_.metadata_.columns
    return name == T.ORDER or columns[name].kind in PLAIN_NUMBER_KINDS


def _fixed(
    model: SequenceModel,
    ent: pd.DataFrame,
    ctx: pd.DataFrame | None,
    current: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """The step model's columns that stay fixed along a sequence (the context, the first
    step's values) for every entity of the batch, encoded.
    """
    if model.step_ is None:
        return {}
    source = ctx if ctx is not None else ent
    frame = {}
    for name in model.step_.given:
        if name.startswith(T.CTX):
            frame[name] = source[name].to_numpy()
        elif name.startswith(T.FIRST):
            frame[name] = current[name[len(T.FIRST) :]].copy()
    return model.step_.encode(pd.DataFrame(frame), rng) if frame else {}


def _step(
    model: SequenceModel,
    before: dict[str, np.ndarray],
    fixed: dict[str, np.ndarray],
    active: np.ndarray,
    t: int,
    lengths: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Step t of the active entities, given their step t - 1 (`before`)."""
    assert model.step_ is not None
    given: dict[str, Any] = {}
    order = before[T.ORDER]
    given[T.STEP] = np.full(len(active), float(t))
    given[T.LEFT] = (lengths[active] - 1 - t).astype(float)
    given[T.PREV + T.ORDER] = order
    if model.facts_["clock"]:
        given[T.PREV + T.HOUR], given[T.PREV + T.WEEKDAY] = T.clock(order)
    for name in model.values_:
        given[T.PREV + name] = before[name]
    encoded = {c: values[active] for c, values in fixed.items()}
    drawn = model.step_.sample(pd.DataFrame(given), len(active), rng, encoded=encoded)
    out = {T.ORDER: order + _gaps(model, drawn[T.GAP].to_numpy(dtype=float))}
    for name in model.values_:
        new = _typed(drawn[name], _is_number(model, name))
        if name in model.flagged_:
            same = drawn[T.SAME + name].to_numpy().astype(int) == 1
            new = np.where(same, before[name], new)
        out[name] = new
    return out


def _gaps(model: SequenceModel, gaps: np.ndarray) -> np.ndarray:
    facts = model.facts_
    gaps = np.clip(np.nan_to_num(gaps, nan=facts["gap_min"]), facts["gap_min"], facts["gap_max"])
    if facts["resolution"]:
        gaps = np.round(gaps / facts["resolution"]) * facts["resolution"]
    elif facts["integer"]:
        gaps = np.round(gaps)
    return gaps


def _seed(
    model: SequenceModel,
    current: dict[str, np.ndarray],
    keys: np.ndarray,
    seeds: dict[Any, pd.DataFrame],
    t: int,
    active: np.ndarray,
) -> None:
    """Overwrite step t of entities whose seed steps reach it with the given step."""
    if not seeds:
        return
    for position in active:
        given = seeds.get(keys[position])
        if given is not None and t < len(given):
            row = given.iloc[t]
            for column, values in current.items():
                value = row[column]
                if values.dtype != object:
                    value = np.nan if pd.isna(value) else float(value)
                values[position] = value


def _typed(values: pd.Series, number: bool) -> np.ndarray:
    """A writable array: floats (NaN missing) for numbers, objects otherwise."""
    if number:
        numbers = pd.to_numeric(values, errors="coerce")
        return numbers.to_numpy(dtype=float, na_value=np.nan, copy=True)
    return values.to_numpy(dtype=object, copy=True)


def _rows(current: dict[str, np.ndarray], active: np.ndarray, t: int) -> pd.DataFrame:
    """Step t of the active entities as rows."""
    out = {c: values[active] for c, values in current.items()}
    return pd.DataFrame({**out, "__entity": active, T.STEP: t})


def _lengths(ent: pd.DataFrame) -> np.ndarray:
    values = pd.to_numeric(ent[T.LENGTH], errors="coerce").to_numpy(dtype=float)
    return np.clip(np.round(np.nan_to_num(values, nan=0.0)), 0, None).astype(np.int64)
