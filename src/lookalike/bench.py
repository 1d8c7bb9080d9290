"""`bench`: fit several models on the user's own table and rank them on the same scores.

The real table is split once (80 % train, 20 % holdout, stratified on the target when it is a
class); every model fits the train rows under the same time budget, samples as many rows, and is
scored by `lookalike.evaluation.evaluate` against the same split: quality, detection AUC, TSTR /
TRTR, DCR share and exact copies, plus fit and sampling time. Models are ranked on fidelity and
privacy together (`lookalike.bench_rank`), each with the reason for its place.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import numpy as np
import pandas as pd

from lookalike.bench_rank import RANKING, rank
from lookalike.errors import DataError, LookalikeError

HOLDOUT_SHARE = 0.2
COLUMNS = ["model", "fit s", "quality", "detection AUC", "TSTR/TRTR", "DCR share", "exact copies"]


def default_models() -> list[str]:
    """Registered models that need no optional extra (the fast ones)."""
    from lookalike.models import MODELS

    return [name for name, entry in MODELS.items() if not entry.extra]


def split_holdout(
    data: pd.DataFrame, target: str, random_state: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, holdout) rows; each class keeps its share when the target has few values."""
    rng = np.random.default_rng(random_state)
    labels = data[target].astype(str).to_numpy()
    classes, counts = np.unique(labels, return_counts=True)
    holdout: list[np.ndarray] = []
    if len(classes) <= 50 and counts.min() >= 2:
        for value in classes:
            rows = rng.permutation(np.flatnonzero(labels == value))
            holdout.append(rows[: max(1, round(len(rows) * HOLDOUT_SHARE))])
    else:
        rows = rng.permutation(len(data))
        holdout.append(rows[: max(1, round(len(data) * HOLDOUT_SHARE))])
    test = np.sort(np.concatenate(holdout))
    train = np.setdiff1d(np.arange(len(data)), test)
    return data.iloc[train].reset_index(drop=True), data.iloc[test].reset_index(drop=True)


def run_bench(
    data: pd.DataFrame,
    target: str,
    models: list[str] | None = None,
    *,
    time_budget: float = 60.0,
    random_state: int = 0,
    on_result: Any = None,
    reports: dict[str, Any] | None = None,
    metadata: Any = None,
) -> pd.DataFrame:
    """Fit, sample and score each model; one row per model, best first by the combined
    fidelity-and-privacy score of `lookalike.bench_rank` (columns `score`, `why`).

    Args:
        data: the real table.
        target: the column to predict for TSTR / TRTR.
        models: registry names; default: every model that needs no optional extra.
        time_budget: seconds of training per model (passed as `max_time` to the models that
            take it; the others are timed but not stopped).
        random_state: seed for the split, the models and the scores.
        on_result: called with each finished row (a dict), e.g. to print progress.
        reports: if given, filled with model name -> its evaluation Report (for `--report`).
        metadata: column kinds for every model and score (default: detected from `data`).
    """
    from lookalike.evaluation import evaluate
    from lookalike.models import get_model, model_class

    if target not in data.columns:
        raise DataError(f"--target {target!r} is not a column; columns are: {', '.join(data)}.")
    if len(data) < 20:
        raise DataError(f"bench needs at least 20 rows to split off a holdout; got {len(data)}.")
    if time_budget <= 0:
        raise DataError(f"--time-budget must be positive, got {time_budget}.")
    names = models or default_models()
    for name in names:
        model_class(name)  # unknown names fail before any work
    train, holdout = split_holdout(data, target, random_state)
    rows = []
    for name in names:
        row: dict[str, Any] = {"model": name}
        try:
            params: dict[str, Any] = {"random_state": random_state}
            if "max_time" in model_class(name)().get_params():
                params["max_time"] = time_budget
            start = time.perf_counter()
            kinds = copy.deepcopy(metadata)  # each model gets its own, as if it ran alone
            fitted = get_model(name, **params).fit(train, kinds)
            row["fit s"] = time.perf_counter() - start
            start = time.perf_counter()
            synthetic = fitted.sample(len(train), random_state=random_state)
            row["sample s"] = time.perf_counter() - start
            report = evaluate(
                train,
                synthetic,
                holdout=holdout,
                target=target,
                metadata=kinds,
                random_state=random_state,
                model=fitted,
            )
            scores = report.scores
            if reports is not None:
                reports[name] = report
            tstr, trtr = scores.get("ml_efficacy.tstr"), scores.get("ml_efficacy.trtr")
            row.update(
                {
                    "quality": scores.get("quality"),
                    "detection AUC": scores.get("detection_auc"),
                    "TSTR/TRTR": tstr / trtr if tstr is not None and trtr else None,
                    "DCR share": scores.get("privacy.dcr_share"),
                    "exact copies": scores.get("privacy.exact_match_share"),
                    **_noise_facts(report.metrics),
                }
            )
        except LookalikeError as error:
            row["error"] = " ".join(str(error).split())
        rows.append(row)
        if on_result is not None:
            on_result(row)
    table = pd.DataFrame(rows)
    for column in [*COLUMNS, "sample s", "error"]:
        if column not in table:
            table[column] = np.nan if column != "error" else ""
    table["error"] = table["error"].fillna("")
    return rank(table)


def _noise_facts(metrics: dict[str, Any]) -> dict[str, Any]:
    """What the ranking needs to tell a privacy problem from noise: the natural copy rate and
    the rows behind the DCR share and the detection AUC.
    """
    facts: dict[str, Any] = {}
    if "privacy.exact_match_share" in metrics:
        detail = metrics["privacy.exact_match_share"].detail
        facts["natural copies"] = detail.get("holdout_exact_match_share")
    if "privacy.dcr_share" in metrics:
        facts["DCR rows"] = metrics["privacy.dcr_share"].detail.get("rows_per_side")
    if "detection_auc" in metrics:
        facts["detection rows"] = metrics["detection_auc"].detail.get("rows_per_side")
    return facts


def leaderboard_json(table: pd.DataFrame) -> dict[str, Any]:
    """The ranked leaderboard as JSON-safe data: how it is ranked, then one entry per model."""
    models = []
    for place, record in enumerate(table.to_dict("records"), start=1):
        entry = {"rank": place}
        for key, value in record.items():
            if isinstance(value, float | np.floating) and np.isnan(value):
                value = None
            elif isinstance(value, np.generic):
                value = value.item()
            if value != "" or key != "error":
                entry[key] = value
        models.append(entry)
    return {"ranking": RANKING, "models": models}


def format_leaderboard(table: pd.DataFrame) -> str:
    """The leaderboard as an aligned text table, in rank order, with the score and the reason
    for each place; failures get their message.
    """
    lines = []
    header = ["model", "fit s", "quality", "detect AUC", "TSTR/TRTR", "DCR share", "copies"]
    header += ["score", "why"]
    widths = [max(8, *(len(str(m)) for m in table["model"])), 7, 8, 10, 9, 9, 7, 6, 0]
    lines.append(
        "  ".join(
            h.rjust(w) if i else h.ljust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for _, row in table.iterrows():
        if row["error"]:
            lines.append(f"{str(row['model']).ljust(widths[0])}  failed: {row['error']}")
            continue
        cells = [
            str(row["model"]).ljust(widths[0]),
            _fmt(row["fit s"], "{:.1f}").rjust(widths[1]),
            _fmt(row["quality"], "{:.3f}").rjust(widths[2]),
            _fmt(row["detection AUC"], "{:.3f}").rjust(widths[3]),
            _fmt(row["TSTR/TRTR"], "{:.3f}").rjust(widths[4]),
            _fmt(row["DCR share"], "{:.3f}").rjust(widths[5]),
            _fmt(row["exact copies"], "{:.2%}").rjust(widths[6]),
            _fmt(row["score"], "{:.3f}").rjust(widths[7]),
            str(row["why"]),
        ]
        lines.append("  ".join(cells))
    lines.append(
        "quality, TSTR/TRTR: higher is better (1 = as good as real); detection AUC and DCR share: "
        "0.5 is ideal (DCR above 0.5 = closer to the training rows than fresh real rows are); "
        "copies: synthetic rows identical to a training row.\nRanked by " + RANKING
    )
    return "\n".join(lines)


def _fmt(value: Any, pattern: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    return pattern.format(value)


def write_report(reports: dict[str, Any], path: Any, table: pd.DataFrame | None = None) -> None:
    """The models of one bench run side by side in one HTML page (a Comparison); with the
    leaderboard `table`, in its rank order and led by the ranking (score and why per model).
    """
    from lookalike.evaluation.compare import Comparison

    if not reports:
        raise DataError("no model finished, so there is no report to write.")
    labels = list(reports)
    extras: dict[str, Any] = {}
    if table is not None:
        ranked = [str(m) for m in table["model"] if str(m) in reports]
        labels = ranked + [label for label in labels if label not in ranked]
        extras["ranking"] = {
            "how": RANKING,
            "rows": [
                {
                    "rank": rank,
                    "model": str(row["model"]),
                    "score": _fmt(row.get("score"), "{:.3f}"),
                    "why": str(row.get("why", "")),
                }
                for rank, (_, row) in enumerate(table.iterrows(), start=1)
            ],
        }
    Comparison(labels, [reports[label] for label in labels], extras).to_html(path)


def write_json(table: pd.DataFrame, path: Any) -> None:
    """`leaderboard_json(table)` written atomically to `path`."""
    import json
    from pathlib import Path

    from lookalike.io.files import atomic_path

    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(leaderboard_json(table), indent=2) + "\n", "utf-8")
