"""Whole-table views of the scores, readable at 60 columns: per-column score bars, one heatmap of
statistic differences across all columns, Table Evaluator's mean-vs-std plot (log axes), and the
training loss curves of neural models.

Each function takes the evaluation's tables (plain data) and returns a matplotlib Figure, or None
when there is nothing to draw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lookalike.report.canvas import GENERATORS, REAL, SYNTHETIC, figure, label, number, style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ROW_INCHES = 0.19  # per column in the tall charts: 60 columns -> about 1,050 px at 90 dpi
GOOD, FAIR = 0.9, 0.75  # shape score bands for the bar colours (as the column verdicts)
STATISTICS = ("mean", "std", "min", "25%", "50%", "75%", "max")
MISSING_FULL = 0.25  # a missing-share difference of 25 points is full colour


def score_bars(tables: list[tuple[str, pd.DataFrame]]) -> Figure | None:
    """Horizontal bars of each column's shape score (worst first); one bar per generator."""
    if not tables or tables[0][1].empty:
        return None
    first = tables[0][1].set_index("column")["score"]
    order = first.sort_values(na_position="first").index.tolist()
    n, k = len(order), len(tables)
    made = figure(7.5, max(2.0, 0.8 + ROW_INCHES * n * max(1.0, 0.6 * k)))
    ax = made.add_subplot()
    y = np.arange(n)
    height = 0.8 / k
    for j, (name, table) in enumerate(tables):
        scores = table.set_index("column")["score"].reindex(order).to_numpy(dtype=float)
        single = [_band(s) for s in scores]
        colours = single if k == 1 else [GENERATORS[j % len(GENERATORS)]] * n
        ax.barh(
            y - 0.4 + height * (j + 0.5),
            np.nan_to_num(scores),
            height=height,
            color=colours,
            label=name,
        )
        if k == 1:
            for i, s in enumerate(scores):
                ax.text(min(np.nan_to_num(s), 1.0) + 0.01, i, number(s, 2), va="center", fontsize=7)
    ax.set_yticks(y, [label(c, 24) for c in order], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("column shape score (1 − KS or 1 − TV; 1 is identical)", fontsize=8)
    style(ax, "Column shape scores, worst first", ticks="x")
    if k > 1:
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    return made


def statistic_differences(statistics: pd.DataFrame | None, columns: pd.DataFrame | None) -> Any:
    """A heatmap, one row per column: (synthetic − real) / real std for mean, std, min,
    quartiles and max, and the missing-share difference (colour full at 25 points).
    """
    if columns is None or columns.empty:
        return None
    names = columns["column"].tolist()
    matrix = np.full((len(names), len(STATISTICS) + 1), np.nan)
    shown = np.full(matrix.shape, "", dtype=object)
    if statistics is not None and not statistics.empty:
        pivot = statistics.pivot_table(
            index="column", columns="statistic", values="difference / real std", aggfunc="first"
        )
        for i, name in enumerate(names):
            for j, stat in enumerate(STATISTICS):
                if name in pivot.index and stat in pivot.columns:
                    value = float(pivot.loc[name, stat])
                    matrix[i, j] = np.clip(value, -1, 1)
                    shown[i, j] = _cell(value)
    missing = columns.set_index("column")["missing difference"].reindex(names).to_numpy(float)
    matrix[:, -1] = np.clip(missing / MISSING_FULL, -1, 1)
    shown[:, -1] = [f"{m:+.0%}" if np.isfinite(m) and m != 0 else "0" for m in missing]
    made = figure(7.5, max(2.4, 1.2 + ROW_INCHES * len(names)))
    ax = made.add_subplot()
    import matplotlib

    cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="#eeeeee")
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    headers = [*STATISTICS, "missing"]
    ax.set_xticks(range(len(headers)), headers, fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(names)), [label(c, 24) for c in names], fontsize=7)
    if len(names) <= 60:
        for (i, j), text in np.ndenumerate(shown):
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=6)
    ax.set_title(
        "Statistic differences: (synthetic − real) / real std; missing: share points",
        fontsize=10,
        loc="left",
        pad=18,
    )
    made.colorbar(image, ax=ax, shrink=0.5, label="clipped at ±1")
    return made


def mean_std(statistics: pd.DataFrame | None, generators: list[tuple[str, pd.DataFrame]]) -> Any:
    """Table Evaluator's plot: |mean| and std of each numeric column, real (x) against synthetic
    (y), on log axes; points on the diagonal are right.
    """
    if statistics is None or statistics.empty:
        return None
    made = figure(9, 3.8)
    axes = made.subplots(1, 2)
    drawn = False
    for ax, stat in zip(axes, ("mean", "std"), strict=True):
        limits: list[float] = []
        for j, (name, table) in enumerate(generators):
            rows = table[(table["statistic"] == stat) & ~table["datetime"].astype(bool)]
            x, y = np.abs(rows["real"].to_numpy(float)), np.abs(rows["synthetic"].to_numpy(float))
            keep = (x > 0) & (y > 0) & np.isfinite(x) & np.isfinite(y)
            if not keep.any():
                continue
            colour = SYNTHETIC if len(generators) == 1 else GENERATORS[j % len(GENERATORS)]
            ax.scatter(x[keep], y[keep], s=14, color=colour, alpha=0.8, label=name)
            limits += [
                float(x[keep].min()),
                float(x[keep].max()),
                float(y[keep].min()),
                float(y[keep].max()),
            ]
            drawn = True
        if limits:
            low, high = min(limits) / 2, max(limits) * 2
            ax.plot([low, high], [low, high], color=REAL, lw=1, ls="--", label="real = synthetic")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlim(low, high)
            ax.set_ylim(low, high)
        ax.set_xlabel(f"real {stat}", fontsize=8)
        ax.set_ylabel(f"synthetic {stat}", fontsize=8)
        style(ax, f"{'absolute mean' if stat == 'mean' else 'standard deviation'} per column")
        ax.legend(fontsize=7, frameon=False)
    return made if drawn else None


def loss_curves(models: list[tuple[str, dict[str, Any]]]) -> Figure | None:
    """Each neural model's mean losses per epoch (as its model file records them)."""
    found = [(name, model["loss"]) for name, model in models if model and model.get("loss")]
    if not found:
        return None
    made = figure(4.2 * len(found), 3.0)
    axes = np.atleast_1d(made.subplots(1, len(found)))
    for ax, (name, losses) in zip(axes, found, strict=True):
        keys = sorted({k for epoch in losses for k in epoch})
        epochs = np.arange(1, len(losses) + 1)
        for j, key in enumerate(keys):
            values = [epoch.get(key, np.nan) for epoch in losses]
            ax.plot(epochs, values, lw=1.4, label=key, color=GENERATORS[j % len(GENERATORS)])
        ax.set_xlabel("epoch", fontsize=8)
        style(ax, f"{name}: training losses")
        ax.legend(fontsize=7, frameon=False)
    return made


def _band(score: float) -> str:
    if not np.isfinite(score):
        return "#bbbbbb"
    return "#2e7d32" if score >= GOOD else "#b7791f" if score >= FAIR else "#c62828"


def _cell(value: float) -> str:
    """Two decimals in every cell (no scientific notation): -0.00 shows as 0.00."""
    if not np.isfinite(value):
        return ""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text
