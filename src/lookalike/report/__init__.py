"""The HTML report: evaluation scores (plain data) -> one self-contained page; computes no score.

    html     render_html: the page from the template (templates/report.html.j2)
    plots    draw_figures: the figures (inline SVG and base64 PNG) from the evaluation's inputs
    svg      small dependency-free SVG charts

The scores (`lookalike.evaluation`) never import this package; it reads what they return.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lookalike.report.html import render_html

if TYPE_CHECKING:
    from lookalike.evaluation.results import Report


def to_html(report: Report, path: str | Path | None = None) -> str:
    """The full page for `report` (figures drawn once, kept); also written atomically to `path`."""
    from lookalike.report.html import render_html
    from lookalike.report.plots import draw_figures

    if "figures" not in report.extras:
        report.extras["figures"] = draw_figures(report)
    text = render_html(report, report.extras["figures"], full=True)
    if path is not None:
        from lookalike.io.files import atomic_path

        with atomic_path(path) as tmp:
            Path(tmp).write_text(text, encoding="utf-8")
    return text


def summary_html(report: Report) -> str:
    """The summary part of the page, without figures (what a notebook shows)."""
    from lookalike.report.html import render_html

    return render_html(report, {}, full=False)


__all__ = ["render_html", "summary_html", "to_html"]
