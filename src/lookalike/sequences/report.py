"""What `lookalike evaluate` adds for an ordered child table: sequence scores, and for the HTML
report the sequence lengths and a few real and synthetic sequences side by side.

`sequence_section` scores one ordered child (`lookalike.sequences.evaluate`: length shape,
coherence, gap shape, first step, detection on entity summaries) and keeps what the page draws;
`section_html` turns it into HTML with matplotlib PNGs inline (`lookalike.report.canvas`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

_SHOWN = 4  # sequences drawn per side
_PLOTTED = 3  # columns drawn (numbers first, then categories)


@dataclass
class SequenceSection:
    """One ordered child's sequence scores and the data its plots need."""

    label: str
    key: str
    order_by: str | None
    scores: dict[str, float]
    coherence: dict[str, float] = field(default_factory=dict)
    lengths: tuple[np.ndarray, np.ndarray] = (np.zeros(0), np.zeros(0))
    shown: dict[str, pd.DataFrame] = field(default_factory=dict)  # "real"/"synthetic" -> rows
    columns: list[str] = field(default_factory=list)  # the columns drawn


def sequence_section(
    label: str,
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    key: str,
    order_by: str | None,
    *,
    lengths: tuple[np.ndarray, np.ndarray],
    seed: int = 0,
) -> SequenceSection:
    """Score one ordered child (rows of real and synthetic entities, `key` naming the entity);
    `lengths` are the rows per parent, zeros included (real, synthetic).
    """
    from lookalike.evaluation.fidelity import ks_complement
    from lookalike.sequences.evaluate import evaluate_sequences, value_columns

    columns = value_columns(real, key, order_by)
    found = evaluate_sequences(
        real, synthetic, key, order_by, columns=columns, seed=seed, detection="entities"
    )
    real_lengths, synthetic_lengths = (np.asarray(v, dtype=float) for v in lengths)
    scores = {
        "length_ks": ks_complement(real_lengths, synthetic_lengths),
        "coherence": found["coherence"]["score"],
        "first_step_shapes": found["first_step"]["shapes"],
        "detection_auc_entities": found["detection"]["entities"],
    }
    if order_by is not None:
        scores["first_order_ks"] = found["first_step"]["order_ks"]
        scores["gap_similarity"] = found["gaps"]["score"]
    rng = np.random.default_rng(seed)
    return SequenceSection(
        label,
        key,
        order_by,
        {k: float(v) for k, v in scores.items()},
        dict(found["coherence"]["columns"]),
        (real_lengths, synthetic_lengths),
        {"real": _some(real, key, rng), "synthetic": _some(synthetic, key, rng)},
        _drawn(real, columns),
    )


def section_html(section: SequenceSection) -> str:
    """The section as HTML: scores, lengths chart, sequences side by side (PNG inline)."""
    from lookalike.report.canvas import REAL, SYNTHETIC, number
    from lookalike.report.columns import Series, draw_column

    title = html.escape(section.label)
    order = f", ordered by {html.escape(section.order_by)}" if section.order_by else ""
    parts = [f"<h2>Sequences {title}{order}</h2><table><tr><th>score</th><th>value</th></tr>"]
    for name, value in section.scores.items():
        parts.append(f"<tr><td>{html.escape(name)}</td><td>{number(value)}</td></tr>")
    for name, value in section.coherence.items():
        cell = f"coherence of {html.escape(name)}"
        parts.append(f"<tr><td>{cell}</td><td>{number(value)}</td></tr>")
    parts.append("</table><div class='charts'>")
    real, synthetic = section.lengths
    chart = draw_column(
        "sequence length (rows per parent)",
        [Series("real", REAL, values=real), Series("synthetic", SYNTHETIC, values=synthetic)],
    )
    parts.append(_image("sequence lengths", chart.png) if chart.png else html.escape(chart.note))
    for column in section.columns:
        parts.append(_image(f"sequences of {column}", _sequences_png(section, column)))
    parts.append("</div>")
    return "\n".join(parts)


# ---------------------------------------------------------------------- helpers
def _image(alt: str, png: str) -> str:
    return f"<div><img alt='{html.escape(alt)}' src='data:image/png;base64,{png}'></div>"


def _some(frame: pd.DataFrame, key: str, rng: np.random.Generator) -> pd.DataFrame:
    """The rows of a few entities with at least a median number of rows (several steps)."""
    sizes = frame[key].value_counts()
    long = sizes[sizes >= max(2, int(sizes.median()))] if len(sizes) else sizes
    pool = long.index.to_numpy() if len(long) else sizes.index.to_numpy()
    chosen = rng.choice(pool, size=min(_SHOWN, len(pool)), replace=False) if len(pool) else pool
    return frame[frame[key].isin(set(chosen))]


def _drawn(real: pd.DataFrame, columns: list[str]) -> list[str]:
    numbers = [c for c in columns if _is_number(real[c])]
    others = [c for c in columns if c not in numbers]
    return (numbers[: _PLOTTED - 1] + others[:1] + numbers[_PLOTTED - 1 :])[:_PLOTTED]


def _is_number(series: pd.Series) -> bool:
    return bool(
        pd.api.types.is_numeric_dtype(series)
        and not pd.api.types.is_bool_dtype(series)
        and series.nunique() > 10
    )


def _sequences_png(section: SequenceSection, column: str) -> str:
    """Real sequences left, synthetic right: the column by step, one line per entity."""
    from lookalike.report.canvas import REAL, SYNTHETIC, figure, png, style
    from lookalike.sequences.evaluate import ordered

    made = figure(7.6, 2.6)
    axes = made.subplots(1, 2, sharey=True)
    sides = list(section.shown.items())
    number = _is_number(pd.concat([rows[column] for _, rows in sides]))
    levels: list[str] = []
    if not number:  # categories on a shared axis: the commonest of the rows drawn
        both = pd.concat([rows[column].astype(str) for _, rows in sides])
        levels = list(both.value_counts().index[:12])
    for ax, (side, rows), colour in zip(axes, sides, (REAL, SYNTHETIC), strict=True):
        style(ax, f"{side}: {column} by step", ticks="x" if not number else "xy")
        rows = ordered(rows, section.key, section.order_by)
        for _, entity in rows.groupby(section.key, sort=False):
            steps = np.arange(len(entity))
            if number:
                values = pd.to_numeric(entity[column], errors="coerce").to_numpy(dtype=float)
            else:
                text = entity[column].astype(str)
                values = np.array([levels.index(v) if v in levels else np.nan for v in text])
            ax.plot(steps, values, marker="o", markersize=3, linewidth=1, color=colour, alpha=0.7)
        ax.set_xlabel("step", fontsize=8)
        if levels:
            ax.set_yticks(range(len(levels)), [v[:12] for v in levels], fontsize=7)
    return png(made)
