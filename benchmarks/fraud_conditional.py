"""Conditional sampling benchmark: 5,000 fraud rows (Class=1) from models fitted on creditcard.csv.

For each model: fit on the whole table (frauds are 7.35% of it), sample 5,000 rows with
conditions={"Class": 1}, and score them against the real fraud rows with `lookalike.evaluation`
(quality = mean of column shapes and column pair trends; detection AUC, 0.5 is ideal). Two
references put the figures in context:

- "real legit vs real fraud": the real non-fraud rows scored against the real fraud rows, i.e. what
  a sampler that ignored the condition would score at best;
- "fit on fraud rows only": the same model fitted on the 492 fraud rows alone, sampled without
  conditions (the usual workaround).

Usage:
    python benchmarks/fraud_conditional.py [--data creditcard.csv] [--models copula,cart]
        [--rows 5000] [--json out.json] [--max-time SECONDS]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import lookalike
from lookalike._progress import set_quiet

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "creditcard.csv"


def score(real: pd.DataFrame, synthetic: pd.DataFrame) -> dict[str, float]:
    """Quality, column shapes, pair trends and detection AUC of `synthetic` against `real`."""
    try:
        from lookalike.evaluation import evaluate
    except ImportError:  # evaluation not installed yet: KS complements only
        from scipy.stats import ks_2samp

        shapes = [1 - ks_2samp(real[c], synthetic[c]).statistic for c in real.columns]
        return {"column_shapes": float(np.mean(shapes))}
    scores = evaluate(real, synthetic, random_state=0).scores
    keys = ("quality", "column_shapes", "column_pair_trends", "detection_auc")
    return {k: float(scores[k]) for k in keys if k in scores}


def make(name: str, max_time: float | None) -> Any:
    model = lookalike.get_model(name, random_state=0)
    if max_time is not None and "max_time" in model.get_params():
        model = lookalike.get_model(name, random_state=0, max_time=max_time)
    return model


def run(
    data: Path, models: list[str], rows: int, max_time: float | None = None
) -> list[dict[str, Any]]:
    table = lookalike.read_table(data)
    fraud = table[table["Class"] == 1].drop(columns="Class").reset_index(drop=True)
    legit = table[table["Class"] == 0].drop(columns="Class").reset_index(drop=True)
    results: list[dict[str, Any]] = [
        {"setup": "real legit vs real fraud (reference)", "model": "-", **score(fraud, legit)}
    ]
    for name in models:
        start = time.perf_counter()
        model = make(name, max_time).fit(table)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        synthetic = model.sample(rows, conditions={"Class": 1}, random_state=1)
        sample_s = time.perf_counter() - start
        assert len(synthetic) == rows and (synthetic["Class"] == 1).all()
        results.append(
            {
                "setup": f"fit on all rows, sample {rows} with Class=1",
                "model": name,
                "fit_s": round(fit_s, 2),
                "sample_s": round(sample_s, 2),
                **score(fraud, synthetic.drop(columns="Class")),
            }
        )
        start = time.perf_counter()
        alone = make(name, max_time).fit(table[table["Class"] == 1])
        only = alone.sample(rows, random_state=1)
        results.append(
            {
                "setup": "fit on the 492 fraud rows only",
                "model": name,
                "fit_s": round(time.perf_counter() - start, 2),
                **score(fraud, only.drop(columns="Class")),
            }
        )
        print(json.dumps(results[-2:]), flush=True)
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    head = "| setup | model | quality | column shapes | pair trends | detection AUC | sample s |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for r in results:

        def cell(key: str, r: dict[str, Any] = r) -> str:
            return f"{r[key]:.3f}" if key in r else "-"

        lines.append(
            f"| {r['setup']} | {r['model']} | {cell('quality')} | {cell('column_shapes')} | "
            f"{cell('column_pair_trends')} | {cell('detection_auc')} | "
            f"{r.get('sample_s', '-')} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--models", default="copula,cart")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--max-time", type=float, default=None, help="training cap, seconds")
    args = parser.parse_args()
    set_quiet(True)
    results = run(args.data, args.models.split(","), args.rows, args.max_time)
    print(markdown(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
