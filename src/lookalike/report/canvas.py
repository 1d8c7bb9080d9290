"""Shared drawing helpers: matplotlib figures (Agg, no display) as inline base64 PNG, the colours,
and one number format for tables and axis ticks alike.

Why matplotlib PNG (60 creditcard columns, 2 shared CPUs; benchmarks/report_formats.py): the
page with 60 PNG charts was 0.51 MB and showed in 0.7 s in headless Chromium; the same charts as
matplotlib SVG 0.96 MB / 1.8 s; plotly with its script inlined once 5.4 MB / 9.0 s.
"""

from __future__ import annotations

import base64
import io
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

REAL, SYNTHETIC, HOLDOUT = "#1f77b4", "#ff7f0e", "#2ca02c"
# one colour per generator in a comparison (real stays blue)
GENERATORS = ("#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
DPI = 90


def number(value: Any, digits: int = 3) -> str:
    """A short human form: 3 decimals, scientific for tiny values, "–" for missing.

    Example:
        >>> number(0.12345), number(1234567), number(None)
        ('0.123', '1,234,567', '–')
    """
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


def tick(value: float) -> str:
    """An axis tick: at most 3 significant digits, k/M/G for large values (same rules as tables).

    Example:
        >>> tick(25000.0), tick(0.5), tick(1.5e6), tick(0.0)
        ('25k', '0.5', '1.5M', '0')
    """
    if not math.isfinite(value):
        return ""
    size = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{value / limit:.3g}{suffix}"
    if size != 0 and size < 1e-3:
        return f"{value:.0e}"
    return f"{value:.3g}"


def figure(width: float, height: float, layout: bool = True) -> Figure:
    """A figure; `layout=False` skips the constrained layout (slow) for fixed margins."""
    from matplotlib.figure import Figure

    made = Figure(figsize=(width, height), dpi=DPI)
    if layout:
        made.set_layout_engine("constrained")
    return made


def png(made: Figure) -> str:
    """The figure as base64 PNG text for an `<img src="data:image/png;base64,...">`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(made)
    buffer = io.BytesIO()
    made.savefig(buffer, format="png", dpi=DPI)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def style(ax: Axes, title: str, ticks: str = "xy") -> None:
    """Title on the left, small ticks in the shared number format, no top/right frame."""
    from matplotlib.ticker import FuncFormatter

    ax.set_title(title, fontsize=10, loc="left")
    ax.tick_params(labelsize=8)
    formatter = FuncFormatter(lambda value, _: tick(value))
    if "x" in ticks:
        ax.xaxis.set_major_formatter(formatter)
    if "y" in ticks:
        ax.yaxis.set_major_formatter(formatter)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def label(text: str, width: int = 18) -> str:
    """A column name cut to `width` characters (with an ellipsis) for axis labels."""
    return text if len(text) <= width else text[: width - 1] + "…"
