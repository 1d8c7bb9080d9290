"""Evaluation scores -> one self-contained HTML page (templates/report.html.j2); computes nothing.

The page has no external resources: styles are inline and figures are base64 PNG images, so the
file opens offline and can be mailed as it is.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from lookalike.evaluation.results import Report

HEADLINES = (
    ("quality", "Quality", "1"),
    ("column_shapes", "Column shapes", "1"),
    ("column_pair_trends", "Column pair trends", "1"),
    ("detection_auc", "Detection AUC", "0.5"),
    ("ml_efficacy.tstr", "TSTR", "= TRTR"),
    ("ml_efficacy.trtr", "TRTR", "reference"),
    ("privacy.dcr_share", "DCR share", "0.5"),
    ("privacy.exact_match_share", "Exact matches", "0"),
    ("privacy.mia_auc", "Membership AUC", "0.5"),
)

EXPLANATIONS = {
    "quality": "Mean of column shapes and column pair trends (SDMetrics' Quality Report).",
    "column_shapes": "How alike each column's distribution is: 1 − KS statistic for numbers "
    "and dates, 1 − total variation distance for categories; averaged over columns.",
    "column_pair_trends": "How alike the relations between column pairs are: correlation "
    "similarity for two numbers, contingency similarity otherwise; averaged over pairs related "
    "in the real data (|r| > 0.5 or Cramér's V > 0.3), as SDMetrics does.",
    "detection_auc": "ROC-AUC of gradient boosting telling real from synthetic rows "
    "(cross-validated); 0.5 means it cannot tell them apart.",
    "ml_efficacy.tstr": "Target model trained on synthetic rows, scored on real test rows.",
    "ml_efficacy.trtr": "The same model trained on real training rows (the reference).",
    "privacy.dcr_share": "Share of synthetic rows closer to a training row than to a holdout "
    "row (equal-size samples); 0.5 is what new real data scores.",
    "privacy.exact_match_share": "Share of synthetic rows identical to a training row.",
    "privacy.mia_auc": "ROC-AUC of an attacker guessing training membership from the distance "
    "to the nearest synthetic row; 0.5 means no leak.",
}


def render_html(report: Report, figures: dict[str, Any], *, full: bool = True) -> str:
    """The report as HTML: a whole page (`full`) or just the summary (for notebooks)."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("lookalike.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = number
    template = environment.get_template("report.html.j2")
    scores = report.scores
    headlines = [
        {
            "key": key,
            "label": label,
            "ideal": ideal,
            "value": number(scores[key]),
            "help": EXPLANATIONS.get(key, ""),
        }
        for key, label, ideal in HEADLINES
        if key in scores
    ]
    verdicts = {
        metric["name"]: metric["verdict"]
        for area in report.verdicts.values()
        for metric in area["metrics"]
    }
    return template.render(
        full=full,
        info=report.info,
        headlines=headlines,
        metric_verdicts=verdicts,
        verdicts=report.verdicts,
        notes=report.notes,
        scores=scores,
        metrics=report.metrics,
        columns_table=_table(report.tables.get("columns"), _COLUMN_FORMATS),
        pairs_table=_worst_pairs(report.tables.get("pairs")),
        statistics_blocks=_statistics_blocks(report.tables.get("statistics")),
        utility_table=_table(report.tables.get("utility"), {}),
        figures=figures,
        privacy_rows=_privacy_rows(report),
    )


def number(value: Any, digits: int = 3) -> str:
    """A short human form: 3 decimals, scientific for tiny values, "–" for missing."""
    if value is None or isinstance(value, str):
        return "–" if value is None else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    value = float(value)
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value != 0 and abs(value) < 10 ** (-digits):
        return f"{value:.1e}"
    if abs(value) >= 1e5:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


_COLUMN_FORMATS = {"missing real": "pct", "missing synthetic": "pct", "missing difference": "pct"}


def _table(frame: pd.DataFrame | None, formats: dict[str, str]) -> dict[str, Any] | None:
    if frame is None or frame.empty:
        return None
    rows = []
    for record in frame.to_dict("records"):
        row = []
        for key, value in record.items():
            if formats.get(key) == "pct" and isinstance(value, float) and not math.isnan(value):
                row.append(f"{value:+.1%}" if key.endswith("difference") else f"{value:.1%}")
            elif key == "p-value":
                row.append(number(value, 4))
            else:
                row.append(number(value) if not isinstance(value, str) else html.unescape(value))
        rows.append(row)
    return {"header": list(frame.columns), "rows": rows}


def _worst_pairs(frame: pd.DataFrame | None, n: int = 15) -> dict[str, Any] | None:
    if frame is None or frame.empty:
        return None
    worst = frame.sort_values("score", na_position="last").head(n)
    return _table(worst, {})


def _when(seconds: float) -> str:
    if isinstance(seconds, float) and math.isnan(seconds):
        return "–"
    return str(pd.Timestamp(seconds, unit="s").round("s")).removesuffix(" 00:00:00")


def _statistics_blocks(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """One small table per column: {"column", "rows": [...]}, in table order."""
    blocks: list[dict[str, Any]] = []
    for row in _statistics_rows(frame):
        if not blocks or blocks[-1]["column"] != row["column"]:
            blocks.append({"column": row["column"], "rows": []})
        blocks[-1]["rows"].append(row)
    return blocks


def _statistics_rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    rows = []
    for record in frame.to_dict("records"):
        if record["datetime"]:
            spread = record["statistic"] == "std"
            show = (lambda v: f"{v / 86400:.1f} days") if spread else _when
            cells = [show(record["real"]), show(record["synthetic"])]
            cells.append(f"{record['difference'] / 86400:+.1f} days")
        else:
            cells = [number(record["real"]), number(record["synthetic"])]
            difference = record["difference"]
            cells.append(("+" if difference > 0 else "") + number(difference))
        rows.append(
            {
                "column": record["column"],
                "statistic": record["statistic"],
                "cells": cells,
                "scaled": number(record["difference / real std"], 2),
                "flag": record["flag"],
            }
        )
    return rows


def _privacy_rows(report: Report) -> list[dict[str, str]]:
    rows = []
    metrics = report.metrics
    if "privacy.exact_match_share" in metrics:
        metric = metrics["privacy.exact_match_share"]
        baseline = metric.detail.get("holdout_exact_match_share")
        rows.append(
            {
                "name": "Exact-match share",
                "value": f"{metric.score:.2%}",
                "reference": f"{baseline:.2%} of holdout rows repeat a training row"
                if baseline is not None
                else "no holdout to compare with",
            }
        )
    if "privacy.dcr_share" in metrics:
        detail = metrics["privacy.dcr_share"].detail
        rows.append(
            {
                "name": "DCR share (closer to training than holdout)",
                "value": number(metrics["privacy.dcr_share"].score),
                "reference": f"0.5 ideal; {detail['rows_per_side']:,} rows per side, "
                f"{detail['synthetic_rows']:,} synthetic rows, ties {detail['ties']:.1%}",
            }
        )
        rows.append(
            {
                "name": "Median distance to closest record",
                "value": f"{number(detail['dcr_train_median'])} (to training)",
                "reference": f"{number(detail['dcr_holdout_median'])} to holdout",
            }
        )
    if "privacy.mia_auc" in metrics:
        rows.append(
            {
                "name": "Membership-inference AUC",
                "value": number(metrics["privacy.mia_auc"].score),
                "reference": "0.5 ideal (attacker: closer to a synthetic row means member)",
            }
        )
    if "privacy.nndr" in metrics:
        detail = metrics["privacy.nndr"].detail
        reference = detail.get("holdout_nndr_median")
        text = (
            f"{number(reference)} for holdout rows"
            if reference is not None
            else f"real rows' own nearest-neighbour distance: "
            f"{number(detail.get('real_to_real_median'))} (median)"
        )
        rows.append(
            {
                "name": "Nearest-neighbour distance ratio (median)",
                "value": number(metrics["privacy.nndr"].score),
                "reference": text + "; near 0 means copies",
            }
        )
    return rows
