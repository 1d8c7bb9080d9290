"""What a perfect generator scores on the judge's DCR share: fresh real rows instead of synthetic.

Each seed splits the table at random into train (60%), holdout (20%) and fresh rows (20%), and
scores the fresh rows with the shared judge's own `dcr` (its encoder and metric, as in
`judge_inprocess.py`). The spread over seeds is the metric's own noise at this table's size:
how often fresh real rows land above a threshold such as 0.53.

    BENCH_DIR=../shared/bench ~/.cache/lookalike-bench/venv/bin/python \\
        benchmarks/dcr_fresh_rows.py diabetes [seeds=20]
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(os.environ.get("BENCH_DIR", Path(__file__).resolve().parents[1] / "../shared/bench"))
DATA = Path(os.environ.get("DATA_DIR", BENCH / "../datasets"))
sys.path.insert(0, str(BENCH))
warnings.filterwarnings("ignore")


def fresh_shares(name: str, seeds: int) -> list[float]:
    import bench as judge  # the shared harness

    table = pd.read_csv(DATA / f"{name}.csv", low_memory=False)
    metadata, _, _ = judge.load_metadata(table, Path(f"/tmp/judge-metadata/{name}.json"), name)
    roles = judge.column_roles(judge.table_meta(metadata), table.dtypes)
    shares = []
    for seed in range(seeds):
        order = np.random.default_rng(seed).permutation(len(table))
        fifth = len(table) // 5
        fresh, holdout = table.iloc[order[:fifth]], table.iloc[order[fifth : 2 * fifth]]
        train = table.iloc[order[2 * fifth :]]
        encoder = judge.Encoder(pd.concat([train, holdout]), roles, scale_ref=train)
        found = judge.dcr(encoder, train, holdout, fresh, seed)
        shares.append(float(found["share_closer_to_train"]))
    return shares


if __name__ == "__main__":
    dataset = sys.argv[1]
    found = np.array(fresh_shares(dataset, int(sys.argv[2]) if len(sys.argv) > 2 else 20))
    print(
        f"{dataset}: fresh rows' DCR share mean {found.mean():.3f} sd {found.std():.3f} "
        f"max {found.max():.3f}, above 0.53 on {(found > 0.53).mean():.0%} of splits"
    )
    print(" ".join(f"{s:.3f}" for s in found))
