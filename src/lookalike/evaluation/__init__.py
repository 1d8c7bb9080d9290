"""How real is the synthetic data, and is it safe to share? `evaluate` answers with one Report.

Modules:
    inputs      check the tables and encode them alike (continuous floats, discrete codes)
    fidelity    column shapes, column pair trends, quality (SDMetrics' definitions), coverage
    statistics  side-by-side statistics, per-column tests, association matrices
    detection   classifier two-sample test (detection AUC)
    utility     TSTR / TRTR and model-family ranking agreement
    privacy     distance to closest record, exact matches, NNDR, membership inference
    features    numeric matrices for classifiers and distances
    verdicts    good / fair / poor per area, with thresholds
    plots       the report's figures (matplotlib, inline PNG)
    results     MetricResult and Report
    subgroup    control groups: only the real rows of a subgroup (`where=`)
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import numpy as np

from lookalike._progress import progress
from lookalike.evaluation import detection, fidelity, privacy, statistics, utility
from lookalike.evaluation.features import learn_encoding
from lookalike.evaluation.inputs import prepare, split_real
from lookalike.evaluation.results import MetricResult, Report
from lookalike.evaluation.sources import describe_inputs
from lookalike.evaluation.threads import single_threaded
from lookalike.evaluation.verdicts import copy_warning, judge
from lookalike.metadata import Metadata

__all__ = ["MetricResult", "Report", "evaluate"]

TEST_SHARE = 0.2  # real rows held out for utility when no holdout table is given


def evaluate(
    real: Any,
    synthetic: Any,
    *,
    holdout: Any = None,
    target: str | None = None,
    metadata: Metadata | None = None,
    random_state: int = 0,
    labels: list[str] | None = None,
    model: Any = None,
    provenance: dict[str, Any] | None = None,
    where: Any = None,
) -> Any:
    """Score synthetic rows against the real rows they were made from.

    Give a list of synthetic tables (and `labels`) to compare generators: the result is then a
    `Comparison` with one Report per table, side by side in one HTML page.

    Args:
        real: the training table (DataFrame or .csv/.parquet path).
        synthetic: the synthetic table, with the same columns.
        holdout: real rows the generator never saw; needed for the DCR share and the
            membership-inference AUC, and used as the test set for utility.
        target: a column to predict for the utility scores (TSTR, TRTR).
        metadata: column kinds; detected from `real` when omitted.
        random_state: seed for every sample, split and model.
        labels: names of the synthetic tables when `synthetic` is a list (default: 1, 2, ...).
        model: the fitted Model (or a `describe_model` dict) that made `synthetic`, for the
            report's header: name, parameters, seed, fit time, loss curves.
        provenance: more header facts, e.g. {"real": {"name": "adult.csv"}} (merged in).
        where: a subgroup to compare in (a control group): conditions as for
            `sample(conditions=...)`, or text such as "Outcome=1 and Age>=50". Only the real,
            holdout and synthetic rows that meet them are scored; the report names the subgroup
            and its row count, and warns when it has fewer than 30 real rows.

    Returns:
        A Report: `.scores` (flat dict), `.to_json(path)`, `.to_html(path)`; for a list of
        synthetic tables a Comparison (`.reports`, `.labels`, the same methods).

    Example:
        >>> import lookalike, pandas as pd
        >>> real = pd.DataFrame({"x": range(60), "y": ["a", "b", "c"] * 20})
        >>> round(lookalike.evaluate(real, real).scores["column_shapes"], 2)
        1.0
    """
    given = {"real": real, "synthetic": synthetic, "holdout": holdout}
    group = None
    if where is not None:
        from lookalike.evaluation.subgroup import restrict

        real, synthetic, holdout, metadata, group = restrict(
            real, synthetic, holdout, where, metadata
        )
    if isinstance(synthetic, list | tuple):
        from lookalike.evaluation.compare import compare

        both = compare(
            evaluate,
            real,
            list(synthetic),
            labels,
            holdout=holdout,
            target=target,
            metadata=metadata,
            random_state=random_state,
            models=model,
            provenance=provenance,
        )
        for index, one in enumerate(both.reports):
            _name_subgroup(one, group, index)
        return both
    start = time.perf_counter()
    sources = given if group is None else {**given, "synthetic": synthetic}
    rng = np.random.default_rng(random_state)
    steps = ["checking tables", "fidelity", "detection", "privacy"]
    if target is not None:
        steps.insert(3, "utility")
    bar = progress(total=len(steps), desc="evaluating", unit="step")
    seconds: dict[str, float] = {}
    clock = [time.perf_counter()]

    def done(step: str) -> None:
        now = time.perf_counter()
        seconds[step] = round(now - clock[0], 3)
        clock[0] = now
        bar.update()

    limits = contextlib.ExitStack()
    try:
        bar.set_postfix_str(steps[0])
        data = prepare(real, synthetic, holdout, metadata)
        task = utility.check_target(data, target) if target is not None else None
        limits.enter_context(single_threaded())  # after the checks: bad input fails fast
        done("checks")
        metrics: dict[str, MetricResult] = {}
        tables: dict[str, Any] = {}
        notes: list[str] = [
            f"Column {name!r} is left out: {why}." for name, why in data.skipped.items()
        ]

        bar.set_postfix_str("fidelity")
        shapes = fidelity.column_shapes(data)
        trends = fidelity.column_pair_trends(data)
        for metric in (fidelity.quality(shapes, trends), shapes, trends):
            metrics[metric.name] = metric
        metrics["column_pair_trends.all_pairs"] = MetricResult(
            "column_pair_trends.all_pairs", trends.detail["all_pairs"], "maximize", {}
        )
        if np.isnan(trends.score):
            notes.append(
                "No pair of columns is clearly related in the real data (|r| > 0.5 or Cramér's "
                "V > 0.3), so column pair trends is not scored (as in SDMetrics) and quality is "
                "column shapes alone; column_pair_trends.all_pairs averages every pair."
            )
        covered, column_table = fidelity.coverage(data)
        metrics[covered.name] = covered
        column_table = shapes.detail["table"].merge(column_table, on="column", how="left")
        column_table = column_table.merge(statistics.column_tests(data), on="column")
        tables["columns"] = column_table[
            ["column", "kind", *column_table.columns.drop(["column", "kind"])]
        ]
        tables["pairs"] = trends.detail["table"]
        tables["statistics"] = statistics.statistics_table(data)
        done("fidelity")

        bar.set_postfix_str("detection")
        encoding = learn_encoding(data)
        if data.real.n >= 2 and data.synthetic.n >= 2:
            metrics["detection_auc"] = detection.detection_auc(data, encoding, rng, random_state)
        else:
            notes.append("Detection AUC needs at least 2 real and 2 synthetic rows; not computed.")
        done("detection")

        holdout_source = "given" if data.holdout is not None else "none"
        if target is not None and task is not None:
            bar.set_postfix_str("utility")
            if data.holdout is not None:
                train, test = data.real, data.holdout
            else:
                train, test = split_real(data.real, TEST_SHARE, rng)
                notes.append(
                    f"No holdout given: utility models were tested on {test.n} real rows "
                    f"({TEST_SHARE:.0%}) held out at random; TRTR models trained on the other "
                    f"{train.n}. The synthetic data was probably made from all real rows, so "
                    "TSTR may be optimistic."
                )
                holdout_source = "split"
            found, tables["utility"] = utility.ml_efficacy(
                data, target, task, train, test, rng, random_state
            )
            metrics.update(found)
            done("utility")

        bar.set_postfix_str("privacy")
        found, distances = privacy.privacy_metrics(data, encoding, data.real, data.holdout, rng)
        metrics.update(found)
        notes += [w for w in [copy_warning(found)] if w]
        if data.holdout is None:
            notes.append(
                "No holdout given: the DCR share and the membership-inference AUC need real rows "
                "the generator never saw, so they are not computed; synthetic-to-real distances "
                "are compared with real-to-real distances instead. Pass --holdout for them."
            )
        done("privacy")
    finally:
        bar.close()
        limits.close()

    metrics["rows.real"] = MetricResult("rows.real", data.real.n, "count", {}, (0, np.inf))
    metrics["rows.synthetic"] = MetricResult(
        "rows.synthetic", data.synthetic.n, "count", {}, (0, np.inf)
    )
    info = {
        "rows_real": data.real.n,
        "rows_synthetic": data.synthetic.n,
        "rows_holdout": data.holdout.n if data.holdout is not None else None,
        "columns": data.columns,
        "skipped": data.skipped,
        "target": target,
        "task": task.kind if task is not None else None,
        "task_metric": task.metric if task is not None else None,
        "holdout": holdout_source,
        "random_state": random_state,
        "seconds": round(time.perf_counter() - start, 2),
        "step_seconds": seconds,
        "provenance": describe_inputs(sources, data, model, provenance),
    }
    report = Report(
        metrics=metrics,
        tables=tables,
        notes=notes,
        verdicts=judge(metrics),
        info=info,
        prepared=data,
        extras={"distances": distances},
    )
    return _name_subgroup(report, group, 0)


def _name_subgroup(report: Report, group: Any, index: int) -> Report:
    """Put which real subgroup `report` compared with (and its warnings) into its notes/info."""
    if group is not None:
        report.notes[:0] = group.notes(index)
        report.info["subgroup"] = group.as_dict(index)
    return report
