"""A LinkedReport as one self-contained HTML page: the schema as a diagram, the link scores,
children-per-parent plots, and each table's (and each joined child's) single-table summary.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from lookalike.linked.evaluate import LinkedReport
    from lookalike.linked.schema import Schema

_BOX_W, _BOX_H, _GAP_X, _GAP_Y = 170, 34, 60, 40


def render(report: LinkedReport) -> str:
    """The linked-tables report as one HTML page."""
    from lookalike.report import summary_html
    from lookalike.report.canvas import REAL, SYNTHETIC, number
    from lookalike.report.columns import Series, draw_column

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>lookalike linked-tables report</title><style>",
        "body{font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#222;"
        "margin:0 auto;max-width:1320px;padding:20px 28px;font-size:14px}",
        "table{border-collapse:collapse;font-size:13px}td,th{padding:3px 9px;"
        "border-bottom:1px solid #e8ebef;text-align:left}h2{border-bottom:2px solid #e4e7eb}"
        ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr))}"
        ".charts img{max-width:100%;height:auto}",
        "</style></head><body><h1>Linked tables: real vs synthetic</h1>",
    ]
    if report.schema is not None:
        parts += ["<h2>Schema</h2>", schema_diagram(report.schema)]
    parts.append("<h2>Scores</h2><table><tr><th>score</th><th>value</th></tr>")
    for key, value in report.scores.items():
        parts.append(f"<tr><td>{html.escape(key)}</td><td>{number(value)}</td></tr>")
    parts.append("</table>")
    if report.counts:
        parts.append("<h2>Children per parent</h2><div class='charts'>")
        for label, (real, synthetic) in report.counts.items():
            series = [
                Series(name, colour, values=np.asarray(v, dtype=float))
                for v, colour, name in ((real, REAL, "real"), (synthetic, SYNTHETIC, "synthetic"))
            ]
            chart = draw_column(label, series)  # matplotlib PNG, or a sentence if constant
            body = (
                f"<img alt='{html.escape(label)}' src='data:image/png;base64,{chart.png}'>"
                if chart.png
                else html.escape(chart.note)
            )
            parts.append(f"<div>{body}</div>")
        parts.append("</div>")
    from lookalike.sequences.report import section_html

    parts += [section_html(section) for section in report.sequences.values()]
    for name, table_report in report.reports.items():
        title = f"Joined rows {name}" if "->" in name else f"Table {name}"
        parts.append(f"<h2>{html.escape(title)}</h2>")
        parts.append(summary_html(table_report))
    parts.append("</body></html>")
    return "\n".join(parts)


def schema_diagram(schema: Schema) -> str:
    """The schema as inline SVG: tables as boxes in dependency levels (parents above), foreign
    keys as arrows labelled with their columns (the report and the web app show it).
    """
    level: dict[str, int] = {}
    for name in schema.order():
        parents = [fk.parent for fk in schema.parents_of(name)]
        level[name] = 1 + max((level[p] for p in parents), default=-1)
    rows: dict[int, list[str]] = {}
    for name, depth in level.items():
        rows.setdefault(depth, []).append(name)
    where = {}
    for depth, names in rows.items():
        for i, name in enumerate(names):
            where[name] = (10 + i * (_BOX_W + _GAP_X), 10 + depth * (_BOX_H + _GAP_Y))
    width = 20 + max(len(n) for n in rows.values()) * (_BOX_W + _GAP_X)
    height = 20 + len(rows) * (_BOX_H + _GAP_Y)
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>",
        "<defs><marker id='arrow' markerWidth='8' markerHeight='8' refX='8' refY='4' "
        "orient='auto'><path d='M0,0 L8,4 L0,8 z' fill='#667'/></marker></defs>",
    ]
    for fk in schema.foreign_keys:
        (x1, y1), (x2, y2) = where[fk.table], where[fk.parent]
        out.append(
            f"<line x1='{x1 + _BOX_W / 2}' y1='{y1}' x2='{x2 + _BOX_W / 2}' "
            f"y2='{y2 + _BOX_H}' stroke='#667' marker-end='url(#arrow)'/>"
        )
        out.append(
            f"<text x='{(x1 + x2) / 2 + _BOX_W / 2 + 4}' y='{(y1 + y2 + _BOX_H) / 2}' "
            f"font-size='11' fill='#445'>{html.escape('+'.join(fk.columns))}</text>"
        )
    for name, (x, y) in where.items():
        key = ", ".join(schema.table(name).primary_key)
        out.append(
            f"<rect x='{x}' y='{y}' width='{_BOX_W}' height='{_BOX_H}' rx='5' "
            "fill='#eef3fa' stroke='#1f77b4'/>"
        )
        out.append(
            f"<text x='{x + 8}' y='{y + 15}' font-size='13' font-weight='600'>"
            f"{html.escape(name)}</text>"
        )
        out.append(
            f"<text x='{x + 8}' y='{y + 28}' font-size='10' fill='#556'>"
            f"{html.escape(key or 'no key')}</text>"
        )
    out.append("</svg>")
    return "".join(out)
