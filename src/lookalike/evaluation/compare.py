"""Several generators against one real table: one Report each, held side by side in a Comparison.

Every synthetic table is scored by the same `evaluate` with the same seed, holdout and target, so
the scores differ only through the synthetic rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lookalike.errors import DataError
from lookalike.evaluation.results import Report


@dataclass
class Comparison:
    """One Report per synthetic table, in the order given, under its label.

    Example:
        >>> import lookalike, pandas as pd
        >>> real = pd.DataFrame({"x": range(60), "y": ["a", "b", "c"] * 20})
        >>> both = lookalike.evaluate(real, [real, real.sample(frac=1, random_state=0)],
        ...                           labels=["copy", "shuffled"])
        >>> both.labels
        ['copy', 'shuffled']
    """

    labels: list[str]
    reports: list[Report]
    extras: dict[str, Any] = field(default_factory=dict, repr=False)  # e.g. drawn figures

    @property
    def notes(self) -> list[str]:
        """Every report's notes, each once."""
        return list(dict.fromkeys(note for report in self.reports for note in report.notes))

    @property
    def scores(self) -> dict[str, dict[str, float]]:
        """Label -> that generator's flat scores."""
        return {
            label: report.scores for label, report in zip(self.labels, self.reports, strict=True)
        }

    def to_json(self, path: str | Path | None = None) -> str:
        """{label: {scores..., "provenance": ...}} as JSON; also written atomically to `path`."""
        data = {
            label: report.json_data()
            for label, report in zip(self.labels, self.reports, strict=True)
        }
        text = json.dumps(data, indent=2, default=str)
        if path is not None:
            from lookalike.io.files import atomic_path

            with atomic_path(path) as tmp:
                Path(tmp).write_text(text + "\n", encoding="utf-8")
        return text

    def to_html(self, path: str | Path | None = None) -> str:
        """One self-contained page with the generators side by side (lookalike.report)."""
        from lookalike.report.compare import comparison_html

        return comparison_html(self, path)

    def _repr_html_(self) -> str:
        from lookalike.report.compare import comparison_html

        return comparison_html(self, None, full=False)

    def __str__(self) -> str:
        keys: list[str] = []
        for report in self.reports:
            keys += [k for k in report.scores if k not in keys]
        width = max((len(k) for k in keys), default=0)
        cells = [max(10, len(label)) for label in self.labels]
        lines = [
            " " * width
            + "".join(f"  {lab:>{w}}" for lab, w in zip(self.labels, cells, strict=True))
        ]
        for key in keys:
            row = []
            for report, w in zip(self.reports, cells, strict=True):
                value = report.scores.get(key)
                text = (
                    "-"
                    if value is None
                    else f"{value:.4f}"
                    if isinstance(value, float)
                    else str(value)
                )
                row.append(f"  {text:>{w}}")
            lines.append(f"{key:<{width}}" + "".join(row))
        areas = list(dict.fromkeys(a for r in self.reports for a in r.verdicts))
        for area in areas:
            row = [
                f"  {r.verdicts.get(area, {}).get('verdict', '-'):>{w}}"
                for r, w in zip(self.reports, cells, strict=True)
            ]
            lines.append(f"{area:<{width}}" + "".join(row))
        return "\n".join(lines)


def compare(
    evaluate: Callable[..., Report],
    real: Any,
    synthetic: list[Any],
    labels: list[str] | None,
    *,
    models: Any = None,
    provenance: Any = None,
    **options: Any,
) -> Comparison:
    """Run `evaluate(real, each synthetic, **options)`; `models` and `provenance` may be one value
    for all tables or a list with one per table.
    """
    if not synthetic:
        raise DataError("give at least one synthetic table to evaluate.")
    labels = list(labels) if labels else [str(i) for i in range(1, len(synthetic) + 1)]
    if len(labels) != len(synthetic):
        raise DataError(
            f"--labels names {len(labels)} table(s) but {len(synthetic)} synthetic table(s) were "
            "given; give one label per synthetic table."
        )
    if len(set(labels)) != len(labels) or not all(label.strip() for label in labels):
        raise DataError(f"--labels must be distinct and not empty; got {','.join(labels)!r}.")
    each_model = _per_table(models, len(synthetic))
    each_provenance = _per_table(provenance, len(synthetic))
    reports = [
        evaluate(real, table, model=model, provenance=facts, **options)
        for table, model, facts in zip(synthetic, each_model, each_provenance, strict=True)
    ]
    return Comparison(labels, reports)


def _per_table(value: Any, n: int) -> list[Any]:
    if isinstance(value, list | tuple):
        if len(value) != n:
            raise DataError(f"give one value per synthetic table ({n}), got {len(value)}.")
        return list(value)
    return [value] * n
