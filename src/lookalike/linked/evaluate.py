"""How real and how safe a synthetic set of linked tables is: one LinkedReport.

Per table: the single-table scores of `lookalike.evaluate` on its own columns (keys left out).
Per foreign key (child -> parent):
    integrity            share of synthetic child rows whose key finds a synthetic parent
                         (the real share beside it: orphans are reproduced, not repaired)
    cardinality_ks       1 - KS statistic of children per parent, zeros included
    no_child             share of parents without children (real and synthetic)
    parent_child_trends  mean pair trend (correlation / contingency similarity) over every
                         (parent column, child column) pair of the joined rows (SDMetrics'
                         InterTableTrends)
    joined.*             quality, detection AUC and privacy (DCR share with a holdout, exact
                         copies) of the joined rows: each child row with its parent's columns
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lookalike.linked.schema import ForeignKey, Schema, contained, key_values
from lookalike.metadata import Metadata

_JOINED_ROWS = 50_000  # joined rows per side for the joined scores


@dataclass
class LinkedReport:
    """Scores of every table and link; `.scores` (flat), `.to_json()`, `.to_html()`."""

    scores: dict[str, float]
    reports: dict[str, Any] = field(default_factory=dict)  # name or "child->parent" -> Report
    counts: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    schema: Schema | None = None
    notes: list[str] = field(default_factory=list)
    sequences: dict[str, Any] = field(default_factory=dict)  # ordered child -> SequenceSection

    def to_json(self, path: str | Path | None = None) -> str:
        """The flat scores as JSON text; also written atomically to `path` when given."""
        text = json.dumps({k: _plain(v) for k, v in self.scores.items()}, indent=2)
        if path is not None:
            from lookalike.io.files import atomic_path

            with atomic_path(path) as tmp:
                Path(tmp).write_text(text + "\n", encoding="utf-8")
        return text

    def __str__(self) -> str:
        width = max((len(k) for k in self.scores), default=0)
        return "\n".join(f"{k:<{width}}  {_show(v)}" for k, v in self.scores.items())

    def to_html(self, path: str | Path | None = None) -> str:
        """The linked-tables report as HTML; also written to `path` when given."""
        from lookalike.linked.report import render

        text = render(self)
        if path is not None:
            from lookalike.io.files import atomic_path

            with atomic_path(path) as tmp:
                Path(tmp).write_text(text, encoding="utf-8")
        return text


def evaluate_tables(
    real: dict[str, pd.DataFrame],
    synthetic: dict[str, pd.DataFrame],
    schema: Schema | None = None,
    *,
    holdout: dict[str, pd.DataFrame] | None = None,
    random_state: int = 0,
) -> LinkedReport:
    """Score synthetic linked tables against the real ones (see the module docstring)."""
    from lookalike.errors import DataError
    from lookalike.evaluation import evaluate

    schema = schema or Schema.detect(real)
    missing = [n for n in schema.names if n not in synthetic]
    if missing:
        raise DataError(f"the synthetic tables lack {', '.join(missing)}; give every table.")
    scores: dict[str, float] = {}
    out = LinkedReport(scores, schema=schema)
    for name in schema.order():
        keys = schema.key_columns(name)
        own = [c for c in real[name].columns if c not in keys]
        key = schema.table(name).primary_key
        if key:
            values = key_values(synthetic[name], key)
            scores[f"{name}.primary_key_unique"] = float(values.notna().all() and values.is_unique)
            scores[f"{name}.keys_copied"] = (
                float(values.isin(set(key_values(real[name], key))).mean()) if len(values) else 0.0
            )
        scores[f"{name}.rows_ratio"] = len(synthetic[name]) / max(len(real[name]), 1)
        if not own:
            continue
        hold = holdout[name][own] if holdout and name in holdout else None
        report = evaluate(
            real[name][own], synthetic[name][own], holdout=hold, random_state=random_state
        )
        out.reports[name] = report
        for metric in (
            "quality",
            "column_shapes",
            "column_pair_trends",
            "detection_auc",
            "privacy.dcr_share",
            "privacy.exact_match_share",
        ):
            if metric in report.scores:
                scores[f"{name}.{metric}"] = report.scores[metric]
    for fk in schema.foreign_keys:
        _link_scores(fk, schema, real, synthetic, holdout, random_state, out)
    valid = [v for k, v in scores.items() if k.endswith(".integrity")]
    if valid:
        scores["referential_integrity"] = min(valid)
    return out


def _link_scores(
    fk: ForeignKey,
    schema: Schema,
    real: dict[str, pd.DataFrame],
    synthetic: dict[str, pd.DataFrame],
    holdout: dict[str, pd.DataFrame] | None,
    random_state: int,
    out: LinkedReport,
) -> None:
    from lookalike.evaluation import evaluate
    from lookalike.evaluation.fidelity import ks_complement

    label = f"{fk.table}.{'+'.join(fk.columns)}->{fk.parent}"
    scores = out.scores
    for side, tables in (("real", real), ("synthetic", synthetic)):
        child = tables[fk.table]
        present = ~child[list(fk.columns)].isna().any(axis=1).to_numpy()
        found = contained(child, fk.columns, tables[fk.parent], fk.parent_columns)
        share = float(found[present].mean()) if present.any() else 1.0
        scores[f"{label}.integrity" if side == "synthetic" else f"{label}.integrity_real"] = share
    real_counts = _counts(real, fk)
    synthetic_counts = _counts(synthetic, fk)
    out.counts[label] = (real_counts, synthetic_counts)
    scores[f"{label}.cardinality_ks"] = ks_complement(
        real_counts.astype(float), synthetic_counts.astype(float)
    )
    scores[f"{label}.no_child_real"] = float(np.mean(real_counts == 0)) if len(real_counts) else 0
    scores[f"{label}.no_child_synthetic"] = (
        float(np.mean(synthetic_counts == 0)) if len(synthetic_counts) else 0.0
    )
    order_by = schema.table(fk.table).order_by
    if order_by and len(fk.columns) == 1:  # a sequence per parent: lookalike.sequences scores it
        from lookalike.sequences.report import sequence_section

        section = sequence_section(
            label,
            real[fk.table],
            synthetic[fk.table],
            fk.columns[0],
            order_by,
            lengths=(real_counts, synthetic_counts),
            seed=random_state,
        )
        out.sequences[label] = section
        scores.update({f"{label}.sequence.{k}": v for k, v in section.scores.items()})
    rng = np.random.default_rng(random_state)
    joined_real, parent_cols, child_cols = joined(real, fk, schema, rng)
    joined_synthetic, _, _ = joined(synthetic, fk, schema, rng)
    joined_holdout = joined(holdout, fk, schema, rng)[0] if holdout else None
    if joined_real.empty or joined_synthetic.empty or not parent_cols or not child_cols:
        return
    meta = Metadata.detect(joined_real)
    report = evaluate(
        joined_real,
        joined_synthetic,
        holdout=joined_holdout,
        metadata=meta,
        random_state=random_state,
    )
    out.reports[label] = report
    pairs = report.tables.get("pairs")
    if pairs is not None and len(pairs):
        cross = pairs["column 1"].isin(parent_cols) != pairs["column 2"].isin(parent_cols)
        scores[f"{label}.parent_child_trends"] = float(pairs.loc[cross, "score"].mean())
    for metric in ("quality", "detection_auc", "privacy.dcr_share", "privacy.exact_match_share"):
        if metric in report.scores:
            scores[f"{label}.joined.{metric}"] = report.scores[metric]


def joined(
    tables: dict[str, pd.DataFrame] | None,
    fk: ForeignKey,
    schema: Schema,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Child rows with their parent's non-key columns (prefixed `PARENT.`), at most
    _JOINED_ROWS of them; orphans and rows without a key are left out.
    """
    if tables is None:
        return pd.DataFrame(), [], []
    child, parent = tables[fk.table], tables[fk.parent]
    child_cols = [c for c in child.columns if c not in schema.key_columns(fk.table)]
    parent_own = [c for c in parent.columns if c not in schema.key_columns(fk.parent)]
    lookup = pd.Series(
        np.arange(len(parent)), index=key_values(parent, fk.parent_columns).to_numpy()
    )
    lookup = lookup[~lookup.index.duplicated()]
    where = key_values(child, fk.columns).map(lookup)
    keep = where.notna().to_numpy()
    rows = np.flatnonzero(keep)
    if len(rows) > _JOINED_ROWS:
        rows = np.sort(rng.choice(rows, _JOINED_ROWS, replace=False))
    left = child.iloc[rows][child_cols].reset_index(drop=True)
    right = parent.iloc[where.to_numpy()[rows].astype(np.int64)][parent_own].reset_index(drop=True)
    right.columns = [f"{fk.parent}.{c}" for c in parent_own]
    return pd.concat([right, left], axis=1), list(right.columns), child_cols


def _counts(tables: dict[str, pd.DataFrame], fk: ForeignKey) -> np.ndarray:
    sizes = key_values(tables[fk.table], fk.columns).dropna().value_counts()
    parents = key_values(tables[fk.parent], fk.parent_columns)
    return parents.map(sizes).fillna(0).to_numpy(dtype=np.int64)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return float(value) if isinstance(value, np.floating) else value


def _show(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else html.escape(str(value))
