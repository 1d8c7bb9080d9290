"""Augmentation: real rows plus synthetic ones, and a check of whether the extra rows help.

`augment()` fits a model on the table and returns the real rows followed by `rows` synthetic ones.
`check_augmentation()` answers "does it help here?": for each of several seeds it holds out part of
the REAL rows, fits the model on the rest, and trains two learners (logistic/ridge regression and
gradient boosting) on the real training rows alone and on real + synthetic rows; both are scored on
the held-out real rows (ROC-AUC for a binary target, macro-F1 for several classes, R2 for a
number). The mean and spread over seeds are reported, with a plain verdict per learner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.metadata import Metadata
from lookalike.models import DEFAULT_MODEL
from lookalike.models.base import as_frame

LEARNERS = {"logistic regression": "linear", "gradient boosting": "gradient boosting"}


def augment(
    data: Any,
    target: str | None = None,
    *,
    model: str = DEFAULT_MODEL,
    rows: int | None = None,
    random_state: int | None = None,
    metadata: Metadata | None = None,
) -> pd.DataFrame:
    """The real rows followed by `rows` synthetic rows (as many as the real ones by default).

    Example:
        >>> import pandas as pd
        >>> real = pd.DataFrame({"x": range(40), "y": ["a", "b"] * 20})
        >>> len(augment(real, "y", rows=10, random_state=0))
        50
    """
    from lookalike.models import get_model

    data = as_frame(data)
    if target is not None:
        _has_column(data, target)
    rows = len(data) if rows is None else rows
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1:
        raise DataError(f"rows must be a whole number of at least 1, got {rows!r}.")
    fitted = get_model(model, random_state=random_state).fit(data, metadata)
    synthetic = fitted.sample(rows, random_state=random_state)
    synthetic = synthetic.astype(data.dtypes.to_dict(), errors="ignore")
    return pd.concat([data, synthetic[list(data.columns)]], ignore_index=True)


@dataclass
class AugmentCheck:
    """Scores on held-out real rows, per learner and seed, real-only vs real + synthetic."""

    target: str
    metric: str
    model: str
    rows: int
    scores: pd.DataFrame  # learner, seed, real, augmented
    notes: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """Mean and spread (standard deviation over seeds) per learner."""
        grouped = self.scores.groupby("learner", sort=False)
        return pd.DataFrame(
            {
                "real": grouped["real"].mean(),
                "real sd": grouped["real"].std(ddof=0),
                "real+synthetic": grouped["augmented"].mean(),
                "real+synthetic sd": grouped["augmented"].std(ddof=0),
            }
        )

    def verdicts(self) -> list[str]:
        """One plain sentence per learner, judged on the paired per-seed differences."""
        out = []
        summary = self.summary()
        for learner, group in self.scores.groupby("learner", sort=False):
            before, after = summary.loc[learner, "real"], summary.loc[learner, "real+synthetic"]
            delta = (group["augmented"] - group["real"]).to_numpy()
            noise = max(float(delta.std(ddof=0)), 0.005)
            change = f"{self.metric} from {before:.3f} to {after:.3f}"
            if delta.mean() < -noise:
                out.append(f"{learner}: augmentation lowered {change}: do not use it here.")
            elif delta.mean() > noise:
                out.append(f"{learner}: augmentation raised {change}.")
            elif delta.mean() < 0:
                out.append(
                    f"{learner}: augmentation lowered {change}, within the spread over seeds "
                    f"({noise:.3f}): no gain, do not rely on it here."
                )
            else:
                out.append(
                    f"{learner}: augmentation raised {change}, within the spread over seeds "
                    f"({noise:.3f}): no clear gain."
                )
        return out

    def helps(self) -> bool:
        """True when every learner scored higher with the synthetic rows (means over seeds)."""
        summary = self.summary()
        return bool((summary["real+synthetic"] > summary["real"]).all())

    def __str__(self) -> str:
        summary = self.summary()
        lines = [
            f"{self.metric} on held-out real rows ({len(self.scores['seed'].unique())} seeds; "
            f"{self.rows} synthetic rows from {self.model}), mean ± sd:",
            f"{'learner':<22}{'real only':>16}{'real+synthetic':>18}",
        ]
        for learner, row in summary.iterrows():
            lines.append(
                f"{learner!s:<22}{row['real']:>9.3f} ± {row['real sd']:.3f}"
                f"{row['real+synthetic']:>11.3f} ± {row['real+synthetic sd']:.3f}"
            )
        return "\n".join([*lines, *self.verdicts()])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data: the scores per learner and seed, and the verdicts."""
        return {
            "target": self.target,
            "metric": self.metric,
            "model": self.model,
            "rows": self.rows,
            "scores": self.scores.to_dict(orient="records"),
            "verdicts": self.verdicts(),
        }


def check_augmentation(
    data: Any,
    target: str,
    *,
    model: str = DEFAULT_MODEL,
    rows: int | None = None,
    seeds: int = 3,
    test_share: float = 0.3,
    random_state: int | None = 0,
    metadata: Metadata | None = None,
) -> AugmentCheck:
    """Does adding synthetic rows help a learner predict `target` on held-out real rows?

    `rows` synthetic rows are added to each training part (as many as its real rows by default).
    """
    from lookalike._progress import progress
    from lookalike.evaluation.features import learn_encoding
    from lookalike.evaluation.inputs import Table, prepare
    from lookalike.evaluation.utility import _fit_and_score, _labelled, check_target

    data = as_frame(data)
    _has_column(data, target)
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise DataError(f"seeds must be a whole number of at least 1, got {seeds!r}.")
    if not 0 < test_share < 1:
        raise DataError(f"test_share must be between 0 and 1, got {test_share!r}.")
    if len(data) < 20:
        raise DataError(f"the table has {len(data)} rows; checking augmentation needs 20 or more.")
    metadata = metadata or Metadata.detect(data)
    base = np.random.SeedSequence(random_state)
    records, metric, used = [], "", 0
    with progress(total=seeds, desc="augment check") as bar:
        for i, child in enumerate(base.spawn(seeds)):
            seed = int(child.generate_state(1)[0])
            train, test = _split(data, target, test_share, seed)
            synthetic = augment(
                train,
                target,
                model=model,
                rows=rows or len(train),
                random_state=seed,
                metadata=metadata,
            ).iloc[len(train) :]
            used = len(synthetic)
            prepared = prepare(train, synthetic, holdout=test, metadata=metadata)
            task = check_target(prepared, target)
            metric = task.metric
            features = [c for c in prepared.columns if c != target]
            encoding = learn_encoding(prepared, features)
            real = _labelled(prepared.real, target, prepared)
            both = join_tables(real, _labelled(prepared.synthetic, target, prepared), Table)
            assert prepared.holdout is not None  # given to prepare() above
            held = _labelled(prepared.holdout, target, prepared)
            for learner, family in LEARNERS.items():
                records.append(
                    {
                        "learner": learner,
                        "seed": i,
                        "real": _fit_and_score(family, task, encoding, real, held, target, seed),
                        "augmented": _fit_and_score(
                            family, task, encoding, both, held, target, seed
                        ),
                    }
                )
            bar.update(1)
    return AugmentCheck(target, metric, model, used, pd.DataFrame(records))


def _split(data: pd.DataFrame, target: str, share: float, seed: int) -> tuple[Any, Any]:
    """Train/test split of the real rows, stratified by the target when it is a class."""
    from sklearn.model_selection import train_test_split

    labels = data[target]
    counts = labels.value_counts()
    stratify = labels if labels.nunique() <= 20 and counts.min() >= 2 else None
    train, test = train_test_split(
        data, test_size=share, random_state=seed % 2**32, stratify=stratify
    )
    return train.reset_index(drop=True), test.reset_index(drop=True)


def _has_column(data: pd.DataFrame, target: str) -> None:
    from lookalike.balance import class_counts

    class_counts(data, target)  # raises the one "no column" message


def join_tables(a: Any, b: Any, table: Any) -> Any:
    """Two prepared evaluation tables (same columns, shared codes) one after the other."""
    return table({k: np.concatenate([a.values[k], b.values[k]]) for k in a.values}, a.n + b.n)
