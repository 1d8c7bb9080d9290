"""Copies of training rows: a coarse filter of the rare training rows, to redraw sampled copies.

A sequential model learns the table's conditionals; where the table is its own support (every
combination a field guide allows, listed once: an all-categorical table with no two rows equal)
a faithful model puts most of its mass on the training rows themselves, so most samples are
copies although a fresh real row never equals a training row. The cure is to sample from the
model *given that the row is not a rare training row*: rows are compared, on every learned column
and after the rounding that decoding applies, with a filter of the training rows that fewer than
`min_count` training rows share, and the matches are redrawn. Combinations many rows share (a
common profile in a table of few columns) are not identifying and stay; and where fresh real rows
repeat training rows often (>= `NATURAL_LIMIT` of a half-split of the training rows, as in a table
of a few coarse columns), there is no filter at all: redrawing would push the marginals away from
the data (measured: +8-14% children per parent in a 3-column parent table of linked tables).

The filter keeps `bits`-bit salted hashes: about one row in `FALSE_HITS` that was never in the
data matches by chance, so the stored filter cannot list the training rows, and a match is weak
evidence that a row was one of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

FALSE_HITS = 64  # one unseen row in this many matches the filter by chance
NATURAL_LIMIT = 0.02  # no filter where fresh real rows repeat training rows this often


@dataclass(frozen=True)
class Canon:
    """How one encoded column compares after decoding: codes as they are; numbers clipped to
    [low, high] and rounded to `step` (0: not rounded); `flag` the column of its missing flag.
    """

    low: float = -math.inf
    high: float = math.inf
    step: float = -1.0  # -1: a code (no rounding), 0: full precision, > 0: rounded to it
    flag: int = -1


def canonical(values: np.ndarray, canons: list[Canon]) -> np.ndarray:
    """Encoded rows as decoding would write them: equal here means equal in the output."""
    out = np.array(values, dtype=float, copy=True)
    for j, canon in enumerate(canons):
        if canon.step < 0:
            continue
        column = np.clip(out[:, j], canon.low, canon.high)
        if canon.step > 0:
            column = np.round(column / canon.step) * canon.step
        else:
            column = np.round(column, 9)
        if canon.flag >= 0:
            column = np.where(values[:, canon.flag] == 1, 0.0, column)
        out[:, j] = column + 0.0  # -0.0 and 0.0 hash alike
    return out


def _hashes(rows: np.ndarray, salt: str) -> np.ndarray:
    frame = pd.DataFrame(rows)
    return pd.util.hash_pandas_object(frame, index=False, hash_key=salt).to_numpy(np.uint64)


def natural_repeats(hashed: np.ndarray, salt: str) -> float:
    """The share of one random half of the rows that equal a row of the other half: how often a
    fresh real row repeats a training row. Where that is common (a table of few, coarse columns),
    a sampled copy says nothing about a person and redrawing it would bias the marginals.
    """
    if len(hashed) < 4:
        return 0.0
    order = np.random.default_rng(int(salt, 16)).permutation(len(hashed))
    half = len(hashed) // 2
    return float(np.isin(hashed[order[half:]], hashed[order[:half]]).mean())


def copy_filter(
    values: np.ndarray, canons: list[Canon], min_count: int, rng: np.random.Generator
) -> dict[str, Any]:
    """The filter of training rows shared by fewer than `min_count` rows (empty for 0)."""
    salt = f"{int(rng.integers(2**62)):016x}"[:16]
    if min_count <= 0 or not len(values):
        return {"salt": salt, "bits": 0, "filter": np.zeros(0, dtype=np.int64)}
    full = _hashes(canonical(values, canons), salt)
    if natural_repeats(full, salt) >= NATURAL_LIMIT:
        return {"salt": salt, "bits": 0, "filter": np.zeros(0, dtype=np.int64)}
    distinct, counts = np.unique(full, return_counts=True)
    rare = distinct[counts < min_count]
    bits = int(min(48, max(12, math.ceil(math.log2(FALSE_HITS * max(len(rare), 1))))))
    kept = np.unique((rare >> np.uint64(64 - bits)).astype(np.int64))
    return {"salt": salt, "bits": bits, "filter": kept}


def is_copy(values: np.ndarray, canons: list[Canon], state: dict[str, Any]) -> np.ndarray:
    """Which rows match the filter (every rare training row does)."""
    bits, kept = int(state.get("bits", 0)), np.asarray(state.get("filter", ()))
    if not bits or not len(kept) or not len(values):
        return np.zeros(len(values), dtype=bool)
    hashed = _hashes(canonical(values, canons), state["salt"])
    short = (hashed >> np.uint64(64 - bits)).astype(np.int64)
    at = np.minimum(np.searchsorted(kept, short), len(kept) - 1)  # the filter is sorted
    return np.asarray(kept[at] == short)
