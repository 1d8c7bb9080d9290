"""Does balancing the fraud class help a classifier find fraud on REAL held-out rows?

For each seed: split ../shared/datasets/creditcard.csv 70/30 (stratified), balance the training
part only (the held-out part stays real and imbalanced), train a classifier, score it on the
held-out rows. Methods: none (the imbalanced training rows), class weights (sklearn's
class_weight="balanced", the free alternative), and `lookalike.balance` with SMOTE, Borderline-
SMOTE, ADASYN and the bayesnet model. Prints medians over the seeds as a markdown table.

    python benchmarks/balance_creditcard.py [--data PATH] [--seeds 5] [--ratio 1.0]
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from lookalike.balance import balance

TARGET = "Class"
METHODS = ["none", "class weights", "smote", "borderline-smote", "adasyn", "bayesnet"]


def classifiers(weighted: bool) -> dict[str, object]:
    weight = "balanced" if weighted else None
    return {
        "logistic": make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000, class_weight=weight)
        ),
        "boosting": HistGradientBoostingClassifier(random_state=0, class_weight=weight),
    }


def run(data: pd.DataFrame, seed: int, ratio: float) -> list[dict[str, object]]:
    train, test = train_test_split(data, test_size=0.3, stratify=data[TARGET], random_state=seed)
    x_test, y_test = test.drop(columns=TARGET), test[TARGET]
    out = []
    for method in METHODS:
        start = time.perf_counter()
        if method in ("none", "class weights"):
            rows = train
        else:
            rows = balance(train, TARGET, method=method, ratio=ratio, random_state=seed)
        seconds = time.perf_counter() - start
        for name, model in classifiers(method == "class weights").items():
            model.fit(rows.drop(columns=TARGET), rows[TARGET])
            predicted = model.predict(x_test)
            score = model.predict_proba(x_test)[:, 1]
            out.append(
                {
                    "seed": seed,
                    "method": method,
                    "classifier": name,
                    "recall": recall_score(y_test, predicted),
                    "precision": precision_score(y_test, predicted, zero_division=0),
                    "f1": f1_score(y_test, predicted),
                    "pr_auc": average_precision_score(y_test, score),
                    "fraud_rows": int((rows[TARGET] == 1).sum()),
                    "balance_s": seconds,
                }
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/datasets/creditcard.csv")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--ratio", type=float, default=1.0)
    args = parser.parse_args()
    data = pd.read_csv(args.data)
    rows = []
    for seed in range(args.seeds):
        rows += run(data, seed, args.ratio)
        print(f"seed {seed} done", file=sys.stderr, flush=True)
    results = pd.DataFrame(rows)
    table = (
        results.groupby(["classifier", "method"], sort=False)[
            ["recall", "precision", "f1", "pr_auc", "fraud_rows", "balance_s"]
        ]
        .median()
        .reset_index()
    )
    print(f"creditcard: {len(data)} rows, {args.seeds} seeds (70/30 splits), ratio {args.ratio}")
    print("medians over seeds; scores on the real held-out 30 %\n")
    print(
        "| classifier | training rows | recall | precision | F1 | PR-AUC | fraud rows | balance s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in table.itertuples(index=False):
        print(
            f"| {row.classifier} | {row.method} | {row.recall:.3f} | {row.precision:.3f} | "
            f"{row.f1:.3f} | {row.pr_auc:.3f} | {row.fraud_rows:.0f} | {row.balance_s:.1f} |"
        )
    spread = results.groupby(["classifier", "method"], sort=False)["recall"].agg(["min", "max"])
    print("\nrecall min-max over seeds:")
    for (classifier, method), row in spread.iterrows():
        print(f"  {classifier:<9} {method:<17} {row['min']:.3f}-{row['max']:.3f}")


if __name__ == "__main__":
    main()
