"""Class rebalancing: add synthetic rows of the minority classes of a target column.

Two ways to make the rows:

* the SMOTE family from imbalanced-learn, on lookalike's encoding of the table (numbers and dates
  standardised, categories as codes): "smote" (SMOTE, SMOTE-NC when there are categories, SMOTE-N
  when there are only categories), "borderline-smote" (Borderline-SMOTE 1) and "adasyn"; the last
  two see categories one-hot and take the nearer category back;
* any registered model (`lookalike models`): it is fitted on the whole table and sampled with the
  condition `{target: class}` for each minority class.

The real rows are kept as they are, first; the new rows follow. Ids are regenerated for new rows.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.kinds import CATEGORY_KINDS, KEY_KINDS
from lookalike.metadata import Metadata
from lookalike.models.base import as_frame
from lookalike.values import check_whole

logger = logging.getLogger(__name__)

SMOTE_METHODS = ("smote", "borderline-smote", "adasyn")


def class_counts(data: pd.DataFrame, target: str) -> pd.Series:
    """Rows per class of `target`, largest first (missing values counted as a class)."""
    if target not in data.columns:
        raise DataError(
            f"no column {target!r} in the table; columns are: {', '.join(map(str, data.columns))}."
        )
    return data[target].value_counts(dropna=False)


def balance(
    data: Any,
    target: str,
    *,
    method: str = "smote",
    ratio: float = 1.0,
    random_state: int | None = None,
    metadata: Metadata | None = None,
    k_neighbors: int = 5,
) -> pd.DataFrame:
    """The table with synthetic minority rows added until each class has `ratio` x the majority.

    Args:
        data: the table (DataFrame or .csv/.parquet path); it is not changed.
        target: the class column.
        method: "smote", "borderline-smote", "adasyn", or a model name from `lookalike models`.
        ratio: wanted size of every minority class as a share of the majority class, in (0, 1].
        random_state: seed; the same seed gives the same rows.
        metadata: column kinds (detected when None); the target is treated as categorical.
        k_neighbors: neighbours for the SMOTE family.

    Returns:
        The real rows followed by the new rows; `result.attrs["class_counts"]` holds the counts
        before and after.

    Example:
        >>> import pandas as pd
        >>> real = pd.DataFrame({"x": range(40), "y": ["a"] * 30 + ["b"] * 10})
        >>> balance(real, "y", random_state=0)["y"].value_counts().to_dict()
        {'a': 30, 'b': 30}
    """
    from lookalike.models import MODELS

    if method not in SMOTE_METHODS and method not in MODELS:
        choices = ", ".join([*SMOTE_METHODS, *sorted(set(MODELS) - {"smote"})])
        raise DataError(f"no balancing method {method!r}; choose one of: {choices}.")
    data = as_frame(data)
    before = class_counts(data, target)
    wanted = _wanted_counts(before, ratio, target)
    check_whole(k_neighbors, "k_neighbors")
    metadata = _target_as_category(metadata or Metadata.detect(data), target)
    metadata.validate(data)
    if method in SMOTE_METHODS:
        new = _smote_rows(data, target, metadata, method, wanted, k_neighbors, random_state)
    else:
        new = _model_rows(data, target, metadata, method, wanted, random_state)
    new = _fresh_ids(new, data, metadata)
    out = pd.concat([data, new], ignore_index=True)
    after = class_counts(out, target)
    out.attrs["class_counts"] = {"before": before.to_dict(), "after": after.to_dict()}
    logger.info("class counts before %s, after %s", before.to_dict(), after.to_dict())
    return out


def _wanted_counts(counts: pd.Series, ratio: Any, target: str) -> dict[Any, int]:
    """Rows to add per class; checks that there is something sensible to do."""
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 < ratio <= 1:
        raise DataError(
            f"ratio must be in (0, 1] (minority size as a share of the majority), got {ratio!r}."
        )
    if len(counts) < 2:
        raise DataError(
            f"target {target!r} has a single class ({counts.index[0]!r}); balancing needs two or "
            "more classes."
        )
    if counts.index.isna().any():
        raise DataError(f"target {target!r} has missing values; drop or fill them first.")
    majority = int(counts.iloc[0])
    goal = round(ratio * majority)
    wanted = {cls: goal - int(c) for cls, c in counts.items() if int(c) < goal}
    if not wanted:
        current = float(counts.iloc[-1] / majority)
        raise DataError(
            f"every class of {target!r} already has at least {ratio:g} x the majority "
            f"(the smallest is {current:.3f} x); ask for a ratio above {current:.3f}."
        )
    return wanted


def _target_as_category(metadata: Metadata, target: str) -> Metadata:
    if target not in metadata.columns:
        raise DataError(f"no column {target!r} in the metadata.")
    column = metadata.columns[target]
    if column.kind in CATEGORY_KINDS:
        return metadata
    columns = dict(metadata.columns)
    columns[target] = dataclasses.replace(
        column, kind="categorical", integer=None, decimals=None, min=None, max=None
    )
    return dataclasses.replace(metadata, columns=columns)


# ---------------------------------------------------------------------- SMOTE family
def _smote_rows(
    data: pd.DataFrame,
    target: str,
    metadata: Metadata,
    method: str,
    wanted: dict[Any, int],
    k: int,
    random_state: int | None,
) -> pd.DataFrame:
    from lookalike.transform import TableTransformer

    rng = np.random.default_rng(random_state)
    transformer = TableTransformer().fit(data, metadata)
    encoded = transformer.transform(data, rng)
    labels = encoded.pop(target).to_numpy()
    codes = {
        cls: int(transformer.encode_categories(target, [cls], strict=True)[0]) for cls in wanted
    }
    for cls in wanted:
        have = int((labels == codes[cls]).sum())
        if have <= k:
            raise DataError(
                f"class {cls!r} of {target!r} has {have} rows; {method} needs more than "
                f"k_neighbors={k}. Lower k_neighbors, or use a model (--method bayesnet)."
            )
    continuous = [c for c in encoded.columns if encoded[c].dtype.kind == "f"]
    discrete = [c for c in encoded.columns if c not in continuous]
    mean = encoded[continuous].mean().to_numpy()
    spread = encoded[continuous].std(ddof=0).replace(0.0, 1.0).to_numpy()
    numbers = (encoded[continuous].to_numpy(dtype=float) - mean) / spread
    strategy = {codes[cls]: int((labels == codes[cls]).sum()) + add for cls, add in wanted.items()}
    seed = int(rng.integers(2**31))
    if method == "smote":
        new_numbers, new_codes, new_labels = _run_smote(
            numbers, encoded[discrete].to_numpy(), labels, strategy, k, seed
        )
    else:
        new_numbers, new_codes, new_labels = _run_onehot(
            method, numbers, encoded[discrete].to_numpy(), labels, strategy, k, seed
        )
    new_numbers = new_numbers * spread + mean
    frame: dict[str, np.ndarray] = {c: new_numbers[:, j] for j, c in enumerate(continuous)}
    frame.update({c: new_codes[:, j].astype(np.int64) for j, c in enumerate(discrete)})
    frame[target] = new_labels.astype(np.int64)
    new_encoded = pd.DataFrame(frame, index=range(len(new_labels)))
    new_encoded = new_encoded[[c.name for c in transformer.encoded_columns]]
    return transformer.inverse_transform(new_encoded, rng)


def _run_smote(
    numbers: np.ndarray,
    codes: np.ndarray,
    labels: np.ndarray,
    strategy: dict[int, int],
    k: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from imblearn.over_sampling import SMOTE, SMOTEN, SMOTENC

    width = numbers.shape[1]
    features = np.hstack([numbers, codes.astype(float)])
    if codes.shape[1] == 0:
        sampler: Any = SMOTE(sampling_strategy=strategy, k_neighbors=k, random_state=seed)
    elif width == 0:
        sampler = SMOTEN(sampling_strategy=strategy, k_neighbors=k, random_state=seed)
    else:
        sampler = SMOTENC(
            categorical_features=list(range(width, features.shape[1])),
            sampling_strategy=strategy,
            k_neighbors=k,
            random_state=seed,
        )
    resampled, new_labels = sampler.fit_resample(features, labels)
    new = resampled[len(labels) :]
    return new[:, :width], np.rint(new[:, width:]), new_labels[len(labels) :]


def _run_onehot(
    method: str,
    numbers: np.ndarray,
    codes: np.ndarray,
    labels: np.ndarray,
    strategy: dict[int, int],
    k: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Borderline-SMOTE / ADASYN on numbers plus one-hot categories (their 0.5-weighted SMOTE-NC
    geometry); each category comes back as the largest of its interpolated one-hot values.
    """
    from imblearn.over_sampling import ADASYN, BorderlineSMOTE

    sizes = [int(codes[:, j].max()) + 1 for j in range(codes.shape[1])]
    blocks = [numbers]
    for j, size in enumerate(sizes):
        onehot = np.zeros((len(codes), size))
        onehot[np.arange(len(codes)), codes[:, j]] = np.sqrt(0.5)
        blocks.append(onehot)
    features = np.hstack(blocks)
    if method == "adasyn":
        sampler: Any = ADASYN(sampling_strategy=strategy, n_neighbors=k, random_state=seed)
    else:
        sampler = BorderlineSMOTE(sampling_strategy=strategy, k_neighbors=k, random_state=seed)
    try:
        resampled, new_labels = sampler.fit_resample(features, labels)
    except (RuntimeError, ValueError) as error:
        raise DataError(f"{method} could not make rows: {error}") from None
    new = resampled[len(labels) :]
    width = numbers.shape[1]
    new_codes = np.zeros((len(new), len(sizes)), dtype=np.int64)
    start = width
    for j, size in enumerate(sizes):
        new_codes[:, j] = new[:, start : start + size].argmax(1)
        start += size
    return new[:, :width], new_codes, new_labels[len(labels) :]


# ---------------------------------------------------------------------- models
def _model_rows(
    data: pd.DataFrame,
    target: str,
    metadata: Metadata,
    method: str,
    wanted: dict[Any, int],
    random_state: int | None,
) -> pd.DataFrame:
    from lookalike.models import get_model

    model = get_model(method, random_state=random_state).fit(data, metadata)
    parts = [
        model.sample(add, conditions={target: cls}, random_state=_class_seed(random_state, i))
        for i, (cls, add) in enumerate(wanted.items())
    ]
    rows = pd.concat(parts, ignore_index=True)
    return rows.astype(data.dtypes.to_dict(), errors="ignore")


def _class_seed(random_state: int | None, index: int) -> int | None:
    if random_state is None:
        return None
    return int(np.random.SeedSequence(random_state, spawn_key=(index,)).generate_state(1)[0])


def _fresh_ids(new: pd.DataFrame, data: pd.DataFrame, metadata: Metadata) -> pd.DataFrame:
    """Whole-number ids of new rows continue after the largest real one (no clash)."""
    new = new.copy()
    for name, column in metadata.columns.items():
        if column.kind in KEY_KINDS and column.pattern == "int" and len(new):
            top = pd.to_numeric(data[name], errors="coerce").max()
            start = int(top) + 1 if pd.notna(top) else 0
            new[name] = np.arange(start, start + len(new), dtype=np.int64)
    return new
