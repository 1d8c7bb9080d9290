"""Fit/sample time and peak memory of lookalike's copula next to SDV's GaussianCopula.

Each system runs in its own child process (SDV in the benchmark venv, never in lookalike's
dependencies), several times; we report medians and the child's peak RSS.

    python benchmarks/bench_copula.py --data ../shared/datasets/adult.csv --repeats 5 \
        --sdv-python ~/.cache/lookalike-bench/venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
import pandas as pd
system, data, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
real = pd.read_csv(data)
if system == "lookalike":
    import lookalike
    start = time.perf_counter()
    model = lookalike.get_model("copula", random_state=0).fit(real)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    model.sample(rows)
    sample_s = time.perf_counter() - start
else:
    from sdv.metadata import Metadata
    from sdv.single_table import GaussianCopulaSynthesizer
    meta = Metadata.detect_from_dataframes({"table": real}, infer_keys="primary_only")
    start = time.perf_counter()
    model = GaussianCopulaSynthesizer(meta)
    model.fit({"table": real})
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    model.sample(rows)
    sample_s = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"fit_s": fit_s, "sample_s": sample_s, "peak_mb": peak}))
"""


def run(python: str, system: str, data: str, rows: int) -> dict[str, float]:
    out = subprocess.run([python, "-c", CHILD, system, data, str(rows)], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="../shared/datasets/adult.csv")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to sample")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--sdv-python", default=str(Path.home() / ".cache/lookalike-bench/venv/bin/python")
    )
    args = parser.parse_args()
    print(f"| system | fit s (median) | sample {args.rows:,} rows s | rows/s | peak MB |")
    print("|---|---|---|---|---|")
    results = {}
    for system, python in (("lookalike", sys.executable), ("sdv", args.sdv_python)):
        runs = [run(python, system, args.data, args.rows) for _ in range(args.repeats)]
        fit = statistics.median(r["fit_s"] for r in runs)
        sample = statistics.median(r["sample_s"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        results[system] = (fit, sample)
        name = "lookalike copula" if system == "lookalike" else "SDV GaussianCopula"
        print(f"| {name} | {fit:.2f} | {sample:.2f} | {args.rows / sample:,.0f} | {peak:.0f} |")
    (lf, ls), (sf, ss) = results["lookalike"], results["sdv"]
    print(f"\nratios (SDV / lookalike): fit {sf / lf:.1f}x, sampling {ss / ls:.1f}x")


if __name__ == "__main__":
    main()
