"""Several generators side by side in one page: a scores table (best per row marked), one verdict
row per generator, per-column score bars, overlaid distributions, mean-vs-std and pair scatters
with one colour per generator, and each model's provenance and loss curves.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lookalike._progress import progress
from lookalike.evaluation.threads import single_threaded
from lookalike.report import overview
from lookalike.report.canvas import GENERATORS, REAL, number, png
from lookalike.report.columns import column_series, draw_column
from lookalike.report.html import HEADLINES, provenance_rows, template
from lookalike.report.plots import MAX_COLUMN_PLOTS, pair_scatter

if TYPE_CHECKING:
    from lookalike.evaluation.compare import Comparison


def comparison_html(comparison: Comparison, path: str | Path | None, *, full: bool = True) -> str:
    """The comparison page (or a fragment to show inline); also written atomically to `path`."""
    from lookalike.evaluation.verdicts import privacy_in_words
    from lookalike.report import write_page

    reports, labels = comparison.reports, comparison.labels
    figures = _figures(comparison)
    first = reports[0].info.get("provenance") or {}
    header = provenance_rows({k: v for k, v in first.items() if k != "synthetic" and k != "model"})
    generators = []
    for label, report in zip(labels, reports, strict=True):
        facts = report.info.get("provenance") or {}
        model = facts.get("model") or {}
        rows = provenance_rows({"synthetic": facts.get("synthetic"), "model": model})[:-1]
        verdict = report.verdicts.get("privacy", {}).get("verdict")
        generators.append(
            {
                "label": label,
                "rows": rows,
                "verdicts": {a: v["verdict"] for a, v in report.verdicts.items()},
                "privacy_words": privacy_in_words(
                    verdict,
                    model.get("differential_privacy"),
                    holdout=report.info.get("holdout") == "given",
                ),
                "warning": model.get("training_values")
                if model.get("stores_training_values")
                else "",
            }
        )
    text = template("compare.html.j2").render(
        full=full,
        labels=labels,
        colours=[GENERATORS[i % len(GENERATORS)] for i in range(len(labels))],
        header=header,
        generators=generators,
        areas=list(dict.fromkeys(a for r in reports for a in r.verdicts)),
        scores=score_rows(comparison),
        info=reports[0].info,
        figures=figures,
        notes=list(dict.fromkeys(n for r in reports for n in r.notes)),
        ranking=comparison.extras.get("ranking"),
    )
    if path is not None:
        write_page(text, path)
    return text


def score_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """One row per score: its label, one cell per generator, the best cell(s) marked."""
    names = {key: label for key, label, _ in HEADLINES}
    keys = [k for k, _, _ in HEADLINES]
    for report in comparison.reports:
        keys += [k for k in report.scores if k not in keys and not k.startswith("rows.")]
    rows = []
    for key in keys:
        values = [r.scores.get(key) for r in comparison.reports]
        if all(v is None for v in values):
            continue
        goal = next((r.metrics[key].goal for r in comparison.reports if key in r.metrics), "")
        best = _best(values, goal)
        rows.append(
            {
                "name": names.get(key, key),
                "key": key,
                "cells": [
                    {"text": number(v), "best": i in best and len(values) > 1}
                    for i, v in enumerate(values)
                ],
            }
        )
    return rows


def _best(values: list[Any], goal: str) -> set[int]:
    def distance(value: float) -> float:
        if goal == "maximize":
            return -value
        if goal == "minimize":
            return value
        if goal == "0.5":
            return abs(value - 0.5)
        return math.nan

    scored = [
        (distance(float(v)), i)
        for i, v in enumerate(values)
        if isinstance(v, int | float) and math.isfinite(float(v))
    ]
    scored = [(d, i) for d, i in scored if not math.isnan(d)]
    if not scored:
        return set()
    low = min(d for d, _ in scored)
    return {i for d, i in scored if abs(d - low) <= 1e-12}


def _figures(comparison: Comparison) -> dict[str, Any]:
    reports, labels = comparison.reports, comparison.labels
    if "figures" in comparison.extras:
        return comparison.extras["figures"]  # type: ignore[no-any-return]
    data = reports[0].prepared
    figures: dict[str, Any] = {"columns": []}
    if data is None:
        return figures
    rng = np.random.default_rng(reports[0].info.get("random_state", 0))
    colours = [GENERATORS[i % len(GENERATORS)] for i in range(len(labels))]
    statistics = [
        (label, r.tables.get("statistics")) for label, r in zip(labels, reports, strict=True)
    ]
    models = [
        (label, (r.info.get("provenance") or {}).get("model") or {})
        for label, r in zip(labels, reports, strict=True)
    ]
    wholes = {
        "score_bars": lambda: overview.score_bars(
            [(label, r.tables["columns"]) for label, r in zip(labels, reports, strict=True)]
        ),
        "mean_std": lambda: overview.mean_std(statistics[0][1], statistics),
        "pairs": lambda: pair_scatter(
            data,
            reports[0].tables.get("pairs"),
            [(label, r.prepared) for label, r in zip(labels, reports, strict=True) if r.prepared],
            rng,
        ),
        "loss": lambda: overview.loss_curves(models),
    }
    jobs: list[tuple[str, Any]] = [("column", c) for c in data.columns[:MAX_COLUMN_PLOTS]]
    jobs += list(wholes.items())
    with warnings.catch_warnings(), single_threaded():
        warnings.simplefilter("ignore")
        for kind, job in progress(jobs, desc="drawing comparison", unit="figure"):
            if kind == "column":
                series = [column_series(data, job, "real", "real", REAL)]
                for label, report, colour in zip(labels, reports, colours, strict=True):
                    if report.prepared is not None and job in report.prepared.columns:
                        series.append(
                            column_series(report.prepared, job, "synthetic", label, colour)
                        )
                figures["columns"].append(draw_column(job, series, dates=job in data.datetimes))
                continue
            made = job()
            if made is not None:
                figures[kind] = png(made)
    comparison.extras["figures"] = figures
    return figures
