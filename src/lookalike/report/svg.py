"""Small inline SVG charts for the per-column plots: fast to make (no matplotlib), crisp to read.

Each function returns one `<svg>` element as text: a histogram overlay, grouped horizontal bars
or step/line curves, with a title, a few axis ticks and a legend.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
import pandas as pd

WIDTH, HEIGHT = 360, 230
TOP, BOTTOM, RIGHT = 26, 34, 10


def histogram(
    title: str,
    edges: np.ndarray,
    series: list[tuple[np.ndarray, str, str]],
    dates: bool = False,
) -> str:
    """Overlaid density histograms: `series` = [(densities per bin, colour, label)]."""
    left = 12
    top_value = max((float(d.max()) for d, _, _ in series if len(d)), default=1.0) or 1.0
    x = _scale(edges[0], edges[-1], left, WIDTH - RIGHT)
    y = _scale(0.0, top_value * 1.05, HEIGHT - BOTTOM, TOP)
    parts = [_frame(left)]
    for densities, colour, _ in series:
        points = [(x(edges[0]), y(0.0))]
        for i, value in enumerate(densities):
            points += [(x(edges[i]), y(value)), (x(edges[i + 1]), y(value))]
        points.append((x(edges[-1]), y(0.0)))
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(
            f'<polygon points="{path}" fill="{colour}" fill-opacity="0.3" stroke="{colour}" '
            'stroke-width="1.2"/>'
        )
    parts += _x_ticks(edges[0], edges[-1], x, dates)
    return _svg(title, parts, [(c, label) for _, c, label in series])


def bars(
    title: str, labels: list[str], series: list[tuple[np.ndarray, str, str]], xlabel: str
) -> str:
    """Grouped horizontal bars, one group per label: `series` = [(values, colour, label)]."""
    left = 118
    top_value = max((float(v.max()) for v, _, _ in series if len(v)), default=1.0) or 1.0
    x = _scale(0.0, top_value * 1.05, left, WIDTH - RIGHT)
    band = (HEIGHT - BOTTOM - TOP) / max(len(labels), 1)
    height = band * 0.8 / len(series)
    parts = [_frame(left)]
    for i, label in enumerate(labels):
        base = TOP + i * band + band * 0.1
        for j, (values, colour, _) in enumerate(series):
            width = x(values[i]) - left
            parts.append(
                f'<rect x="{left}" y="{base + j * height:.1f}" width="{max(width, 0):.1f}" '
                f'height="{height:.1f}" fill="{colour}"/>'
            )
        parts.append(
            f'<text x="{left - 4}" y="{base + band * 0.4 + 3:.1f}" text-anchor="end" '
            f'font-size="9">{escape(_short(label, 20))}</text>'
        )
    parts += _x_ticks(0.0, top_value * 1.05, x, False)
    parts.append(_xlabel(xlabel, left))
    return _svg(title, parts, [(c, label) for _, c, label in series])


def curves(
    title: str,
    series: list[tuple[np.ndarray, np.ndarray, str, str]],
    ylabel: str,
    dates: bool = False,
    categories: list[str] | None = None,
) -> str:
    """Step curves over numbers (or lines over `categories`): [(x, y, colour, label)]."""
    left = 34
    if categories is not None:
        low, high = -0.3, len(categories) - 0.7
    else:
        present = [s[0] for s in series if len(s[0])]
        low = min((float(v.min()) for v in present), default=0.0)
        high = max((float(v.max()) for v in present), default=1.0)
        if high <= low:
            low, high = low - 0.5, high + 0.5
    x = _scale(low, high, left, WIDTH - RIGHT)
    y = _scale(0.0, 1.02, HEIGHT - BOTTOM, TOP)
    parts = [_frame(left)]
    for xs, ys, colour, _ in series:
        if categories is None:
            points = []
            for i in range(len(xs)):
                if i:
                    points.append((x(xs[i]), y(ys[i - 1])))
                points.append((x(xs[i]), y(ys[i])))
        else:
            points = [(x(i), y(v)) for i, v in enumerate(ys)]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
        )
    for value in (0.0, 0.5, 1.0):
        parts.append(
            f'<text x="{left - 4}" y="{y(value) + 3:.1f}" text-anchor="end" font-size="9">'
            f"{value:g}</text>"
        )
    if categories is None:
        parts += _x_ticks(low, high, x, dates)
    else:
        step = max(1, math.ceil(len(categories) / 8))
        for i in range(0, len(categories), step):
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 12}" text-anchor="middle" '
                f'font-size="9">{escape(_short(categories[i], 9))}</text>'
            )
    parts.append(
        f'<text x="9" y="{(TOP + HEIGHT - BOTTOM) / 2:.1f}" font-size="9" text-anchor="middle" '
        f'transform="rotate(-90 9 {(TOP + HEIGHT - BOTTOM) / 2:.1f})">{escape(ylabel)}</text>'
    )
    return _svg(title, parts, [(c, label) for _, _, c, label in series])


# ---------------------------------------------------------------------- pieces
def _scale(low: float, high: float, start: float, end: float):
    span = (high - low) or 1.0
    return lambda value: start + (float(value) - low) / span * (end - start)


def _frame(left: float) -> str:
    return (
        f'<path d="M{left},{TOP} V{HEIGHT - BOTTOM} H{WIDTH - RIGHT}" fill="none" '
        'stroke="#888" stroke-width="1"/>'
    )


def _x_ticks(low: float, high: float, x, dates: bool) -> list[str]:
    parts = []
    for value in nice_ticks(low, high):
        text = pd.Timestamp(value, unit="s").strftime("%Y-%m-%d") if dates else _number(value)
        px = x(value)
        parts.append(
            f'<path d="M{px:.1f},{HEIGHT - BOTTOM} v4" stroke="#888"/>'
            f'<text x="{px:.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="middle" '
            f'font-size="9">{escape(text)}</text>'
        )
    return parts


def _xlabel(text: str, left: float) -> str:
    return (
        f'<text x="{(left + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle" '
        f'font-size="9" fill="#555">{escape(text)}</text>'
    )


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """A few round numbers inside [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    return [float(v) for v in np.arange(first, high + step * 1e-9, step)]


def _number(value: float) -> str:
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.0e}"
    return f"{value:g}"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _svg(title: str, parts: list[str], legend: list[tuple[str, str]]) -> str:
    items = []
    for i, (colour, label) in enumerate(legend):
        x = WIDTH - RIGHT - 150 + i * 75
        items.append(
            f'<rect x="{x}" y="6" width="9" height="9" fill="{colour}"/>'
            f'<text x="{x + 12}" y="14" font-size="9">{escape(label)}</text>'
        )
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" role="img">'
        f"<title>{escape(title)}</title>"
        f'<text x="4" y="15" font-size="11" font-weight="600">{escape(_short(title, 30))}</text>'
        + "".join(items)
        + "".join(parts)
        + "</svg>"
    )
