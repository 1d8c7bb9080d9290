"""One figure per column: its distribution (left) and cumulative distribution (right), real against
one or more synthetic tables, drawn so the shape is readable whatever the column holds:

- numbers: overlaid histograms and cumulative curves; dates get date ticks;
- zero-heavy numbers (>= 30 % zeros and none negative, e.g. capital-gain): log axes, log-spaced
  bins and the zeros as their own bar, so the tail is not flattened by the spike at zero;
- two-valued numbers and categories: bars of row shares (top 12, then "(other)", "(missing)");
- a constant column: no plot, a sentence (`ColumnChart.note`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from lookalike.report.canvas import figure, number, png, style

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from lookalike.evaluation.inputs import Prepared

MAX_BARS = 12
ZERO_HEAVY = 0.3  # share of exact zeros from which a non-negative column gets a log x axis


@dataclass
class Series:
    """One table's values of one column: floats (NaN = missing) or category shares."""

    label: str
    colour: str
    values: np.ndarray | None = None  # continuous columns
    shares: dict[str, float] = field(default_factory=dict)  # discrete columns: label -> share
    missing: float = 0.0  # share of missing values


@dataclass
class ColumnChart:
    """A column's figure (base64 PNG) or, for a constant column, a note instead."""

    column: str
    png: str | None
    kind: str  # numbers, dates, zero-heavy, two-valued, categories, constant
    note: str = ""


def column_series(data: Prepared, name: str, table: str, label: str, colour: str) -> Series:
    """The values of column `name` in `data.real` / `data.synthetic` as a Series."""
    values = getattr(data, table).values[name]
    if data.is_continuous(name):
        floats = values.astype(float)
        return Series(label, colour, values=floats, missing=float(np.isnan(floats).mean()))
    counts = np.bincount(values + 1, minlength=len(data.labels[name]) + 1) / max(len(values), 1)
    shares = {data.labels[name][i]: float(c) for i, c in enumerate(counts[1:]) if c > 0}
    return Series(label, colour, shares=shares, missing=float(counts[0]))


def draw_column(name: str, series: list[Series], *, dates: bool = False) -> ColumnChart:
    """The figure of one column; `series[0]` is the real table."""
    kind = _kind(series, dates)
    if kind == "constant":
        return ColumnChart(name, None, kind, _constant_note(name, series))
    title = {"zero-heavy": " (log axes: mostly zeros)", "two-valued": " (two values)"}.get(kind, "")
    made = figure(7.6, 2.5, layout=False)
    bars = kind in ("two-valued", "categories")
    left = made.add_axes((0.16, 0.2, 0.33, 0.66) if bars else (0.1, 0.2, 0.37, 0.66))
    right = made.add_axes((0.59, 0.2, 0.38, 0.66))
    if kind in ("two-valued", "categories"):
        shares = (
            [_shares(s) for s in series] if kind == "two-valued" else [s.shares for s in series]
        )
        style(left, "", ticks="x")
        style(right, "", ticks="y")
        _bars(left, right, series, shares)
    else:
        style(left, "", ticks="y" if dates else "xy")
        style(right, "", ticks="y" if dates else "xy")
        _histogram(left, right, series, log=kind == "zero-heavy", dates=dates)
    left.set_title(f"{name}{title}", fontsize=10, loc="left")
    right.set_title("cumulative share", fontsize=9, loc="left")
    made.legend(
        handles=[_patch(s.colour) for s in series],
        labels=[s.label for s in series],
        loc="upper right",
        fontsize=7,
        frameon=False,
        ncol=len(series),
    )
    return ColumnChart(name, png(made), kind)


def _kind(series: list[Series], dates: bool) -> str:
    real = series[0]
    if real.values is None:
        seen = {key for s in series for key in s.shares} | (
            {"(missing)"} if any(s.missing for s in series) else set()
        )
        return "constant" if len(seen) <= 1 else "categories"
    present = [s.values[~np.isnan(s.values)] for s in series if s.values is not None]
    distinct = np.unique(np.concatenate(present)) if present else np.zeros(0)
    if len(distinct) <= 1 and not any(s.missing for s in series):
        return "constant"
    if dates:
        return "dates"
    real_values = present[0]
    if len(np.unique(real_values)) <= 2:
        return "two-valued"
    if (
        len(real_values)
        and real_values.min() >= 0
        and (real_values == 0).mean() >= ZERO_HEAVY
        and (real_values > 0).any()
    ):
        return "zero-heavy"
    return "numbers"


def _constant_note(name: str, series: list[Series]) -> str:
    parts = []
    for s in series:
        if s.values is not None:
            present = s.values[~np.isnan(s.values)]
            value = number(float(present[0])) if len(present) else "missing"
        else:
            value = next(iter(s.shares), "missing")
        parts.append(f"{s.label}: {value}")
    return f"{name} holds one value only ({'; '.join(parts)}): nothing to plot."


def _shares(s: Series) -> dict[str, float]:
    assert s.values is not None
    present = s.values[~np.isnan(s.values)]
    values, counts = np.unique(present, return_counts=True)
    return {
        number(float(v)): c / max(len(s.values), 1) for v, c in zip(values, counts, strict=True)
    }


def _bars(left: Axes, right: Axes, series: list[Series], shares: list[dict[str, float]]) -> None:
    order = sorted(shares[0], key=lambda k: -shares[0][k])
    for other in shares[1:]:
        order += [k for k in sorted(other, key=lambda k: -other[k]) if k not in order]
    top, rest = order[:MAX_BARS], order[MAX_BARS:]
    labels = [*top, *(["(other)"] if rest else [])]
    if any(s.missing for s in series):
        labels.append("(missing)")
    width = 0.8 / len(series)
    y = np.arange(len(labels))
    for j, (s, table) in enumerate(zip(series, shares, strict=True)):
        heights = [table.get(k, 0.0) for k in top]
        if rest:
            heights.append(sum(table.get(k, 0.0) for k in rest))
        if "(missing)" in labels:
            heights.append(s.missing)
        left.barh(y - 0.4 + width * (j + 0.5), heights, height=width, color=s.colour, alpha=0.8)
        right.step(y, np.cumsum(heights), where="mid", color=s.colour, lw=1.5)
    left.set_yticks(y, [_cut(k) for k in labels], fontsize=7)
    left.invert_yaxis()
    left.set_xlabel("share of rows", fontsize=7)
    right.set_xticks(y, [_cut(k, 8) for k in labels], fontsize=6, rotation=60)
    right.set_ylim(0, 1.02)


def _histogram(left: Axes, right: Axes, series: list[Series], *, log: bool, dates: bool) -> None:
    present = [s.values[~np.isnan(s.values)] for s in series if s.values is not None]
    both = np.concatenate(present)
    if log:
        positive = both[both > 0]
        edges = np.concatenate([[0.0], np.geomspace(positive.min(), positive.max(), 31)])
    else:
        edges = np.histogram_bin_edges(both, bins=min(40, max(5, len(np.unique(both)))))
    grid = np.unique(np.quantile(both, np.linspace(0, 1, 300)))
    scale = 86400.0 if dates else 1.0  # dates: seconds -> days since 1970 (matplotlib's epoch)
    for s, values in zip(series, present, strict=True):
        if log:  # bins of unequal width: share of all rows per bin
            heights = np.histogram(values, bins=edges)[0] / max(len(values), 1)
        elif len(values):
            heights = np.histogram(values, bins=edges, density=True)[0]
        else:
            heights = np.zeros(len(edges) - 1)
        left.stairs(heights, edges / scale, fill=True, alpha=0.3, color=s.colour)
        left.stairs(heights, edges / scale, color=s.colour, lw=1.0)
        cumulative = np.searchsorted(np.sort(values), grid, side="right") / max(len(values), 1)
        right.step(grid / scale, cumulative, where="post", color=s.colour, lw=1.5)
    for ax in (left, right):
        if log:
            ax.set_xscale("symlog", linthresh=float(edges[1]), linscale=0.3)
            if ax is left:
                ax.set_yscale("log")
        if dates:
            import matplotlib.dates as mdates

            locator = mdates.AutoDateLocator(maxticks=5)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    left.set_ylabel("share of rows" if log else "density", fontsize=7)
    right.set_ylim(0, 1.02)


def _patch(colour: str) -> object:
    from matplotlib.patches import Patch

    return Patch(color=colour, alpha=0.6)


def _cut(text: str, width: int = 16) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
