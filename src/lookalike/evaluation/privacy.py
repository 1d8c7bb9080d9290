"""Privacy: are synthetic rows closer to the training rows than new real rows would be?

Distances are Euclidean on `features.dense_matrix` (numbers scaled to the real range, a category
mismatch counting as one full range), found with a nearest-neighbour index, never a Python loop.

- DCR share: of the synthetic rows, the share closer to a training row than to a holdout row, with
  equal-size training and holdout samples, so 0.5 is what fresh data scores (ties count one half).
- exact-match share: synthetic rows identical to a training row (all rows, by hashing).
- NNDR: nearest / second-nearest training distance per synthetic row (median; near 0 = copies).
- MIA AUC: an attacker ranks training and holdout rows by their distance to the nearest synthetic
  row; ROC-AUC of that guess at "was in training" (0.5: the synthetic data leaks nothing).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.evaluation.features import Encoding
from lookalike.evaluation.inputs import Prepared, Table, sample_rows
from lookalike.evaluation.results import HALF, MAXIMIZE, MINIMIZE, MetricResult

MAX_REFERENCE_ROWS = 5_000  # training / holdout rows in each distance sample
MAX_SYNTHETIC_ROWS = 5_000
TIE = 1e-9


def privacy_metrics(
    data: Prepared,
    encoding: Encoding,
    train: Table,
    holdout: Table | None,
    rng: np.random.Generator,
) -> tuple[dict[str, MetricResult], dict[str, Any]]:
    """Privacy scores and the distance samples the report plots.

    Without a holdout, the DCR share and the MIA AUC are not computed (every real row was
    training data, so there is nothing to compare with); distances to the real rows are then
    compared with the distances between real rows.
    """
    metrics: dict[str, MetricResult] = {}
    exact = _exact_match_share(data, train, data.synthetic)
    baseline = _exact_match_share(data, train, holdout) if holdout is not None else None
    metrics["privacy.exact_match_share"] = MetricResult(
        "privacy.exact_match_share",
        exact,
        MINIMIZE,
        {"holdout_exact_match_share": baseline, "rows_compared": int(data.synthetic.n)},
    )
    synthetic = encoding.dense_matrix(
        data.synthetic.take(sample_rows(data.synthetic.n, MAX_SYNTHETIC_ROWS, rng))
    )
    size = min(train.n, holdout.n if holdout is not None else train.n, MAX_REFERENCE_ROWS)
    train_sample = encoding.dense_matrix(train.take(sample_rows(train.n, size, rng)))
    train_index = _index(train_sample, 2)
    distances, _ = train_index.kneighbors(synthetic)
    to_train, second = distances[:, 0], distances[:, -1]
    nndr = np.where(second > TIE, to_train / np.maximum(second, TIE), 0.0)
    plots: dict[str, Any] = {"synthetic_to_train": to_train}
    nndr_detail: dict[str, Any] = {"synthetic_rows": len(synthetic), "train_rows": int(size)}
    if holdout is not None:
        holdout_sample = encoding.dense_matrix(holdout.take(sample_rows(holdout.n, size, rng)))
        to_holdout = _index(holdout_sample, 1).kneighbors(synthetic)[0][:, 0]
        closer = to_train < to_holdout - TIE
        tie = np.abs(to_train - to_holdout) <= TIE
        share = float(closer.mean() + 0.5 * tie.mean())
        metrics["privacy.dcr_share"] = MetricResult(
            "privacy.dcr_share",
            share,
            HALF,
            {
                "rows_per_side": int(size),
                "synthetic_rows": len(synthetic),
                "ties": float(tie.mean()),
                "dcr_train_median": float(np.median(to_train)),
                "dcr_holdout_median": float(np.median(to_holdout)),
                "dcr_train_p05": float(np.percentile(to_train, 5)),
            },
        )
        holdout_distances = train_index.kneighbors(holdout_sample)[0]
        holdout_to_train, holdout_second = holdout_distances[:, 0], holdout_distances[:, -1]
        reference = np.where(
            holdout_second > TIE, holdout_to_train / np.maximum(holdout_second, TIE), 0.0
        )
        nndr_detail["holdout_nndr_median"] = float(np.median(reference))
        plots.update(synthetic_to_holdout=to_holdout, holdout_to_train=holdout_to_train)
        metrics["privacy.mia_auc"] = _membership_inference(train_sample, holdout_sample, synthetic)
    else:
        # reference without a holdout: each real row's distance to its nearest *other* real row
        real_to_real = train_index.kneighbors(train_sample)[0][:, -1]
        plots["real_to_real"] = real_to_real
        nndr_detail["real_to_real_median"] = float(np.median(real_to_real))
    metrics["privacy.nndr"] = MetricResult(
        "privacy.nndr", float(np.median(nndr)), MAXIMIZE, nndr_detail
    )
    return metrics, plots


def _index(matrix: np.ndarray, k: int) -> Any:
    from sklearn.neighbors import NearestNeighbors

    return NearestNeighbors(n_neighbors=min(k, len(matrix)), algorithm="brute").fit(matrix)


def _membership_inference(
    members: np.ndarray, non_members: np.ndarray, synthetic: np.ndarray
) -> MetricResult:
    from sklearn.metrics import roc_auc_score

    index = _index(synthetic, 1)
    distance = np.concatenate(
        [index.kneighbors(members)[0][:, 0], index.kneighbors(non_members)[0][:, 0]]
    )
    is_member = np.r_[np.ones(len(members)), np.zeros(len(non_members))]
    auc = float(roc_auc_score(is_member, -distance))
    detail: dict[str, Any] = {"members": len(members), "non_members": len(non_members)}
    detail["attack"] = "closer to a synthetic row means 'was in training'"
    return MetricResult("privacy.mia_auc", auc, HALF, detail)


def _exact_match_share(data: Prepared, reference: Table, rows: Table) -> float:
    """Share of `rows` identical (on every evaluated column) to some row of `reference`."""
    reference_keys = set(_row_hashes(data, reference).tolist())
    keys = _row_hashes(data, rows)
    return float(pd.Series(keys).isin(reference_keys).mean())


def _row_hashes(data: Prepared, table: Table) -> np.ndarray:
    frame = pd.DataFrame(
        {
            name: np.round(table.values[name], 9)
            if data.is_continuous(name)
            else table.values[name]
            for name in data.columns
        }
    )
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()
