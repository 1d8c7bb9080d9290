"""Before/after view of rebalancing: does a learner find the rare class better on REAL rows?

`check_balance()` splits the real table (stratified), rebalances the training part only with
`lookalike.balance`, trains the same learners (logistic regression, gradient boosting) on the
training rows before and after, and scores both on the held-out real rows, which stay as
imbalanced as the data: precision, recall and F1 per class, and PR-AUC (average precision of the
rarest class; the mean over classes, one against the rest, when there are more than two).
The logic of benchmarks/balance_creditcard.py, as a library function.
"""

from __future__ import annotations

import html
import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.metadata import Metadata
from lookalike.models.base import as_frame

LEARNERS = {"logistic regression": "linear", "gradient boosting": "gradient boosting"}


@dataclass
class BalanceCheck:
    """Per-class scores and PR-AUC of each learner trained before and after rebalancing."""

    target: str
    method: str
    classes: pd.DataFrame  # learner, training, class, precision, recall, F1, support
    pr_auc: pd.DataFrame  # learner, training, PR-AUC

    def __str__(self) -> str:
        lines = [
            f"held-out real rows, learner trained before and after `balance --method "
            f"{self.method}`:",
            f"{'learner':<21}{'training':<8}{'class':>8}{'precision':>11}{'recall':>8}{'F1':>7}"
            f"{'PR-AUC':>8}",
        ]
        auc = self.pr_auc.set_index(["learner", "training"])["PR-AUC"]
        for row in self.classes.itertuples(index=False):
            lines.append(
                f"{row.learner:<21}{row.training:<8}{row[2]!s:>8}{row.precision:>11.3f}"
                f"{row.recall:>8.3f}{row.F1:>7.3f}{auc[(row.learner, row.training)]:>8.3f}"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe data: per-class scores and PR-AUC."""
        return {
            "target": self.target,
            "method": self.method,
            "classes": json.loads(self.classes.to_json(orient="records")),
            "pr_auc": json.loads(self.pr_auc.to_json(orient="records")),
        }

    def write(self, path: str | Path) -> Path:
        """Write the report as .json or .html (temp file, then rename)."""
        path = report_path(path)
        text = json.dumps(self.to_dict(), indent=2) if path.suffix == ".json" else self._html()
        temp = path.with_name(path.name + ".part")
        temp.write_text(text, encoding="utf-8")
        temp.replace(path)
        return path

    def _html(self) -> str:
        auc = self.pr_auc.set_index(["learner", "training"])["PR-AUC"]
        head = "".join(
            f"<th>{h}</th>"
            for h in ("learner", "training", "class", "precision", "recall", "F1", "PR-AUC")
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td>{html.escape(str(v))}</td>" for v in (r.learner, r.training, r[2]))
            + "".join(f"<td>{v:.3f}</td>" for v in (r.precision, r.recall, r.F1))
            + f"<td>{auc[(r.learner, r.training)]:.3f}</td></tr>"
            for r in self.classes.itertuples(index=False)
        )
        title = html.escape(f"Rebalancing {self.target} with {self.method}: before and after")
        return (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title><style>"
            "body{font-family:sans-serif}td,th{padding:4px 10px;border-bottom:1px solid #ddd}"
            f"</style></head><body><h1>{title}</h1><p>Scores on held-out real rows (never "
            "rebalanced). Rebalancing usually trades precision for recall on the rare class."
            f"</p><table><tr>{head}</tr>{body}</table></body></html>"
        )


def report_path(path: str | Path) -> Path:
    """The report path, checked: a .json or .html name."""
    path = Path(path)
    if path.suffix.lower() not in (".json", ".html"):
        raise DataError(f"cannot write a report to {path.name!r}; use a .json or .html name.")
    return path.with_suffix(path.suffix.lower())


def check_balance(
    data: Any,
    target: str,
    *,
    method: str = "smote",
    ratio: float = 1.0,
    test_share: float = 0.3,
    random_state: int | None = 0,
    metadata: Metadata | None = None,
    k_neighbors: int = 5,
) -> BalanceCheck:
    """Train on the real training rows and on them rebalanced; score on held-out real rows."""
    from sklearn.model_selection import train_test_split

    from lookalike.augment import join_tables
    from lookalike.balance import _target_as_category, balance, class_counts
    from lookalike.evaluation.features import learn_encoding
    from lookalike.evaluation.inputs import prepare
    from lookalike.evaluation.utility import _model, check_target

    data = as_frame(data)
    counts = class_counts(data, target)
    if len(counts) < 2 or counts.min() < 4:
        raise DataError(
            f"every class of {target!r} needs 4 or more rows to hold some out for the report."
        )
    if not 0 < test_share < 1:
        raise DataError(f"test_share must be between 0 and 1, got {test_share!r}.")
    metadata = _target_as_category(metadata or Metadata.detect(data), target)
    seed = int(np.random.SeedSequence(random_state).generate_state(1)[0])
    train, test = train_test_split(
        data, test_size=test_share, stratify=data[target], random_state=seed
    )
    train, test = train.reset_index(drop=True), test.reset_index(drop=True)
    balanced = balance(
        train,
        target,
        method=method,
        ratio=ratio,
        random_state=seed,
        metadata=metadata,
        k_neighbors=k_neighbors,
    )
    prepared = prepare(train, balanced.iloc[len(train) :], holdout=test, metadata=metadata)
    task = check_target(prepared, target)
    features = [c for c in prepared.columns if c != target]
    encoding = learn_encoding(prepared, features)
    after = join_tables(prepared.real, prepared.synthetic, type(prepared.real))
    held = prepared.holdout
    assert held is not None
    labels = prepared.labels[target]
    rows, aucs = [], []
    for learner, family in LEARNERS.items():
        for training, table in (("before", prepared.real), ("after", after)):
            model = _model(family, task, seed)
            x_train, x_test = _matrices(family, encoding, table, held, model)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(x_train, table.values[target])
                predicted = model.predict(x_test)
                proba = model.predict_proba(x_test)
            rows += _per_class(held.values[target], predicted, labels, learner, training)
            aucs.append(
                {
                    "learner": learner,
                    "training": training,
                    "PR-AUC": _pr_auc(held.values[target], proba, model.classes_, counts, labels),
                }
            )
    return BalanceCheck(target, method, pd.DataFrame(rows), pd.DataFrame(aucs))


def _matrices(family: str, encoding: Any, train: Any, test: Any, model: Any) -> tuple[Any, Any]:
    if family == "gradient boosting":
        x_train, categorical = encoding.tree_matrix(train)
        model.set_params(categorical_features=categorical if categorical.any() else None)
        return x_train, encoding.tree_matrix(test)[0]
    return encoding.dense_matrix(train), encoding.dense_matrix(test)


def _per_class(
    truth: np.ndarray, predicted: np.ndarray, labels: list[str], learner: str, training: str
) -> list[dict[str, Any]]:
    from sklearn.metrics import precision_recall_fscore_support

    codes = np.unique(truth)
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=codes, zero_division=0
    )
    return [
        {
            "learner": learner,
            "training": training,
            "class": labels[int(c)],
            "precision": float(p),
            "recall": float(r),
            "F1": float(f),
            "support": int(s),
        }
        for c, p, r, f, s in zip(codes, precision, recall, f1, support, strict=True)
    ]


def _pr_auc(
    truth: np.ndarray, proba: np.ndarray, classes: np.ndarray, counts: pd.Series, labels: list[str]
) -> float:
    from sklearn.metrics import average_precision_score

    present = [c for c in classes if (truth == c).any()]
    if len(classes) == 2:
        rarest = str(counts.index[-1])
        code = next((c for c in classes if labels[int(c)] == rarest), classes[1])
        return float(average_precision_score(truth == code, proba[:, list(classes).index(code)]))
    scores = [
        average_precision_score(truth == c, proba[:, list(classes).index(c)]) for c in present
    ]
    return float(np.mean(scores))
