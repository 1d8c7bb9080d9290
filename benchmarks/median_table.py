"""Median over seeds per (dataset, system) of a harness JSONL file, as a markdown table.

python benchmarks/median_table.py benchmarks/results/default_model.jsonl
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict

KEYS = [
    ("fit_s", "fit s", "{:.1f}"),
    ("quality", "quality", "{:.3f}"),
    ("column_pair_trends", "trends", "{:.3f}"),
    ("c2st_auc", "C2ST AUC", "{:.3f}"),
    ("tstr_trtr_ratio", "TSTR/TRTR", "{:.3f}"),
    ("dcr_share_closer_to_train", "DCR share", "{:.3f}"),
    ("exact_dup_share", "exact dup", "{:.2%}"),
    ("peak_rss_mb", "peak MB", "{:.0f}"),
]


def main(path: str) -> None:
    runs: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)
    with open(path) as lines:
        records = [json.loads(line) for line in lines]
    for record in records:
        if record.get("status") != "ok":
            continue
        system = record.get("label") or record["system"]
        runs[(record["dataset"], system)][record["seed"]] = record["summary"]  # last one wins
    header = ["dataset", "system", "seeds", *(k[1] for k in KEYS)]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for (dataset, system), by_seed in runs.items():
        cells = [dataset, system, ",".join(map(str, sorted(by_seed)))]
        for key, _, pattern in KEYS:
            values = [s[key] for s in by_seed.values() if s.get(key) is not None]
            cells.append(pattern.format(statistics.median(values)) if values else "–")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])
