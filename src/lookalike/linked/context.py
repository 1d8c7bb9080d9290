"""Child rows given their parents: exact conditioning for cart, matching for any other model.

A child table's model learns the parent's columns (the *context*) first and the child's own
columns after them. For `cart`, sampling fixes the context columns to the synthetic parent's
values and draws every later column from its trees given them (exact: each later column is
drawn given the earlier ones anyway). Any other model samples unconditioned rows, which are then
matched to parents by nearest context (`match`), each parent taking about as many children as it
should. The same matching assigns a child's second parent (a flight's destination airport).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.kinds import CATEGORY_KINDS, DATE_KINDS, NUMBER_KINDS
from lookalike.metadata import Metadata
from lookalike.models import sampling
from lookalike.models.base import Model
from lookalike.transform import TableTransformer

_NEIGHBOURS = 12  # candidate parents per child row when matching
_ONE_HOT_MAX = 40  # categories one-hot encoded for matching (more: by frequency rank)
_CATEGORY_WEIGHT = 3.0  # a category mismatch weighs as much as 3 standard deviations


def sample_given(
    model: Model, context: pd.DataFrame, rng: np.random.Generator, first_row: int = 0
) -> pd.DataFrame:
    """One row per row of `context` (columns the model learned), the other columns drawn
    given them; the returned frame has the model's columns without the context ones.
    """
    from lookalike.models.cart import CARTSynthesizer

    own = [c for c in model.metadata_.columns if c not in context.columns]
    if not len(context):
        return sampling.empty(model)[own]
    if isinstance(model, CARTSynthesizer) and hasattr(model, "columns_"):
        fixed = _fixed(model, context, rng)
        if fixed is not None:
            values, _ = model._generate(len(context), rng, {}, fixed=fixed)
            rows = sampling.decode(model, model._frame(values), rng)
            key = int(rng.integers(2**63))
            rows = model.transformer_.assign_ids(rows, first_row, key, rng)
            return rows[own].reset_index(drop=True)
    rows = model.sample(len(context), random_state=rng)
    known = [c for c in context.columns if c in rows.columns]
    if not known:
        return rows[own].reset_index(drop=True)
    picked = match(rows[known], context[known], np.ones(len(context)), model.metadata_, rng, 1.0)
    order = np.argsort(picked, kind="stable")  # row i of the result goes to context row picked[i]
    out = rows[own].iloc[order].reset_index(drop=True)
    return out


def _fixed(
    model: Any, context: pd.DataFrame, rng: np.random.Generator
) -> dict[int, np.ndarray] | None:
    """Encoded context values by column position, or None if the context is not first."""
    encoded = encode(model.transformer_, context, rng)
    position = {c: j for j, c in enumerate(model.columns_)}
    wanted = [c for c in encoded.columns if c in position]
    if sorted(position[c] for c in wanted) != list(range(len(wanted))):
        return None
    return {position[c]: encoded[c].to_numpy(dtype=float) for c in wanted}


def encode(
    transformer: TableTransformer, frame: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """The encoded columns of `frame`'s columns only (unseen categories as the commonest)."""
    names = [c for c in frame.columns if c in transformer.metadata_.columns]
    sub = TableTransformer()
    sub.metadata_ = Metadata(columns={c: transformer.metadata_.columns[c] for c in names})
    sub.columns_ = {c: transformer.columns_[c] for c in names}
    encoded = sub.transform(frame[names].reset_index(drop=True), rng)
    for column in encoded.columns:
        if np.issubdtype(encoded[column].dtype, np.integer):
            encoded[column] = encoded[column].clip(lower=0)
    return encoded


# ---------------------------------------------------------------------- matching
def match(
    rows: pd.DataFrame,
    parents: pd.DataFrame,
    capacity: np.ndarray,
    metadata: Metadata,
    rng: np.random.Generator,
    slack: float = 1.02,
) -> np.ndarray:
    """For each row, the position of a parent whose columns are close to the row's, each
    parent taking about its `capacity` share of the rows (greedy over nearest neighbours);
    with equal capacities, as many rows as parents and `slack=1` it is a one-to-one match.
    """
    from sklearn.neighbors import NearestNeighbors

    n, m = len(rows), len(parents)
    if m == 0:
        return np.full(n, -1)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    a, b = _matrix(rows, parents, metadata)
    weight = np.clip(np.nan_to_num(np.asarray(capacity, dtype=float)), 0, None)
    if weight.sum() <= 0:
        weight = np.ones(m)
    left = np.ceil(weight * n / weight.sum() * slack - 1e-9).astype(np.int64)
    k = min(_NEIGHBOURS, m)
    if b.shape[1] == 0:
        neighbours = np.tile(rng.permutation(m)[:k], (n, 1))
    else:
        index = NearestNeighbors(n_neighbors=k).fit(b)
        neighbours = index.kneighbors(a, return_distance=False)
    out = np.full(n, -1, dtype=np.int64)
    for i in rng.permutation(n):
        for j in neighbours[i]:
            if left[j] > 0:
                out[i] = j
                left[j] -= 1
                break
    rest = np.flatnonzero(out < 0)
    if len(rest):
        spare = np.repeat(np.arange(m), np.clip(left, 0, None))
        if len(spare) >= len(rest):
            out[rest] = rng.permutation(spare)[: len(rest)]
        else:
            out[rest] = neighbours[rest, 0]
    return out


def _matrix(
    rows: pd.DataFrame, parents: pd.DataFrame, metadata: Metadata
) -> tuple[np.ndarray, np.ndarray]:
    """Rows and parents on one numeric scale: standardised numbers, one-hot categories."""
    left, right = [], []
    for name in rows.columns:
        column = metadata.columns.get(name)
        kind = column.kind if column is not None else "categorical"
        if kind in NUMBER_KINDS:
            x, y = _numbers(rows[name], kind), _numbers(parents[name], kind)
            both = np.concatenate([x, y])
            centre = np.nanmean(both) if np.isfinite(both).any() else 0.0
            scale = np.nanstd(both) or 1.0
            left.append(np.nan_to_num((x - centre) / scale, nan=-3.0)[:, None])
            right.append(np.nan_to_num((y - centre) / scale, nan=-3.0)[:, None])
        elif kind in CATEGORY_KINDS:
            a = rows[name].astype(str).to_numpy()
            b = parents[name].astype(str).to_numpy()
            common = pd.Series(b).value_counts().index[:_ONE_HOT_MAX]
            left.append(
                (a[:, None] == np.asarray(common)[None, :]).astype(float) * _CATEGORY_WEIGHT
            )
            right.append(
                (b[:, None] == np.asarray(common)[None, :]).astype(float) * _CATEGORY_WEIGHT
            )
    if not left:
        return np.zeros((len(rows), 0)), np.zeros((len(parents), 0))
    return np.hstack(left), np.hstack(right)


def _numbers(series: pd.Series, kind: str) -> np.ndarray:
    if kind in DATE_KINDS:
        stamps = pd.to_datetime(series, errors="coerce", format="mixed")
        values = stamps.astype("int64").to_numpy(dtype=float) / 1e9
        return np.where(stamps.isna().to_numpy(), np.nan, values)
    if not pd.api.types.is_numeric_dtype(series):
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    return series.to_numpy(dtype=float)
