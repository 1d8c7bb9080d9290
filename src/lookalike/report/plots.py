"""The report's figures: per-column charts as inline SVG (`svg`), the rest with matplotlib (Agg,
no display) as inline base64 PNG strings.

Real is blue and synthetic orange everywhere. Projections (PCA, t-SNE) use at most
`MAX_SCATTER_ROWS` rows of each table; histograms and cumulative curves use every row.
"""

from __future__ import annotations

import base64
import io
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lookalike._progress import progress
from lookalike.evaluation.features import learn_encoding
from lookalike.evaluation.inputs import Prepared, sample_rows
from lookalike.evaluation.statistics import associations
from lookalike.evaluation.threads import single_threaded
from lookalike.report import svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from lookalike.evaluation.results import Report

REAL, SYNTHETIC, HOLDOUT = "#1f77b4", "#ff7f0e", "#2ca02c"
MAX_SCATTER_ROWS = 1_000  # per table, for PCA
MAX_TSNE_ROWS = 500  # per table: t-SNE on 1,000 points takes a few seconds
MAX_COLUMN_PLOTS = 40
MAX_HEATMAP_COLUMNS = 30
MAX_ASSOCIATION_ROWS = 5_000  # per table, for the heatmaps
MAX_BARS = 12


def draw_figures(report: Report) -> dict[str, Any]:
    """Every figure: {"name": base64 PNG} and per-column lists of (column, inline SVG)."""
    data = report.prepared
    if data is None:
        return {}
    rng = np.random.default_rng(report.info.get("random_state", 0))
    columns = data.columns[:MAX_COLUMN_PLOTS]
    random_state = report.info.get("random_state", 0)
    jobs: list[tuple[str, Any]] = [(f"distribution:{c}", c) for c in columns]
    jobs += [(f"cumulative:{c}", c) for c in columns]
    jobs += [("heatmaps", None)] if len(data.columns) >= 2 else []
    jobs += [("projections", None)]
    distances = report.extras.get("distances")
    jobs += [("distances", None)] if distances else []
    jobs += [("utility", None)] if "utility" in report.tables else []
    figures: dict[str, Any] = {"distributions": [], "cumulative": []}
    with warnings.catch_warnings(), single_threaded():
        warnings.simplefilter("ignore")  # matplotlib font and layout notes are not the user's
        for job, column in progress(jobs, desc="drawing report", unit="figure"):
            kind = job.split(":")[0]
            if kind == "distribution":
                figures["distributions"].append((column, _distribution(data, column)))
            elif kind == "cumulative":
                figures["cumulative"].append((column, _cumulative(data, column)))
            elif kind == "heatmaps":
                figures["heatmaps"] = _png(_heatmaps(data, rng))
            elif kind == "projections":
                figures["projections"] = _png(_projections(data, rng, random_state))
            elif kind == "distances" and distances:
                figures["distances"] = _png(_distance_histogram(distances))
            else:
                figures["utility"] = _png(_utility_bars(report.tables["utility"], report.info))
    return figures


# ---------------------------------------------------------------------- rendering
def _figure(width: float, height: float, layout: bool = True) -> Figure:
    """A figure; `layout=False` skips the constrained layout (slow) for fixed margins."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=90)
    if layout:
        figure.set_layout_engine("constrained")
    return figure


def _png(figure: Figure) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _style(ax: Axes, title: str) -> None:
    ax.set_title(title, fontsize=10, loc="left")
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _label(text: str, width: int = 18) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------- per column (SVG)
def _distribution(data: Prepared, name: str) -> str:
    real, synthetic = data.real.values[name], data.synthetic.values[name]
    if not data.is_continuous(name):
        labels, p, q = _category_shares(data, name)
        series = [(p, REAL, "real"), (q, SYNTHETIC, "synthetic")]
        return svg.bars(name, labels, series, "share of rows")
    a, b = real[~np.isnan(real)], synthetic[~np.isnan(synthetic)]
    both = np.concatenate([a, b]) if len(a) + len(b) else np.zeros(1)
    edges = np.histogram_bin_edges(both, bins=min(40, max(5, len(np.unique(both)))))
    series = []
    for values, color, label in ((a, REAL, "real"), (b, SYNTHETIC, "synthetic")):
        density = (
            np.histogram(values, bins=edges, density=True)[0] if len(values) else edges[1:] * 0
        )
        series.append((density, color, label))
    return svg.histogram(name, edges, series, dates=name in data.datetimes)


def _cumulative(data: Prepared, name: str) -> str:
    real, synthetic = data.real.values[name], data.synthetic.values[name]
    if not data.is_continuous(name):
        labels, p, q = _category_shares(data, name)
        lines: list[tuple[np.ndarray, np.ndarray, str, str]] = [
            (np.arange(len(labels)), np.cumsum(p), REAL, "real"),
            (np.arange(len(labels)), np.cumsum(q), SYNTHETIC, "synthetic"),
        ]
        return svg.curves(name, lines, "cumulative share", categories=labels)
    a = np.sort(real[~np.isnan(real)])
    b = np.sort(synthetic[~np.isnan(synthetic)])
    both = np.concatenate([a, b])
    grid = np.unique(np.quantile(both, np.linspace(0, 1, 300))) if len(both) else np.zeros(1)
    series: list[tuple[np.ndarray, np.ndarray, str, str]] = [
        (grid, np.searchsorted(values, grid, side="right") / max(len(values), 1), color, label)
        for values, color, label in ((a, REAL, "real"), (b, SYNTHETIC, "synthetic"))
    ]
    return svg.curves(name, series, "cumulative share", dates=name in data.datetimes)


def _category_shares(data: Prepared, name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Shares of the most frequent real categories, then "(other)" and "(missing)"."""
    real, synthetic = data.real.values[name], data.synthetic.values[name]
    size = max(int(real.max()), int(synthetic.max())) + 2
    p = np.bincount(real + 1, minlength=size) / len(real)
    q = np.bincount(synthetic + 1, minlength=size) / len(synthetic)
    order = [i for i in np.argsort(-p[1:], kind="stable") + 1 if p[i] > 0 or q[i] > 0]
    top = order[:MAX_BARS]
    labels = [data.labels[name][i - 1] for i in top]
    shares_p, shares_q = list(p[top]), list(q[top])
    rest = [i for i in range(1, size) if i not in set(top)]
    if rest and (p[rest].sum() > 0 or q[rest].sum() > 0):
        labels.append("(other)")
        shares_p.append(p[rest].sum())
        shares_q.append(q[rest].sum())
    if p[0] > 0 or q[0] > 0:
        labels.append("(missing)")
        shares_p.append(p[0])
        shares_q.append(q[0])
    return labels, np.array(shares_p), np.array(shares_q)


# ---------------------------------------------------------------------- whole table
def _heatmaps(data: Prepared, rng: np.random.Generator) -> Figure:
    columns = data.columns[:MAX_HEATMAP_COLUMNS]
    real_rows = data.real.take(sample_rows(data.real.n, MAX_ASSOCIATION_ROWS, rng))
    synthetic_rows = data.synthetic.take(sample_rows(data.synthetic.n, MAX_ASSOCIATION_ROWS, rng))
    real = associations(data, real_rows, columns).to_numpy()
    synthetic = associations(data, synthetic_rows, columns).to_numpy()
    difference = np.abs(real - synthetic)
    size = max(3.2, 0.28 * len(columns) + 1.6)
    figure = _figure(3 * size, size + 0.4)
    axes = figure.subplots(1, 3)
    panels = (
        (real, "real", "RdBu_r", -1.0),
        (synthetic, "synthetic", "RdBu_r", -1.0),
        (difference, "|real − synthetic|", "Reds", 0.0),
    )
    labels = [_label(c, 14) for c in columns]
    for ax, (matrix, title, cmap, low) in zip(axes, panels, strict=True):
        image = ax.imshow(np.nan_to_num(matrix), cmap=cmap, vmin=low, vmax=1.0)
        ax.set_xticks(range(len(columns)), labels, rotation=90, fontsize=7)
        ax.set_yticks(range(len(columns)), labels if ax is axes[0] else [], fontsize=7)
        ax.set_title(title, fontsize=10)
        figure.colorbar(image, ax=ax, shrink=0.7)
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
            _style(ax, title)
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
    _style(ax, "Distance to closest record")
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
    _style(ax, "Model families")
    ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
    return figure
