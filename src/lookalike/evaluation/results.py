"""What `evaluate` returns: one `MetricResult` per score and the `Report` that holds them."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from lookalike.evaluation.inputs import Prepared

MAXIMIZE = "maximize"
MINIMIZE = "minimize"
HALF = "0.5"  # best at 0.5: a coin flip for whoever tries to tell the tables apart

# The contract's keys (CONTRACT.md), in the order scores.json lists them.
CONTRACT_KEYS = (
    "quality",
    "column_shapes",
    "column_pair_trends",
    "detection_auc",
    "ml_efficacy.tstr",
    "ml_efficacy.trtr",
    "privacy.dcr_share",
    "privacy.exact_match_share",
    "privacy.mia_auc",
    "rows.real",
    "rows.synthetic",
)


@dataclass(frozen=True)
class MetricResult:
    """One score: its scores.json name, value, goal (maximize, minimize or "0.5") and details.

    Example:
        >>> MetricResult("quality", 0.9, MAXIMIZE, {}).score
        0.9
    """

    name: str
    score: float
    goal: str
    detail: dict[str, Any] = field(default_factory=dict)
    bounds: tuple[float, float] = (0.0, 1.0)


@dataclass
class Report:
    """Scores, tables and notes of one evaluation; `.to_json()`, `.to_html()`, notebook display.

    Attributes:
        metrics: name -> MetricResult, for every score computed.
        tables: name -> DataFrame (columns, statistics, pairs, utility, privacy, ...).
        notes: plain sentences on what was (not) computed and why.
        verdicts: area -> {"verdict": good/fair/poor, "metrics": [...]} with thresholds.
        info: rows, columns, target, task, holdout source, seconds.
    """

    metrics: dict[str, MetricResult]
    tables: dict[str, pd.DataFrame]
    notes: list[str]
    verdicts: dict[str, dict[str, Any]]
    info: dict[str, Any]
    prepared: Prepared | None = field(default=None, repr=False)  # the inputs, for the figures
    extras: dict[str, Any] = field(default_factory=dict, repr=False)  # e.g. DCR distances

    @property
    def scores(self) -> dict[str, float]:
        """Flat scores: the contract's keys first (absent when not computed), then extras."""
        flat = {name: _plain(m.score) for name, m in self.metrics.items()}
        flat = {name: value for name, value in flat.items() if value is not None}
        ordered = {k: flat[k] for k in CONTRACT_KEYS if k in flat}
        ordered.update({k: v for k, v in flat.items() if k not in ordered})
        return ordered

    def json_data(self) -> dict[str, Any]:
        """What scores.json holds: the flat scores, then `provenance` (where the tables and the
        model came from: names, row counts, SHA-256 fingerprints, never values).
        """
        data: dict[str, Any] = dict(self.scores)
        if self.info.get("subgroup"):  # a control group: the real rows compared with
            data["subgroup"] = self.info["subgroup"]
        if self.info.get("provenance"):
            data["provenance"] = self.info["provenance"]
        return data

    def to_json(self, path: str | Path | None = None) -> str:
        """The flat scores (and `provenance`) as JSON text; also written atomically to `path`."""
        text = json.dumps(self.json_data(), indent=2, default=str)
        if path is not None:
            from lookalike.io.files import atomic_path

            with atomic_path(path) as tmp:
                Path(tmp).write_text(text + "\n", encoding="utf-8")
        return text

    def to_html(self, path: str | Path | None = None) -> str:
        """The full self-contained HTML report (plots inline); also written to `path`.

        A convenience for users (README): the page is made by `lookalike.report.to_html`; nothing
        in the scores calls this, and it is the one import from scores up to the report that
        tests/test_layers.py allows.
        """
        from lookalike.report import to_html

        return to_html(self, path)

    def _repr_html_(self) -> str:
        # a notebook shows the whole report with its figures, as a fragment (no <html> page)
        from lookalike.report import fragment_html

        return fragment_html(self)

    def __str__(self) -> str:
        width = max((len(k) for k in self.scores), default=0)
        lines = []
        group = self.info.get("subgroup")
        if group:
            lines.append(
                f"compared with the real subgroup {group['where']} ({group['rows_real']} rows)"
            )
        for key, value in self.scores.items():
            text = f"{value:.4f}" if isinstance(value, float) else str(value)
            lines.append(f"{key:<{width}}  {text}")
        for area, verdict in self.verdicts.items():
            lines.append(f"{area:<{width}}  {verdict['verdict']}")
        return "\n".join(lines)


def _plain(value: Any) -> Any:
    """JSON-safe number: ints stay ints, NaN becomes None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    number = float(value)
    if number.is_integer() and abs(number) < 2**53 and not isinstance(value, float):
        return int(number)
    return None if not math.isfinite(number) else number
