"""SDMetrics quality of `ctgan` after every epoch on adult, in-process, next to its own epoch score.

Splits the data as the shared harness does (80/20, stratified on the target, `--seed`), fits
`ctgan` with the given parameters and, after each epoch, samples as many rows as the training part
and scores them with lookalike's SDMetrics-identical quality (not counted in `train_s`). Prints one
JSON line per epoch (`q`, and `val`, the cheap score `keep_best` picks the epoch by), then the
quality of the fitted model's own sample:

    python benchmarks/ctgan_epoch_quality.py --data ../shared/datasets/adult.csv --target income \
        --seed 0 -p normalization=mode
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

import lookalike
from lookalike._progress import set_quiet
from lookalike.evaluation import fidelity
from lookalike.evaluation.inputs import prepare


def quality(real: pd.DataFrame, synthetic: pd.DataFrame) -> float:
    data = prepare(real, synthetic)
    shapes, trends = fidelity.column_shapes(data), fidelity.column_pair_trends(data)
    return float(fidelity.quality(shapes, trends).score)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-p", "--param", action="append", default=[], help="KEY=JSON value")
    args = parser.parse_args()
    params: dict[str, Any] = {}
    for item in args.param:
        key, value = item.split("=", 1)
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    set_quiet(True)
    table = pd.read_csv(args.data)
    train, _ = train_test_split(
        table, test_size=0.2, random_state=args.seed, stratify=table[args.target].astype(str)
    )
    train = train.reset_index(drop=True)
    model = lookalike.get_model("ctgan", random_state=args.seed, **params)
    scoring = [0.0]
    started = time.perf_counter()

    def end_epoch(epoch: int, losses: dict[str, float]) -> bool:
        begin = time.perf_counter()
        model.generator_.eval()
        rng = np.random.default_rng(1000 + epoch)
        encoded = model.layout_.inverse(model._generate_rows(len(train), rng, None))
        model.generator_.train()
        q = quality(train, model.transformer_.inverse_transform(encoded, rng))
        scoring[0] += time.perf_counter() - begin
        seconds = time.perf_counter() - started - scoring[0]
        print(json.dumps({"epoch": epoch + 1, "q": round(q, 4), "train_s": round(seconds, 1)}))
        return False

    model._end_epoch = end_epoch  # type: ignore[method-assign]
    cpu = time.process_time()
    model.fit(train)
    cpu = time.process_time() - cpu
    history = model.history_
    final = quality(train, model.sample(len(train), random_state=args.seed))
    summary = {"val": history.get("scores"), "best_epoch": history.get("best_epoch")}
    print(json.dumps({**summary, "final_q": round(final, 4), "cpu_s_with_scoring": round(cpu, 1)}))


if __name__ == "__main__":
    main()
