"""Hybrid specs: learned columns given rule ages that the model saw rarely or never.

Fits cart on the bundled diabetes table (768 rows, ages 21-81, none 71-80), draws ages uniformly
over 21-81 by a rule and asks for the model's other columns given them, two ways:

- exact conditions, one per row (`model.sample(conditions=DataFrame)`): rows found or the error;
- a hybrid spec (`lookalike.generate`, learned: block): rows made, time, and per age band the
  mean of Pregnancies and Glucose next to the real table's (bands with >= 50 real rows).

    python benchmarks/bench_hybrid.py --rows 1000 --seeds 0 1 2
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import lookalike
from lookalike.demo import demo_table
from lookalike.errors import ConditionError

BANDS = [20, 25, 30, 40, 50, 60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    real = demo_table()
    folder = Path(tempfile.mkdtemp())
    model = lookalike.get_model("cart", random_state=0).fit(real)
    model.save(folder / "patients.lookalike")
    spec = {
        "learned": {"model": "patients.lookalike", "columns": ["Pregnancies", "Glucose"]},
        "columns": {"Age": {"kind": "uniform", "low": 21, "high": 81, "round": 0}},
    }
    by_band = real.groupby(pd.cut(real.Age, BANDS), observed=True)
    for seed in args.seeds:
        ages = np.random.default_rng(seed).integers(21, 82, size=args.rows)
        start = time.perf_counter()
        try:
            exact = f"{len(model.sample(args.rows, conditions=pd.DataFrame({'Age': ages})))} rows"
        except ConditionError as error:
            exact = str(error).split(";")[0]
        exact_s = time.perf_counter() - start
        start = time.perf_counter()
        table = lookalike.generate(spec, args.rows, random_state=seed, folder=folder)
        hybrid_s = time.perf_counter() - start
        bands = table.groupby(pd.cut(table.Age, BANDS), observed=True)
        gap_p = (bands.Pregnancies.mean() - by_band.Pregnancies.mean()).abs().max()
        gap_g = (bands.Glucose.mean() - by_band.Glucose.mean()).abs().max()
        print(
            f"seed {seed}: exact conditions: {exact} ({exact_s:.1f} s); hybrid: {len(table)} rows "
            f"in {hybrid_s:.1f} s, ages {table.Age.min()}-{table.Age.max()}, largest band gap "
            f"Pregnancies {gap_p:.2f}, Glucose {gap_g:.1f}"
        )


if __name__ == "__main__":
    main()
