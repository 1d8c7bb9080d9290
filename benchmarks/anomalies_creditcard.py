"""Do lookalike's synthetic anomalies train better fraud detectors than uniform outliers?

creditcard.csv: the frauds (Class=1) are real anomalies. For each seed: split the NORMAL rows
70/30; the detectors only ever see the 70 % (plus synthetic anomalies); the test rows are the 30 %
normal rows plus every real fraud. Detectors:

* IsolationForest on the normal training rows (unsupervised; needs no anomalies);
* a gradient-boosting classifier trained on normal training rows vs synthetic anomalies, either
  lookalike's (`lookalike.anomalies`, all four kinds) or PyOD-style uniform outliers drawn in the
  bounding box of the normal rows inflated by 10 % per side (PyOD's `generate_data` recipe).

The same number of synthetic anomalies (`--share` of the training rows) for both. Prints ROC-AUC
and PR-AUC on the test rows, medians over seeds, as a markdown table.

    nice -n 10 python benchmarks/anomalies_creditcard.py [--data PATH] [--seeds 3] [--kinds K,K]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.metrics import average_precision_score, roc_auc_score

from lookalike.anomalies import anomalies

TARGET = "Class"


def uniform_outliers(normal: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    low, high = normal.min(), normal.max()
    pad = 0.1 * (high - low)
    values = rng.uniform((low - pad).to_numpy(), (high + pad).to_numpy(), (n, normal.shape[1]))
    return pd.DataFrame(values, columns=normal.columns)


def run(data: pd.DataFrame, seed: int, share: float, kinds: list[str]) -> list[dict[str, object]]:
    normal = data[data[TARGET] == 0].drop(columns=TARGET)
    fraud = data[data[TARGET] == 1].drop(columns=TARGET)
    train = normal.sample(frac=0.7, random_state=seed)
    test = pd.concat([normal.drop(train.index), fraud])
    truth = np.r_[np.zeros(len(test) - len(fraud)), np.ones(len(fraud))]
    count = round(share * len(train))
    out = []

    forest = IsolationForest(n_estimators=200, random_state=seed).fit(train)
    scores = {"IsolationForest (normal rows only)": -forest.score_samples(test)}
    made = anomalies(
        train,
        len(train) + count,
        share=count / (len(train) + count),
        kinds=kinds,
        random_state=seed,
    )
    synthetic = {
        "lookalike anomalies": made[made["anomaly"] != "normal"].drop(columns="anomaly"),
        "uniform outliers (PyOD-style)": uniform_outliers(train, count, seed),
    }
    for name, bad in synthetic.items():
        x = pd.concat([train, bad[train.columns].astype(float)], ignore_index=True)
        y = np.r_[np.zeros(len(train)), np.ones(len(bad))]
        model = HistGradientBoostingClassifier(random_state=seed).fit(x, y)
        scores[f"classifier: normal + {name}"] = model.predict_proba(test)[:, 1]
    for name, score in scores.items():
        out.append(
            {
                "seed": seed,
                "detector": name,
                "ROC-AUC": roc_auc_score(truth, score),
                "PR-AUC": average_precision_score(truth, score),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/datasets/creditcard.csv")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.05)
    parser.add_argument("--kinds", default="global,local,contextual,cluster")
    args = parser.parse_args()
    data = pd.read_csv(args.data)
    rows = [
        r for seed in range(args.seeds) for r in run(data, seed, args.share, args.kinds.split(","))
    ]
    table = pd.DataFrame(rows)
    frauds = int((data[TARGET] == 1).sum())
    print(
        f"creditcard: {len(data)} rows, {frauds} real frauds in every test set, "
        f"{args.seeds} seeds, synthetic anomalies {args.share:g} x the training rows"
    )
    print("| detector | ROC-AUC median (min-max) | PR-AUC median (min-max) |\n|---|---|---|")
    for name, group in table.groupby("detector", sort=False):
        cells = [
            f"{group[m].median():.3f} ({group[m].min():.3f}-{group[m].max():.3f})"
            for m in ("ROC-AUC", "PR-AUC")
        ]
        print(f"| {name} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
