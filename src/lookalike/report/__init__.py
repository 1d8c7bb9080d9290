"""The HTML report: evaluation scores (plain data) -> one self-contained page; computes no score.

    html      render_html: the page (templates/report.html.j2) or a fragment to show inline
    canvas    shared drawing helpers, colours, the one number format (why matplotlib PNG: here)
    columns   one figure per column: distribution and cumulative, shaped to what it holds
    overview  whole-table figures: score bars, statistic differences, mean vs std, loss curves
    plots     draw_figures: every figure of one report
    compare   several generators side by side in one page (a Comparison)

The scores (`lookalike.evaluation`) never import this package; it reads what they return.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lookalike.report.html import render_html

if TYPE_CHECKING:
    from lookalike.evaluation.results import Report


def figures(report: Report) -> dict[str, object]:
    """The report's figures, drawn once and kept on the report."""
    from lookalike.report.plots import draw_figures

    if "figures" not in report.extras:
        report.extras["figures"] = draw_figures(report)
    return report.extras["figures"]  # type: ignore[no-any-return]


def to_html(report: Report, path: str | Path | None = None) -> str:
    """The full page for `report` (figures drawn once, kept); also written atomically to `path`."""
    text = render_html(report, figures(report), full=True)
    if path is not None:
        write_page(text, path)
    return text


def fragment_html(report: Report) -> str:
    """The whole report with its figures as one `<div>` to show inline (a notebook, the web app)."""
    return render_html(report, figures(report), full=False)


def summary_html(report: Report) -> str:
    """Score cards, verdicts and notes only, as a fragment (fast: nothing is drawn)."""
    return render_html(report, {}, full=False, summary=True)


def write_page(text: str, path: str | Path) -> None:
    """Write a page atomically (a temp file, then a rename)."""
    from lookalike.io.files import atomic_path

    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


__all__ = ["fragment_html", "render_html", "summary_html", "to_html"]
