"""Detection: can a classifier tell real rows from synthetic ones? (ROC-AUC; 0.5 is ideal)."""

from __future__ import annotations

import numpy as np

from lookalike.evaluation.features import Encoding
from lookalike.evaluation.inputs import Prepared, sample_rows
from lookalike.evaluation.results import HALF, MetricResult

MAX_ROWS_PER_SIDE = 10_000
FOLDS = 3


def detection_auc(
    data: Prepared, encoding: Encoding, rng: np.random.Generator, random_state: int
) -> MetricResult:
    """Cross-validated ROC-AUC of gradient boosting on equal-size real and synthetic samples."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    n = min(data.real.n, data.synthetic.n, MAX_ROWS_PER_SIDE)
    real = data.real.take(sample_rows(data.real.n, n, rng))
    synthetic = data.synthetic.take(sample_rows(data.synthetic.n, n, rng))
    x_real, categorical = encoding.tree_matrix(real)
    x_synthetic, _ = encoding.tree_matrix(synthetic)
    x = np.vstack([x_real, x_synthetic])
    y = np.r_[np.ones(len(x_real)), np.zeros(len(x_synthetic))]
    folds = min(FOLDS, n)
    if folds < 2:
        return MetricResult("detection_auc", float("nan"), HALF, {"note": "too few rows"})
    aucs = []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=random_state)
    for train, test in splitter.split(x, y):
        model = HistGradientBoostingClassifier(
            max_iter=100,
            learning_rate=0.1,
            categorical_features=categorical if categorical.any() else None,
            early_stopping=False,
            random_state=random_state,
        )
        model.fit(x[train], y[train])
        aucs.append(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1]))
    detail = {
        "rows_per_side": int(n),
        "folds": folds,
        "fold_aucs": [float(a) for a in aucs],
        "model": "HistGradientBoostingClassifier(max_iter=100)",
    }
    return MetricResult("detection_auc", float(np.mean(aucs)), HALF, detail)
