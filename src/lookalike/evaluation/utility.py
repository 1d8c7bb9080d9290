"""Machine-learning utility: train on synthetic, test on real (TSTR) against train on real (TRTR).

The score is ROC-AUC for a binary target, macro-F1 for several classes and R2 for a number. Three
model families (linear, random forest, gradient boosting) are trained on real and on synthetic rows;
their rank correlation on the test rows says whether choosing a model on synthetic data picks the
one the real data would pick. Gradient boosting gives the headline TSTR and TRTR.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.evaluation.features import Encoding, learn_encoding
from lookalike.evaluation.inputs import Prepared, Table, sample_rows
from lookalike.evaluation.results import MAXIMIZE, MetricResult

MAX_TRAIN_ROWS = 30_000  # gradient boosting (headline) training rows
MAX_FAMILY_ROWS = 10_000  # linear and random-forest training rows (the ranking check)
MAX_TEST_ROWS = 20_000
FAMILIES = ("linear", "random forest", "gradient boosting")


@dataclass(frozen=True)
class Task:
    """What the target asks for: binary, multiclass or regression, and its score's name."""

    kind: str
    metric: str


def check_target(data: Prepared, target: str) -> Task:
    """The task for `target`; raises DataError for a missing, skipped or constant target."""
    if target not in data.metadata.columns:
        raise DataError(
            f"target {target!r} is not a column of the real table; "
            f"choose one of: {', '.join(list(data.metadata.columns)[:20])}."
        )
    kind = data.metadata.columns[target].kind
    if target in data.skipped:
        raise DataError(f"target {target!r} is an {kind} column; choose a column to predict.")
    values = data.real.values[target]
    if data.is_continuous(target):
        present = values[~np.isnan(values)]
        if len(np.unique(present)) < 2:
            raise DataError(f"target {target!r} is constant in the real table; nothing to predict.")
        return Task("regression", "R2")
    classes = np.unique(values[values >= 0])
    if len(classes) < 2:
        raise DataError(f"target {target!r} is constant in the real table; nothing to predict.")
    if len(classes) == 2:
        return Task("binary", "ROC-AUC")
    return Task("multiclass", "macro-F1")


def ml_efficacy(
    data: Prepared,
    target: str,
    task: Task,
    train: Table,
    test: Table,
    rng: np.random.Generator,
    random_state: int,
) -> tuple[dict[str, MetricResult], pd.DataFrame]:
    """TSTR, TRTR, their ratio and the model-family rank agreement, plus a per-family table."""
    features = [c for c in data.columns if c != target]
    if not features:
        raise DataError(f"target {target!r} is the only evaluated column; nothing to predict from.")
    encoding = learn_encoding(data, features)
    test = _labelled(test, target, data)
    if test.n == 0:
        raise DataError(f"target {target!r} has no values in the test rows; nothing to score.")
    test = test.take(sample_rows(test.n, MAX_TEST_ROWS, rng))
    sources = {
        "real": _labelled(train, target, data),
        "synthetic": _labelled(data.synthetic, target, data),
    }
    rows = []
    for family in FAMILIES:
        cap = MAX_TRAIN_ROWS if family == "gradient boosting" else MAX_FAMILY_ROWS
        for source, table in sources.items():
            table = table.take(sample_rows(table.n, cap, rng))
            score = _fit_and_score(family, task, encoding, table, test, target, random_state)
            rows.append(
                {"model": family, "trained on": source, "rows": table.n, task.metric: score}
            )
    table = pd.DataFrame(rows)
    wide = table.pivot(index="model", columns="trained on", values=task.metric).loc[list(FAMILIES)]
    trtr = float(wide.loc["gradient boosting", "real"])
    tstr = float(wide.loc["gradient boosting", "synthetic"])
    ratio = tstr / trtr if trtr > 0 else float("nan")
    agreement = _rank_agreement(wide["real"].to_numpy(), wide["synthetic"].to_numpy())
    same_best = bool(wide["real"].idxmax() == wide["synthetic"].idxmax())
    detail: dict[str, Any] = {"task": task.kind, "metric": task.metric, "target": target}
    metrics = {
        "ml_efficacy.tstr": MetricResult("ml_efficacy.tstr", tstr, MAXIMIZE, detail, _bounds(task)),
        "ml_efficacy.trtr": MetricResult("ml_efficacy.trtr", trtr, MAXIMIZE, detail, _bounds(task)),
        "ml_efficacy.ratio": MetricResult(
            "ml_efficacy.ratio", ratio, MAXIMIZE, {**detail, "is": "TSTR / TRTR"}, (0.0, np.inf)
        ),
        "ml_efficacy.rank_agreement": MetricResult(
            "ml_efficacy.rank_agreement",
            agreement,
            MAXIMIZE,
            {**detail, "same_best_model": same_best, "families": list(FAMILIES)},
            (-1.0, 1.0),
        ),
    }
    return metrics, wide.reset_index().rename(columns={"real": "TRTR", "synthetic": "TSTR"})


def _bounds(task: Task) -> tuple[float, float]:
    return (-np.inf, 1.0) if task.kind == "regression" else (0.0, 1.0)


def _labelled(table: Table, target: str, data: Prepared) -> Table:
    values = table.values[target]
    known = ~np.isnan(values) if data.is_continuous(target) else values >= 0
    return table.take(np.flatnonzero(known))


def _rank_agreement(real: np.ndarray, synthetic: np.ndarray) -> float:
    """Spearman correlation of the family scores (1: same order, -1: reversed)."""
    from scipy.stats import spearmanr

    if np.ptp(real) == 0 or np.ptp(synthetic) == 0:
        return float("nan")
    return float(spearmanr(real, synthetic).statistic)


def _fit_and_score(
    family: str,
    task: Task,
    encoding: Encoding,
    train: Table,
    test: Table,
    target: str,
    random_state: int,
) -> float:
    y_train, y_test = train.values[target], test.values[target]
    if task.kind != "regression" and len(np.unique(y_train)) < 2:
        # a single class to learn from: the model can only predict that class
        return _score(task, y_test, np.full(len(y_test), y_train[0]), None, y_train[:1])
    model = _model(family, task, random_state)
    if family == "gradient boosting":
        x_train, categorical = encoding.tree_matrix(train)
        x_test, _ = encoding.tree_matrix(test)
        model.set_params(categorical_features=categorical if categorical.any() else None)
    elif family == "random forest":
        x_train, _ = encoding.tree_matrix(train)
        x_test, _ = encoding.tree_matrix(test)
    else:
        x_train, x_test = encoding.dense_matrix(train), encoding.dense_matrix(test)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes of the linear model on odd data
        model.fit(x_train, y_train)
        predicted = model.predict(x_test)
        proba = model.predict_proba(x_test) if task.kind == "binary" else None
    classes = getattr(model, "classes_", None)
    return _score(task, y_test, predicted, proba, classes)


def _model(family: str, task: Task, random_state: int) -> Any:
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.linear_model import LogisticRegression, Ridge

    regression = task.kind == "regression"
    if family == "linear":
        return Ridge(alpha=1.0) if regression else LogisticRegression(max_iter=100)
    if family == "random forest":
        forest = RandomForestRegressor if regression else RandomForestClassifier
        return forest(n_estimators=40, min_samples_leaf=2, random_state=random_state, n_jobs=1)
    boosting = HistGradientBoostingRegressor if regression else HistGradientBoostingClassifier
    return boosting(max_iter=100, random_state=random_state, early_stopping=False)


def _score(
    task: Task,
    y_test: np.ndarray,
    predicted: np.ndarray,
    proba: np.ndarray | None,
    classes: np.ndarray | None,
) -> float:
    from sklearn.metrics import f1_score, r2_score, roc_auc_score

    if task.kind == "regression":
        return float(r2_score(y_test, predicted))
    if task.kind == "binary":
        positive = np.unique(y_test).max() if len(np.unique(y_test)) > 1 else None
        if positive is None:
            return float("nan")
        if proba is None or classes is None or positive not in classes:
            return 0.5  # constant predictions rank nothing
        column = int(np.flatnonzero(classes == positive)[0])
        return float(roc_auc_score(y_test == positive, proba[:, column]))
    labels = np.unique(y_test)
    return float(f1_score(y_test, predicted, labels=labels, average="macro", zero_division=0))
