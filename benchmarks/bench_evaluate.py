"""Time `lookalike.evaluate` (+ HTML report) against SDMetrics' QualityReport + DiagnosticReport.

Same data for both: adult split 80/20 (seed 0), synthetic rows from lookalike's copula fitted on
the 80% part (as many rows). Runs alternate (ours, theirs, ours, ...) so load drifts hit both;
medians are reported. Needs `sdmetrics` (installed with `pip install -e ".[test]"`).

    python benchmarks/bench_evaluate.py --data ../shared/datasets/adult.csv --target income \
        --repeats 3 --out benchmarks/results/bench_evaluate.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import lookalike
from lookalike._progress import set_quiet
from lookalike.evaluation import evaluate
from lookalike.metadata import Metadata

SDTYPES = {"numerical": "numerical", "categorical": "categorical", "boolean": "boolean",
           "constant": "categorical", "id": "id", "pii": "pii"}  # fmt: skip


def sdv_metadata(metadata: Metadata) -> dict:
    columns = {}
    for name, column in metadata.columns.items():
        if column.kind == "datetime":
            columns[name] = {"sdtype": "datetime", "datetime_format": column.format}
        else:
            columns[name] = {"sdtype": SDTYPES[column.kind]}
    return {"columns": columns}


def run_ours(train, synthetic, holdout, target, metadata, report_path) -> dict:
    start = time.perf_counter()
    report = evaluate(train, synthetic, holdout=holdout, target=target, metadata=metadata)
    scores_seconds = time.perf_counter() - start
    report.to_html(report_path)
    total = time.perf_counter() - start
    return {"scores_s": scores_seconds, "total_s": total, "scores": report.scores}


def run_ours_fidelity(train, synthetic, metadata) -> float:
    """Seconds for what SDMetrics' two reports compute: shapes, pair trends, coverage, validity."""
    from lookalike.evaluation import fidelity, statistics
    from lookalike.evaluation.inputs import prepare

    start = time.perf_counter()
    data = prepare(train, synthetic, metadata=metadata)
    fidelity.quality(fidelity.column_shapes(data), fidelity.column_pair_trends(data))
    fidelity.coverage(data)
    statistics.column_tests(data)
    return time.perf_counter() - start


def run_sdmetrics(train, synthetic, metadata) -> dict:
    from sdmetrics.reports.single_table import DiagnosticReport, QualityReport

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quality = QualityReport()
        quality.generate(train, synthetic, sdv_metadata(metadata), verbose=False)
        quality_seconds = time.perf_counter() - start
        diagnostic = DiagnosticReport()
        diagnostic.generate(train, synthetic, sdv_metadata(metadata), verbose=False)
    properties = quality.get_properties().set_index("Property")["Score"]
    return {
        "quality_s": quality_seconds,
        "total_s": time.perf_counter() - start,
        "scores": {
            "quality": float(quality.get_score()),
            "column_shapes": float(properties["Column Shapes"]),
            "column_pair_trends": float(properties["Column Pair Trends"]),
            "diagnostic": float(diagnostic.get_score()),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/datasets/adult.csv")
    parser.add_argument("--target", default="income")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default="benchmarks/results/bench_evaluate.json")
    args = parser.parse_args()
    set_quiet(True)

    table = pd.read_csv(args.data)
    order = np.random.default_rng(0).permutation(len(table))
    cut = round(len(table) * 0.8)
    train = table.iloc[np.sort(order[:cut])].reset_index(drop=True)
    holdout = table.iloc[np.sort(order[cut:])].reset_index(drop=True)
    synthetic = lookalike.synthesize(train, len(train), random_state=0)
    metadata = Metadata.detect(train)
    report_path = Path(args.out).with_suffix(".html")
    report_path.parent.mkdir(parents=True, exist_ok=True)

    ours, theirs, fidelity_only = [], [], []
    for repeat in range(args.repeats):
        ours.append(run_ours(train, synthetic, holdout, args.target, metadata, report_path))
        theirs.append(run_sdmetrics(train, synthetic, metadata))
        fidelity_only.append(run_ours_fidelity(train, synthetic, metadata))
        print(
            f"run {repeat + 1}: lookalike fidelity only {fidelity_only[-1]:.2f} s, "
            f"all scores {ours[-1]['scores_s']:.1f} s, with report "
            f"{ours[-1]['total_s']:.1f} s; sdmetrics quality {theirs[-1]['quality_s']:.1f} s, "
            f"quality + diagnostic {theirs[-1]['total_s']:.1f} s",
            flush=True,
        )

    def median(runs: list[dict], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    result = {
        "data": Path(args.data).name,
        "rows": {"train": len(train), "synthetic": len(synthetic), "holdout": len(holdout)},
        "repeats": args.repeats,
        "load_average_1m_at_end": os.getloadavg()[0],
        "lookalike_fidelity_only_s": statistics.median(fidelity_only),
        "lookalike_scores_s": median(ours, "scores_s"),
        "lookalike_with_report_s": median(ours, "total_s"),
        "sdmetrics_quality_s": median(theirs, "quality_s"),
        "sdmetrics_quality_diagnostic_s": median(theirs, "total_s"),
        "ratio_sdmetrics_over_lookalike_fidelity_only": median(theirs, "total_s")
        / statistics.median(fidelity_only),
        "ratio_sdmetrics_over_lookalike_with_report": median(theirs, "total_s")
        / median(ours, "total_s"),
        "lookalike_scores": ours[-1]["scores"],
        "sdmetrics_scores": theirs[-1]["scores"],
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
