"""PII detection recall and precision on labelled tables: the test tables and the shared datasets.

    python benchmarks/bench_pii_detection.py

A column counts as a true positive when it is PII and detected with the right kind; a PII column
detected with another kind counts as a miss and a false alarm. Two levels: `detect_pii` on every
column (values as text), and `Metadata.detect` (what `inspect` and models use).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lookalike.metadata import Metadata  # noqa: E402
from lookalike.pii.detect import detect_pii  # noqa: E402
from tests.pii_tables import PII_COLUMNS, make_pii_table  # noqa: E402

SHARED = ROOT.parent / "shared" / "datasets"


def labelled_tables() -> list[tuple[str, pd.DataFrame, dict[str, str]]]:
    tables = [
        ("pii_table (seed 123)", make_pii_table(), dict(PII_COLUMNS)),
        ("pii_table (seed 7, 1000 rows)", make_pii_table(1000, seed=7), dict(PII_COLUMNS)),
        (
            "pii_table ('person' instead of 'full_name')",
            make_pii_table(names=False),
            {**{k: v for k, v in PII_COLUMNS.items() if k != "full_name"}, "person": "name"},
        ),
    ]
    for locale in ("fr_FR", "de_DE", "en_GB"):
        tables.append((f"pii_table ({locale})", make_pii_table(locale=locale), dict(PII_COLUMNS)))
    truth = {
        "titanic.csv": {"Name": "name", "Ticket": "text", "Cabin": "text"},
        "adult.csv": {},
        "diabetes.csv": {},
        "creditcard.csv": {},
    }
    for name, labels in truth.items():
        if (SHARED / name).exists():
            tables.append((name, pd.read_csv(SHARED / name, nrows=20000), labels))
    return tables


def score(found: dict[str, str | None], labels: dict[str, str]) -> tuple[int, int, int]:
    hits = sum(1 for c, k in labels.items() if found.get(c) == k)
    flagged = sum(1 for k in found.values() if k is not None)
    return hits, flagged, len(labels)


def main() -> None:
    totals = {
        "detect_pii": [0, 0, 0],
        "detect_pii, names hidden": [0, 0, 0],
        "Metadata.detect": [0, 0, 0],
    }
    for name, table, labels in labelled_tables():
        by_values = {}
        for column in table.columns:
            hit = detect_pii(table[column], str(column))
            by_values[str(column)] = hit[0] if hit else None
        hidden = {}
        for i, column in enumerate(table.columns):
            hit = detect_pii(table[column], f"c{i}")
            hidden[str(column)] = hit[0] if hit else None
        meta = Metadata.detect(table)
        by_meta = {c: (m.pii_kind if m.kind == "pii" else None) for c, m in meta.columns.items()}
        levels = (
            ("detect_pii", by_values),
            ("detect_pii, names hidden", hidden),
            ("Metadata.detect", by_meta),
        )
        for level, found in levels:
            hits, flagged, total = score(found, labels)
            for i, v in enumerate((hits, flagged, total)):
                totals[level][i] += v
            wrong = {c: k for c, k in found.items() if k is not None and labels.get(c) != k}
            missed = {c: k for c, k in labels.items() if found.get(c) != k}
            print(
                f"{name:40s} {level:24s} {hits}/{total} found, {flagged} flagged; "
                f"missed {missed or '-'}; wrong {wrong or '-'}"
            )
    for level, (hits, flagged, total) in totals.items():
        recall = hits / total if total else 1.0
        precision = hits / flagged if flagged else 1.0
        print(
            f"{level}: recall {recall:.2f} ({hits}/{total}), precision {precision:.2f} "
            f"({hits}/{flagged})"
        )


if __name__ == "__main__":
    main()
