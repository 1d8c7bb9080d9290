"""Subgroups: does a conditional sample of a small subgroup look like that subgroup's real rows?

For each table and subgroup (40-100 real rows), seed by seed (0-4): the model is fitted on the
whole table, samples 1,000 rows with the subgroup's conditions, and the sample is scored against
the real rows of the subgroup with lookalike's own SDMetrics-equal quality (what
`lookalike evaluate REAL SYNTH --where ...` reports: kinds detected on the whole table, then only
the subgroup's rows kept). Two references, since a few dozen real rows make any score noisy:

- half: one random half of the real subgroup scored against the other half (seeded per seed);
  a floor-like figure, since each half holds only 20-50 rows;
- bootstrap: 1,000 rows resampled with replacement from the real subgroup, scored against it;
  a ceiling (a copy of the subgroup itself);
- fresh: what a perfect sampler can expect at this size: as many real rows as the subgroup has,
  drawn from a broader group of the same table (e.g. Outcome=1 for Outcome=1 and Age>=50), scored
  against up to 1,000 other real rows of that group.

Usage:
    python benchmarks/bench_subgroups.py [--seeds 0 1 2 3 4] [--model cart] [-p key=value]
        [--only diabetes] [--json out.json]      # DATA_DIR: where adult.csv is
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import lookalike
from lookalike._progress import set_quiet

ROOT = Path(__file__).resolve().parents[1]
DATASETS = Path(os.environ.get("DATA_DIR", "../shared/datasets"))  # the shared tables
ROWS = 1_000

# (table, csv, conditions, broader group for the "fresh" reference): 43, 76, 62 and 47 real rows
SUBGROUPS: list[tuple[str, Path, dict[str, Any], dict[str, Any]]] = [
    (
        "diabetes",
        ROOT / "src/lookalike/data/diabetes.csv",
        {"Outcome": 1, "Age": (50, None)},
        {"Outcome": 1},
    ),
    (
        "adult",
        DATASETS / "adult.csv",
        {"occupation": "Protective-serv", "sex": "Female"},
        {"sex": "Female"},
    ),
    ("adult", DATASETS / "adult.csv", {"native-country": "Japan"}, {}),
    ("adult", DATASETS / "adult.csv", {"income": ">50K", "age": (75, None)}, {"income": ">50K"}),
]


def subgroup_quality(real: pd.DataFrame, synthetic: pd.DataFrame, where: dict[str, Any]) -> float:
    """Quality of `synthetic` against the real rows meeting `where` (as `evaluate(where=)`)."""
    from lookalike.evaluation.subgroup import restrict

    rows, synth, _, metadata, _ = restrict(real, synthetic, None, where, None)
    return _quality(rows, synth, metadata)


def references(
    real: pd.DataFrame, where: dict[str, Any], broad: dict[str, Any], seed: int
) -> tuple[float, float, float]:
    """(half vs half, bootstrap of 1,000 rows, fresh rows of the broader group) for this seed."""
    metadata = lookalike.Metadata.detect(real)
    inside = _mask(real, where, metadata)
    rows, rest = real[inside], real[~inside]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(rows))
    a, b = rows.iloc[order[: len(rows) // 2]], rows.iloc[order[len(rows) // 2 :]]
    # one half against the other, kinds detected (nearly) on the whole table
    half = subgroup_quality(pd.concat([a, rest]), b, where)
    boot = subgroup_quality(real, rows.iloc[rng.integers(len(rows), size=ROWS)], where)
    group = real[_mask(real, broad, metadata)] if broad else real
    order = rng.permutation(len(group))
    stand_in = group.iloc[order[: len(rows)]]
    others = group.iloc[order[len(rows) : len(rows) + ROWS]]
    return half, boot, _quality(stand_in, others, metadata)


def _mask(real: pd.DataFrame, where: dict[str, Any], metadata: Any) -> np.ndarray:
    from lookalike.conditions import check_conditions, column_facts, condition_mask

    checked = check_conditions(where, metadata, column_facts(real, metadata))
    return np.asarray(condition_mask(checked, metadata, real))


def _quality(real: pd.DataFrame, synthetic: pd.DataFrame, metadata: Any) -> float:
    from lookalike.evaluation import fidelity
    from lookalike.evaluation.inputs import prepare

    data = prepare(real, synthetic, None, metadata)
    shapes, trends = fidelity.column_shapes(data), fidelity.column_pair_trends(data)
    return float(fidelity.quality(shapes, trends).score)


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    from bench_small_tables import _parse  # -p key=value, as there (benchmarks/ is on the path)

    params = dict(_parse(p) for p in args.param)
    fitted: dict[tuple[str, int], Any] = {}
    out = []
    for table, path, where, broad in SUBGROUPS:
        if args.only and table not in args.only:
            continue
        real = pd.read_csv(path)
        for seed in args.seeds:
            start = time.perf_counter()
            if (table, seed) not in fitted:
                model = lookalike.get_model(args.model, random_state=seed, **params)
                fitted[(table, seed)] = (model.fit(real), time.perf_counter() - start)
            model, fit_seconds = fitted[(table, seed)]
            start = time.perf_counter()
            try:
                synthetic = model.sample(ROWS, conditions=where, random_state=seed)
                score: float | None = round(subgroup_quality(real, synthetic, where), 4)
            except lookalike.LookalikeError as error:  # too rare for the model: no score
                print(f"error: {error}", flush=True)
                score = None
            sample_seconds = time.perf_counter() - start
            half, boot, fresh = references(real, where, broad, seed)
            out.append(
                {
                    "table": table,
                    "where": _words(where),
                    "seed": seed,
                    "quality": score,
                    "half": round(half, 4),
                    "bootstrap": round(boot, 4),
                    "fresh": round(fresh, 4),
                    "fit_s": round(fit_seconds, 2),
                    "sample_s": round(sample_seconds, 2),
                }
            )
            print(json.dumps(out[-1]), flush=True)
    return out


def _words(where: dict[str, Any]) -> str:
    parts = []
    for column, value in where.items():
        if isinstance(value, tuple):
            parts.append(f"{column}>={value[0]}")
        else:
            parts.append(f"{column}={value}")
    return " and ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--model", default="cart")
    parser.add_argument("-p", "--param", action="append", default=[], help="model key=value")
    parser.add_argument("--only", nargs="+", default=None, help="tables to run (diabetes, adult)")
    parser.add_argument("--json", default=None, help="write the per-seed rows here")
    args = parser.parse_args()
    set_quiet(True)
    rows = run(args)
    print("| table | subgroup | quality per seed | min | half vs half | fresh | bootstrap |")
    print("|---|---|---|---|---|---|---|")
    for (table, words), group in pd.DataFrame(rows).groupby(["table", "where"], sort=False):
        per_seed = " / ".join("too rare" if q != q else f"{q:.3f}" for q in group["quality"])
        print(
            f"| {table} | {words} | {per_seed} | {group['quality'].min():.3f} | "
            f"{group['half'].mean():.3f} | {group['fresh'].mean():.3f} | "
            f"{group['bootstrap'].mean():.3f} |"
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)


if __name__ == "__main__":
    main()
