"""Plain-words verdicts (good / fair / poor) per area, with the thresholds that give them.

The thresholds are judgement calls, shown next to every verdict in the report. They were set
against reference runs on the shared datasets (e.g. on adult: copying rows scores quality 0.99,
a Gaussian copula 0.84, TabularARGN 0.98 with a detection AUC of 0.61).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lookalike.evaluation.results import MetricResult

GOOD, FAIR, POOR = "good", "fair", "poor"
_ORDER = {GOOD: 0, FAIR: 1, POOR: 2}


@dataclass(frozen=True)
class Threshold:
    """Good when the score is on the right side of `good`, fair up to `fair`, poor beyond."""

    good: float
    fair: float
    higher_is_better: bool

    def judge(self, score: float) -> str:
        """The verdict word for `score` (NaN: not computed)."""
        if score != score:  # NaN
            return FAIR
        if self.higher_is_better:
            return GOOD if score >= self.good else FAIR if score >= self.fair else POOR
        return GOOD if score <= self.good else FAIR if score <= self.fair else POOR

    def describe(self) -> str:
        """The thresholds in words, e.g. for the report's legend."""
        sign = "≥" if self.higher_is_better else "≤"
        return f"good {sign} {self.good:g}, fair {sign} {self.fair:g}, else poor"


THRESHOLDS: dict[str, Threshold] = {
    "quality": Threshold(0.90, 0.80, True),
    "detection_auc": Threshold(0.70, 0.85, False),
    "ml_efficacy.ratio": Threshold(0.95, 0.85, True),
    "privacy.dcr_share": Threshold(0.55, 0.60, False),
    "privacy.mia_auc": Threshold(0.55, 0.60, False),
}

AREAS = {
    "fidelity": ("quality", "detection_auc"),
    "utility": ("ml_efficacy.ratio",),
    "privacy": ("privacy.exact_match_share", "privacy.dcr_share", "privacy.mia_auc"),
}


def exact_match_threshold(baseline: float | None) -> Threshold:
    """Exact copies: judged against the rate at which new real rows repeat training rows."""
    base = baseline or 0.0
    return Threshold(round(base + 0.01, 4), round(base + 0.05, 4), False)


def copy_warning(metrics: dict[str, MetricResult]) -> str | None:
    """A warning when more synthetic rows copy a training row than fresh real rows repeat one
    (the holdout's rate) plus one point; None when not (or no holdout to compare with).
    """
    metric = metrics.get("privacy.exact_match_share")
    natural = metric.detail.get("holdout_exact_match_share") if metric is not None else None
    if metric is None or natural is None or not metric.score > natural + 0.01:
        return None
    return (
        f"warning: {metric.score:.1%} of the synthetic rows are exact copies of training rows, "
        f"above the {natural:.1%} of holdout rows found in the training data (+1 point): the "
        "generator reproduces real records; use a model or setting that copies less."
    )


def judge(metrics: dict[str, MetricResult]) -> dict[str, dict[str, Any]]:
    """Area -> {"verdict", "metrics": [{"name", "score", "verdict", "thresholds"}]}.

    An area's verdict is its worst metric's; areas without any computed metric are left out.
    """
    out: dict[str, dict[str, Any]] = {}
    for area, names in AREAS.items():
        judged = []
        for name in names:
            if name not in metrics:
                continue
            metric = metrics[name]
            threshold = THRESHOLDS.get(name)
            if name == "privacy.exact_match_share":
                threshold = exact_match_threshold(metric.detail.get("holdout_exact_match_share"))
            if threshold is None:
                continue
            judged.append(
                {
                    "name": name,
                    "score": metric.score,
                    "verdict": threshold.judge(metric.score),
                    "thresholds": threshold.describe(),
                }
            )
        if judged:
            worst = max((str(j["verdict"]) for j in judged), key=lambda v: _ORDER[v])
            out[area] = {"verdict": worst, "metrics": judged}
    return out
