"""Time column detection and the shared transforms on a large table (adult stacked N times).

    python benchmarks/bench_detect.py --data ../shared/datasets/adult.csv --copies 30 --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from lookalike import Metadata
from lookalike.transform import TableTransformer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="../shared/datasets/adult.csv")
    parser.add_argument("--copies", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    table = pd.concat([pd.read_csv(args.data)] * args.copies, ignore_index=True)
    times: dict[str, list[float]] = {"detect": [], "transformer fit": [], "transform": []}
    for _ in range(args.repeats):
        start = time.perf_counter()
        metadata = Metadata.detect(table)
        times["detect"].append(time.perf_counter() - start)
        start = time.perf_counter()
        transformer = TableTransformer().fit(table, metadata)
        times["transformer fit"].append(time.perf_counter() - start)
        start = time.perf_counter()
        transformer.transform(table, np.random.default_rng(0))
        times["transform"].append(time.perf_counter() - start)
    print(f"{len(table):,} rows x {table.shape[1]} columns, median of {args.repeats}")
    for step, values in times.items():
        print(f"{step:<16} {statistics.median(values):6.2f} s")


if __name__ == "__main__":
    main()
