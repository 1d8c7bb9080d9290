"""Evaluation scores -> one self-contained HTML page (templates/report.html.j2); computes nothing.

The page has no external resources: styles are inline and figures are base64 PNG images, so the
file opens offline and can be mailed as it is.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from lookalike.report.canvas import number

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


def template(name: str) -> Any:
    """A template of templates/ with the `num` filter (the shared number format)."""
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("lookalike.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = number
    return environment.get_template(name)


def render_html(
    report: Report, figures: dict[str, Any], *, full: bool = True, summary: bool = False
) -> str:
    """The report as HTML: a whole page (`full`) or a fragment to show inline (notebooks, the web
    app): the same sections and figures, styles scoped to `.lookalike-report`, no <html>.
    `summary` (with `full=False`): only the score cards, verdicts and notes.
    """
    return template("report.html.j2").render(
        full=full, summary_only=summary, **context(report, figures)
    )


def context(report: Report, figures: dict[str, Any]) -> dict[str, Any]:
    """What the templates read of one report."""
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
    from lookalike.evaluation.verdicts import privacy_in_words

    provenance = report.info.get("provenance") or {}
    model = provenance.get("model") or {}
    privacy = report.verdicts.get("privacy", {}).get("verdict")
    return {
        "info": report.info,
        "provenance": provenance_rows(provenance),
        "model_warning": _model_warning(model),
        "privacy_words": privacy_in_words(
            privacy,
            model.get("differential_privacy"),
            holdout=report.info.get("holdout") == "given",
        ),
        "headlines": headlines,
        "metric_verdicts": verdicts,
        "verdicts": report.verdicts,
        "notes": report.notes,
        "scores": scores,
        "metrics": report.metrics,
        "columns_table": _table(report.tables.get("columns"), _COLUMN_FORMATS),
        "pairs_table": _worst_pairs(report.tables.get("pairs")),
        "statistics_blocks": _statistics_blocks(report.tables.get("statistics")),
        "utility_table": _table(report.tables.get("utility"), {}),
        "figures": figures,
        "privacy_rows": _privacy_rows(report),
    }


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


def provenance_rows(provenance: dict[str, Any]) -> list[dict[str, str]]:
    """The header's rows: what was compared, which model made it, version and dates."""
    rows = []
    for key, title in (
        ("real", "Source (real)"),
        ("synthetic", "Synthetic"),
        ("holdout", "Holdout"),
    ):
        table = provenance.get(key)
        if not table:
            continue
        shape = f"{number(table.get('rows'))} rows × {number(table.get('columns'))} columns"
        digest = table.get("sha256")
        hashed = f"SHA-256 of the {table.get('hashed', 'data')}" if digest else ""
        rows.append(
            {
                "name": title,
                "value": f"{table.get('name') or '(in memory)'} · {shape}",
                "detail": f"{hashed} {digest[:16]}…" if digest else "",
                "full": digest or "",
            }
        )
    model = provenance.get("model")
    if model:
        params = ", ".join(
            f"{k}={v}" for k, v in (model.get("params") or {}).items() if k != "random_state"
        )
        fit = model.get("fit") or {}
        facts = [f"seed {model.get('seed')}"]
        if fit.get("fitted_at"):
            facts.append(f"fitted {fit['fitted_at']}")
        if fit.get("seconds") is not None:
            facts.append(f"fit time {number(float(fit['seconds']), 1)} s")
        if model.get("epochs"):
            facts.append(f"{model['epochs']} epochs ({model.get('stopped')})")
        training = fit.get("source") or fit.get("training") or {}
        digest = training.get("sha256") or model.get("file_sha256") or ""
        rows.append(
            {
                "name": "Model",
                "value": f"{model.get('name')}"
                + (f" (file {model['file']})" if model.get("file") else "")
                + f" · {'; '.join(facts)}",
                "detail": f"parameters: {params or 'defaults'}"
                + (f" · trained on {training.get('name')}" if training.get("name") else ""),
                "full": digest,
            }
        )
    card = provenance.get("card")
    if card:
        real = " · the output holds real rows" if card.get("contains_real_rows") else ""
        rows.append(
            {
                "name": "Provenance card",
                "value": f"purpose: {card.get('purpose') or 'not given'} · expires "
                f"{card.get('expires') or 'never'}{real}",
                "detail": f"{card.get('file')}: made by {card.get('command')} "
                f"{card.get('created')}",
                "full": "",
            }
        )
    rows.append(
        {
            "name": "Made with",
            "value": f"lookalike {provenance.get('lookalike_version', '?')}",
            "detail": f"evaluated {provenance.get('evaluated_at', '?')}",
            "full": "",
        }
    )
    return rows


def _model_warning(model: dict[str, Any]) -> str:
    if not model or not model.get("stores_training_values"):
        return ""
    return (
        f"The {model.get('name')} model file holds real training values "
        f"({model.get('training_values')}): share samples, not the model file."
    )
