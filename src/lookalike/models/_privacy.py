"""Privacy calibration at fit time: `cart` checks how close its own samples sit to the rows it
learnt from, on the user's data, and smooths itself until they sit no closer than fresh rows.

The check is the DCR share (distance to closest record; the shared judge's definition): of the
synthetic rows, the share closer to a training row than to a held-out row, with training
subsamples of the held-out part's size, numbers standardised on the training part, categories
one-hot, Euclidean distance, ties one half. Fresh real rows score 0.5; a copy of the training
rows scores far above.

`calibrate` splits (at most `_MAX_ROWS` of) the rows into `_FOLDS` folds, fits a copy of the
model on all but one fold and samples `_SYNTHETIC` rows per held-out row, for each fold, at each
level of a knob (`KNOBS`), from the least smoothing up:

- "prune" (the default): honest trees pruned on the half that fills them, a split kept only if
  it does not raise that half's loss by more than 10%, then not at all (`prune` None, 0.1, 0.0).
  Needs a refit per level.
- "shrinkage": a leaf value drawn from the node's parent with probability strength / (strength
  + rows), and so on up (`LADDER`). Applied when sampling: the folds' models are fitted once.

Every level fits and samples each fold with the same generators (common random numbers), so the
levels differ by the knob, not by luck. The least level whose share, averaged over the folds, is
at most the target is kept; when no level meets it, the strictest.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lookalike._progress import quiet_mode
from lookalike.transform import NULL_SUFFIX

_FOLDS = 5  # the judge's split: training rows are 4x the held-out ones
_MAX_ROWS = 3000  # rows the calibration uses (a random subset above it)
_SYNTHETIC = 2  # synthetic rows per held-out row
_SUBSAMPLES = 4  # equal-size training subsamples per fold (the judge's count)
LADDER = (0.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0)  # shrinkage strengths tried, in order
TIE = 1e-9


def dcr_share(
    train: np.ndarray,
    holdout: np.ndarray,
    synthetic: np.ndarray,
    nominal: list[bool],
    rng: np.random.Generator,
    subsamples: int = _SUBSAMPLES,
) -> float:
    """Share of synthetic rows nearer to a training subsample than to the holdout (ties: half),
    averaged over up to `subsamples` disjoint training subsamples of the holdout's size.

    Rows are arrays of encoded values (category codes in `nominal` columns, numbers elsewhere;
    NaN in a number counts as its mean, as missing-value flags are columns of their own).
    """
    encode = _encoder(train, holdout, nominal)
    query = encode(synthetic)

    def nearest(reference: np.ndarray) -> np.ndarray:
        return _nearest(query, encode(reference))

    to_holdout = nearest(holdout)
    size = len(holdout)
    order = rng.permutation(len(train))
    shares = []
    for k in range(max(1, min(subsamples, len(train) // max(size, 1)))):
        to_train = nearest(train[order[k * size : (k + 1) * size]])
        tie = np.abs(to_train - to_holdout) <= TIE
        shares.append(float(((to_train < to_holdout - TIE) + 0.5 * tie).mean()))
    return float(np.mean(shares))


def _nearest(query: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Each query row's Euclidean distance to its nearest reference row: the neighbour is found
    with one matrix product, its distance recomputed from the differences (so ties are exact).
    """
    squared = (query * query).sum(axis=1)[:, None] + (reference * reference).sum(axis=1)[None, :]
    index = np.argmin(squared - 2.0 * query @ reference.T, axis=1)
    return np.asarray(np.sqrt(((query - reference[index]) ** 2).sum(axis=1)))


def _encoder(train: np.ndarray, holdout: np.ndarray, nominal: list[bool]) -> Any:
    """Rows -> the distance space: numbers standardised on `train`, categories one-hot."""
    numeric = [j for j, is_nominal in enumerate(nominal) if not is_nominal]
    categorical = [j for j, is_nominal in enumerate(nominal) if is_nominal]
    mean = np.nanmean(train[:, numeric], axis=0) if numeric else np.zeros(0)
    sd = np.nanstd(train[:, numeric], axis=0) if numeric else np.ones(0)
    sd = np.where(np.isfinite(sd) & (sd > 0), sd, 1.0)
    mean = np.where(np.isfinite(mean), mean, 0.0)
    levels = [np.unique(np.concatenate([train[:, j], holdout[:, j]])) for j in categorical]

    def encode(rows: np.ndarray) -> np.ndarray:
        blocks = [np.nan_to_num((rows[:, numeric] - mean) / sd)]
        for j, known in zip(categorical, levels, strict=True):
            blocks.append((rows[:, j][:, None] == known[None, :]).astype(float))
        return np.hstack(blocks)

    return encode


@dataclass(frozen=True)
class Knob:
    """A smoothing knob: the model attribute it sets, its levels from least to most smoothing,
    whether a level needs a refit (or only new samples), and what "more smoothing" means.
    """

    name: str  # the parameter; the model's fitted `name_` is the level it uses
    ladder: tuple[float | None, ...]
    refit: bool
    stricter: Callable[[float | None, float | None], bool]

    def levels(self, own: float | None) -> list[float | None]:
        """The model's own level, then every ladder level that smooths more."""
        return [own] + [level for level in self.ladder if self.stricter(level, own)]


def _prunes_more(level: float | None, own: float | None) -> bool:
    return level is not None and (own is None or level < own)


def _shrinks_more(level: float | None, own: float | None) -> bool:
    return level is not None and own is not None and level > own


# pruning: a split stays only if the held-out half's loss rises by less than the level times
# the loss (None: every split stays); shrinkage: pseudo-rows of draws from a leaf's ancestors
KNOBS = {
    "prune": Knob("prune", (None, 0.1, 0.0), refit=True, stricter=_prunes_more),
    "shrinkage": Knob("shrinkage", LADDER, refit=False, stricter=_shrinks_more),
}


def calibrated(model: Any, encoded: pd.DataFrame, rng: np.random.Generator) -> Any:
    """When `model.privacy` is set, its calibration (from a child generator, so the model's own
    draws are the same either way), the chosen level set on the model's `knob_`; else None.
    """
    if not model.privacy:
        return None
    knob = KNOBS[model.privacy_knob]
    check = calibrate(model, encoded, float(model.privacy), knob, rng.spawn(1)[0])
    setattr(model, knob.name + "_", check["level"])
    return check


def calibrate(
    model: Any, encoded: pd.DataFrame, target: float, knob: Knob, rng: np.random.Generator
) -> dict[str, Any]:
    """The least smoothing (a level of `knob`, from the model's own) whose samples meet the
    DCR-share target on held-out folds of `encoded`; returns the level and the shares measured.
    """
    n = len(encoded)
    rows = rng.permutation(n)[: min(n, _MAX_ROWS)]
    folds = np.array_split(rows, _FOLDS)
    own = getattr(model, knob.name + "_")  # the level the fit resolved ("auto" prune: a number)
    ladder = knob.levels(own)
    result: dict[str, Any] = {"knob": knob.name, "level": own, "shares": []}
    result["rows"] = len(rows)
    if min(len(f) for f in folds) < 10:  # too few rows to measure anything
        return result
    parts = []
    for k, fold in enumerate(folds):
        rest = np.sort(np.concatenate([f for i, f in enumerate(folds) if i != k]))
        parts.append((rest, fold, rng.spawn(1)[0], int(rng.integers(2**63))))
    fitted: list[Any] = [None] * len(parts)
    shares: list[float] = []
    for level in ladder:
        per_fold = []
        for k, (rest, fold, fit_rng, seed) in enumerate(parts):
            if fitted[k] is None or knob.refit:
                fitted[k] = _fold_model(model, encoded, rest, knob, level, fit_rng)
            sub = fitted[k]
            setattr(sub, knob.name + "_", level)
            columns = sub.columns_
            train = encoded.iloc[rest][columns].to_numpy(dtype=float)
            holdout = encoded.iloc[fold][columns].to_numpy(dtype=float)
            flags = [c.endswith(NULL_SUFFIX) for c in columns]
            nominal = [d and not f for f, d in zip(flags, sub.discrete_, strict=True)]
            draws = np.random.default_rng(seed)  # the same draws at every level
            synthetic = sub._fresh(_SYNTHETIC * len(holdout), draws, {})
            per_fold.append(dcr_share(train, holdout, synthetic, nominal, draws))
        shares.append(round(float(np.mean(per_fold)), 4))
        if shares[-1] <= target:
            break
    # unmet at every level: the most smoothing offered (a noisy arg-min would pick by luck)
    result.update(level=ladder[len(shares) - 1], shares=shares)
    return result


def _fold_model(
    model: Any,
    encoded: pd.DataFrame,
    rest: np.ndarray,
    knob: Knob,
    level: float | None,
    rng: np.random.Generator,
) -> Any:
    """A copy of the model fitted on these rows (at this level of a refit knob), uncalibrated."""
    sub = copy.copy(model)
    sub.privacy = sub.subgroups = None  # unconditional rows are what is measured
    if knob.refit:
        setattr(sub, knob.name, level)
    with quiet_mode():
        # the same generator state for every level: levels differ by the knob, not by luck
        sub._fit(encoded.iloc[rest].reset_index(drop=True), copy.deepcopy(rng))
    return sub
