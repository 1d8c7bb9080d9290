"""SMOTE as a generator: new rows on the segments between real rows and their near neighbours.

Each synthetic row takes a random real row, one of its `k_neighbors` nearest real rows, and a point
drawn uniformly on the segment between them: continuous columns (numbers, dates) are interpolated;
discrete columns (categories, booleans, missing flags) take the values of the nearer of the two
rows, so a row's categories always come from one real row. Distances are those of SMOTE-NC:
continuous columns standardised, each differing category adding a fixed penalty.

With `target` set, neighbours are looked for within the row's own class only, so rows of
different classes are never mixed (SMOTE's usual setting); without it, neighbours come from the
whole table. For class rebalancing with SMOTE, SMOTE-NC, Borderline-SMOTE or ADASYN (from
imbalanced-learn), see `lookalike.balance`.

Neighbours are found once at fit time and stored, so sampling is a few array look-ups. The model
file holds the real rows (encoded): treat it like the real data. Rows come close to real ones by
design (on the segment between two of them): check `lookalike evaluate`'s privacy scores.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.models.base import Conditions, Model
from lookalike.values import check_whole


class SMOTESynthesizer(Model):
    """Interpolation between real rows and their nearest neighbours (SMOTE / SMOTE-NC).

    Args:
        k_neighbors: number of nearest neighbours each row may be paired with.
        target: optional column; neighbours are then taken within the same class only.
        random_state: seed for fitting and sampling.
    """

    name = "smote"

    def __init__(
        self, *, k_neighbors: int = 5, target: str | None = None, random_state: int | None = None
    ) -> None:
        super().__init__(random_state=random_state)
        self.k_neighbors = k_neighbors
        self.target = target

    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        k = self.k_neighbors
        check_whole(k, "smote: k_neighbors")
        self.columns_ = list(encoded.columns)
        self.continuous_ = [c for c in self.columns_ if encoded[c].dtype.kind == "f"]
        self.discrete_ = [c for c in self.columns_ if c not in self.continuous_]
        n = len(encoded)
        self.values_ = encoded[self.continuous_].to_numpy(dtype=float).reshape(n, -1)
        self.codes_ = encoded[self.discrete_].to_numpy(dtype=np.int64).reshape(n, -1)
        groups = self._groups(encoded)
        space = _distance_space(self.values_, self.codes_)
        self.neighbors_ = np.tile(np.arange(n)[:, None], (1, int(k)))  # rows with no neighbour
        for members in groups:
            if len(members) > 1:
                self.neighbors_[members] = _nearest(space[members], members, int(k))

    def _groups(self, encoded: pd.DataFrame) -> list[np.ndarray]:
        if self.target is None:
            return [np.arange(len(encoded))]
        if self.target not in self.transformer_.metadata_.columns:
            raise DataError(f"smote: target {self.target!r} is not a column of the table.")
        if self.target not in self.discrete_:
            raise DataError(
                f"smote: target {self.target!r} must be categorical or boolean, not "
                f"{self.transformer_.metadata_.columns[self.target].kind}."
            )
        labels = encoded[self.target].to_numpy()
        return [np.flatnonzero(labels == value) for value in np.unique(labels)]

    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        return self._interpolate(rng.integers(0, len(self.codes_), size=n), rng)

    def _sample_conditioned(
        self, n: int, conditions: Conditions, rng: np.random.Generator
    ) -> pd.DataFrame | None:
        """Equality conditions on discrete columns: start from matching rows and keep the value."""
        fixed: dict[str, int] = {}
        for column, wanted in conditions.items():
            if column not in self.discrete_ or isinstance(wanted, tuple):
                return None
            code = self.transformer_.encode_categories(column, [wanted], strict=True)[0]
            fixed[column] = int(code)
        match = np.ones(len(self.codes_), dtype=bool)
        for column, code in fixed.items():
            match &= self.codes_[:, self.discrete_.index(column)] == code
        candidates = np.flatnonzero(match)
        if len(candidates) == 0:
            return None
        rows = self._interpolate(candidates[rng.integers(0, len(candidates), size=n)], rng)
        for column, code in fixed.items():
            rows[column] = code
        return rows

    def _interpolate(self, base: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
        n = len(base)
        partner = self.neighbors_[base, rng.integers(0, self.neighbors_.shape[1], size=n)]
        gap = rng.random(n)
        values = self.values_[base] + gap[:, None] * (self.values_[partner] - self.values_[base])
        nearer = np.where(gap < 0.5, base, partner)
        codes = self.codes_[nearer]
        out = {name: values[:, j] for j, name in enumerate(self.continuous_)}
        out.update({name: codes[:, j] for j, name in enumerate(self.discrete_)})
        return pd.DataFrame(out)[self.columns_]

    def _get_state(self) -> dict[str, Any]:
        return {
            "columns": self.columns_,
            "continuous": self.continuous_,
            "discrete": self.discrete_,
            "values": self.values_,
            "codes": self.codes_,
            "neighbors": self.neighbors_,
        }

    def _set_state(self, state: dict[str, Any]) -> None:
        self.columns_ = list(state["columns"])
        self.continuous_ = list(state["continuous"])
        self.discrete_ = list(state["discrete"])
        self.values_ = np.asarray(state["values"], dtype=float)
        self.codes_ = np.asarray(state["codes"], dtype=np.int64)
        self.neighbors_ = np.asarray(state["neighbors"], dtype=np.int64)
        n = len(self.codes_)
        if len(self.values_) != n or len(self.neighbors_) != n or self.neighbors_.max() >= n:
            raise ValueError("stored rows and neighbours do not match")


def _distance_space(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """SMOTE-NC geometry: standardised numbers, one-hot categories weighted so that one differing
    category adds the median squared spread of the numbers (here 1, as they are standardised).
    """
    spread = values.std(axis=0)
    scaled = (values - values.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    blocks = [scaled]
    for j in range(codes.shape[1]):
        onehot = np.zeros((len(codes), int(codes[:, j].max()) + 1))
        onehot[np.arange(len(codes)), codes[:, j]] = np.sqrt(0.5)
        blocks.append(onehot)
    return np.hstack(blocks).astype(np.float32)  # float32: kNN search is ~20 % faster


def _nearest(space: np.ndarray, members: np.ndarray, k: int) -> np.ndarray:
    """Global indices of each member's k nearest other members (repeated when fewer exist)."""
    from sklearn.neighbors import NearestNeighbors

    size = len(members)
    reach = min(k + 1, size)
    index = NearestNeighbors(n_neighbors=reach).fit(space)
    _, found = index.kneighbors(space)
    out = np.empty((size, reach - 1), dtype=np.int64)
    for i in range(size):  # drop the row itself (or, among duplicates, the farthest hit)
        row = found[i]
        keep = row[row != i][: reach - 1] if (row == i).any() else row[: reach - 1]
        out[i] = keep
    columns = np.resize(np.arange(reach - 1), k)  # repeat when the group is smaller than k
    return members[out[:, columns]]
