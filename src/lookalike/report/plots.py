"""The report's figures, all matplotlib (Agg, no display) as inline base64 PNG (why: canvas.py).

Real is blue and synthetic orange everywhere. Projections (PCA, t-SNE) use at most
`MAX_SCATTER_ROWS` rows of each table; histograms and cumulative curves use every row.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lookalike._progress import progress
from lookalike.evaluation.features import learn_encoding
from lookalike.evaluation.inputs import Prepared, sample_rows
from lookalike.evaluation.statistics import associations
from lookalike.evaluation.threads import single_threaded
from lookalike.report import overview
from lookalike.report.canvas import GENERATORS, HOLDOUT, REAL, SYNTHETIC, png, style
from lookalike.report.canvas import figure as _figure
from lookalike.report.canvas import label as _label
from lookalike.report.columns import column_series, draw_column

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from lookalike.evaluation.results import Report

MAX_SCATTER_ROWS = 1_000  # per table, for PCA
MAX_TSNE_ROWS = 500  # per table: t-SNE on 1,000 points takes a few seconds
MAX_COLUMN_PLOTS = 60
MAX_HEATMAP_COLUMNS = 60
MAX_ASSOCIATION_ROWS = 5_000  # per table, for the heatmaps
MAX_PAIRS = 4  # scatter plots of the most related number pairs
MAX_PAIR_POINTS = 2_000  # per table and pair


def draw_figures(report: Report) -> dict[str, Any]:
    """Every figure: {"name": base64 PNG, "columns": [ColumnChart, ...]}."""
    data = report.prepared
    if data is None:
        return {}
    rng = np.random.default_rng(report.info.get("random_state", 0))
    random_state = report.info.get("random_state", 0)
    model = (report.info.get("provenance") or {}).get("model") or {}
    tables = report.tables
    wholes: list[tuple[str, Any]] = [
        ("score_bars", lambda: overview.score_bars([("synthetic", tables["columns"])])),
        (
            "statistics",
            lambda: overview.statistic_differences(tables.get("statistics"), tables.get("columns")),
        ),
        (
            "mean_std",
            lambda: overview.mean_std(
                tables.get("statistics"), [("synthetic", tables.get("statistics"))]
            ),
        ),
        ("pairs", lambda: pair_scatter(data, tables.get("pairs"), [("synthetic", data)], rng)),
        ("loss", lambda: overview.loss_curves([(model.get("name", "model"), model)])),
    ]
    if len(data.columns) >= 2:
        wholes.append(("heatmaps", lambda: _heatmaps(data, rng)))
    wholes.append(("projections", lambda: _projections(data, rng, random_state)))
    distances = report.extras.get("distances")
    if distances:
        wholes.append(("distances", lambda: _distance_histogram(distances)))
    if "utility" in tables:
        wholes.append(("utility", lambda: _utility_bars(tables["utility"], report.info)))
    columns = data.columns[:MAX_COLUMN_PLOTS]
    figures: dict[str, Any] = {"columns": []}
    jobs: list[tuple[str, Any]] = [("column", c) for c in columns] + wholes
    with warnings.catch_warnings(), single_threaded():
        warnings.simplefilter("ignore")  # matplotlib font and layout notes are not the user's
        for kind, job in progress(jobs, desc="drawing report", unit="figure"):
            if kind == "column":
                series = [
                    column_series(data, job, "real", "real", REAL),
                    column_series(data, job, "synthetic", "synthetic", SYNTHETIC),
                ]
                figures["columns"].append(draw_column(job, series, dates=job in data.datetimes))
                continue
            made = job()
            if made is not None:
                figures[kind] = png(made)
    return figures


# ---------------------------------------------------------------------- whole table
def _heatmaps(data: Prepared, rng: np.random.Generator) -> Figure:
    """Association matrices real, synthetic and |difference|: side by side up to 16 columns,
    else one under the other at full width, so 60 labels stay readable.
    """
    columns = data.columns[:MAX_HEATMAP_COLUMNS]
    real_rows = data.real.take(sample_rows(data.real.n, MAX_ASSOCIATION_ROWS, rng))
    synthetic_rows = data.synthetic.take(sample_rows(data.synthetic.n, MAX_ASSOCIATION_ROWS, rng))
    real = associations(data, real_rows, columns).to_numpy()
    synthetic = associations(data, synthetic_rows, columns).to_numpy()
    difference = np.abs(real - synthetic)
    n = len(columns)
    side = max(3.2, 0.2 * n + 1.8)
    per_row = 3 if n <= 16 else 1
    figure = _figure(side * per_row + 0.6 * per_row, (side + 0.4) * (3 // per_row))
    axes = np.atleast_1d(figure.subplots(3 // per_row, per_row)).ravel()
    panels = (
        (real, "real", "RdBu_r", -1.0),
        (synthetic, "synthetic", "RdBu_r", -1.0),
        (difference, "|real − synthetic|", "Reds", 0.0),
    )
    labels = [_label(c, 16) for c in columns]
    size = 7 if n <= 40 else 6
    for ax, (matrix, title, cmap, low) in zip(axes, panels, strict=True):
        image = ax.imshow(np.nan_to_num(matrix), cmap=cmap, vmin=low, vmax=1.0)
        ax.set_xticks(range(n), labels, rotation=90, fontsize=size)
        ax.set_yticks(range(n), labels if (ax is axes[0] or per_row == 1) else [], fontsize=size)
        ax.set_title(title, fontsize=10)
        figure.colorbar(image, ax=ax, shrink=0.7)
    return figure


def pair_scatter(
    data: Prepared,
    pairs: pd.DataFrame | None,
    generators: list[tuple[str, Prepared]],
    rng: np.random.Generator,
) -> Figure | None:
    """The most related number pairs of the real data (|Pearson r|), real vs each synthetic."""
    if pairs is None or pairs.empty or "real correlation" not in pairs:
        return None
    numeric = pairs.dropna(subset=["real correlation"])
    numeric = numeric[
        numeric["column 1"].map(lambda c: c not in data.datetimes)
        & numeric["column 2"].map(lambda c: c not in data.datetimes)
    ]
    top = numeric.reindex(numeric["real correlation"].abs().sort_values(ascending=False).index)
    top = top.head(MAX_PAIRS)
    if top.empty:
        return None
    tables = [("real", data.real, REAL)] + [
        (name, prepared.synthetic, colour)
        for (name, prepared), colour in zip(generators, [SYNTHETIC, *GENERATORS[1:]], strict=False)
    ]
    per_row = max(1, 4 // len(tables))  # pairs side by side: 2 with one synthetic table
    rows = -(-len(top) // per_row)
    figure = _figure(2.7 * len(tables) * per_row, 2.5 * rows)
    grid = figure.subplots(rows, len(tables) * per_row, squeeze=False)
    panels = [
        list(grid[i // per_row, (i % per_row) * len(tables) :][: len(tables)])
        for i in range(len(top))
    ]
    for ax in grid.ravel()[len(top) * len(tables) :]:
        ax.axis("off")
    for row, (_, pair) in zip(panels, top.iterrows(), strict=True):
        a, b = str(pair["column 1"]), str(pair["column 2"])
        for ax, (name, table, colour) in zip(row, tables, strict=True):
            keep = sample_rows(table.n, MAX_PAIR_POINTS, rng)
            x, y = table.values[a][keep], table.values[b][keep]
            ax.scatter(x, y, s=3, alpha=0.35, color=colour, rasterized=True)
            r = pd.Series(x).corr(pd.Series(y))
            style(ax, f"{name}: r = {r:.2f}")
            ax.set_xlabel(_label(a, 24), fontsize=7)
            ax.set_ylabel(_label(b, 24), fontsize=7)
        low = [min(ax.get_xlim()[0] for ax in row), min(ax.get_ylim()[0] for ax in row)]
        high = [max(ax.get_xlim()[1] for ax in row), max(ax.get_ylim()[1] for ax in row)]
        for ax in row:
            ax.set_xlim(low[0], high[0])
            ax.set_ylim(low[1], high[1])
    return figure


def _projections(data: Prepared, rng: np.random.Generator, random_state: int) -> Figure:
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE

    encoding = learn_encoding(data)
    real = encoding.projection_matrix(
        data.real.take(sample_rows(data.real.n, MAX_SCATTER_ROWS, rng))
    )
    synthetic = encoding.projection_matrix(
        data.synthetic.take(sample_rows(data.synthetic.n, MAX_SCATTER_ROWS, rng))
    )
    both = np.vstack([real, synthetic])
    figure = _figure(10, 4.2)
    axes = figure.subplots(1, 2)
    if both.shape[1] >= 2 and len(both) >= 4:
        pca = PCA(n_components=2, random_state=random_state).fit(real)
        projected = pca.transform(both)
        # t-SNE on a subsample of each side: its cost grows quickly with rows
        rows_real = sample_rows(len(real), MAX_TSNE_ROWS, rng)
        rows_synthetic = sample_rows(len(synthetic), MAX_TSNE_ROWS, rng)
        small = np.vstack([real[rows_real], synthetic[rows_synthetic]])
        perplexity = float(min(20, max(2, (len(small) - 1) // 3)))
        embedded = TSNE(
            n_components=2,
            init="pca",
            perplexity=perplexity,
            max_iter=500,  # the first 250 are early exaggeration: fewer never settle
            random_state=random_state,
        ).fit_transform(small)
        explained = pca.explained_variance_ratio_.sum()
        titles = (
            f"PCA (fitted on real; {explained:.0%} of variance)",
            f"t-SNE ({len(rows_real):,} + {len(rows_synthetic):,} rows)",
        )
        panels = ((projected, len(real)), (embedded, len(rows_real)))
        for ax, (points, split), title in zip(axes, panels, titles, strict=True):
            ax.scatter(*points[:split].T, s=5, alpha=0.5, color=REAL, label="real")
            ax.scatter(*points[split:].T, s=5, alpha=0.5, color=SYNTHETIC, label="synthetic")
            ax.set_xticks([])
            ax.set_yticks([])
            style(ax, title)
            ax.legend(fontsize=8, markerscale=3, frameon=False)
    else:
        for ax in axes:
            ax.text(0.5, 0.5, "too few columns or rows to project", ha="center")
            ax.axis("off")
    return figure


def _distance_histogram(distances: dict[str, np.ndarray]) -> Figure:
    figure = _figure(7, 3)
    ax = figure.add_subplot()
    curves = [
        ("synthetic_to_train", SYNTHETIC, "synthetic → nearest training row"),
        ("synthetic_to_holdout", "#9467bd", "synthetic → nearest holdout row"),
        ("holdout_to_train", HOLDOUT, "holdout → nearest training row"),
        ("real_to_real", REAL, "real → nearest other real row"),
    ]
    present = [d for key, _, _ in curves if (d := distances.get(key)) is not None]
    top = float(np.percentile(np.concatenate(present), 99)) if present else 1.0
    edges = np.linspace(0, max(top, 1e-9), 40)
    for key, color, label in curves:
        values = distances.get(key)
        if values is not None:
            ax.hist(
                np.clip(values, 0, top),
                bins=edges.tolist(),
                density=True,
                histtype="step",
                lw=1.5,
                color=color,
                label=label,
            )
    ax.set_xlabel("distance to the closest record", fontsize=8)
    ax.set_yticks([])
    style(ax, "Distance to closest record")
    ax.legend(fontsize=8, frameon=False)
    return figure


def _utility_bars(table: pd.DataFrame, info: dict[str, Any]) -> Figure:
    figure = _figure(6, 3.0)
    ax = figure.add_subplot()
    y = np.arange(len(table))
    ax.barh(y - 0.2, table["TRTR"], height=0.4, color=REAL, label="trained on real (TRTR)")
    ax.barh(
        y + 0.2, table["TSTR"], height=0.4, color=SYNTHETIC, label="trained on synthetic (TSTR)"
    )
    ax.set_yticks(y, table["model"], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(f"{info.get('task_metric')} on real test rows", fontsize=8)
    low = min(0.0, float(np.nanmin(table[["TRTR", "TSTR"]].to_numpy())))
    ax.set_xlim(low, 1.0)
    style(ax, "Model families")
    ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
    return figure
