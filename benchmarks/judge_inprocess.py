"""The shared judge's metrics in one process, seed by seed (for iterating on a model quickly).

Runs with the judge's venv and this checkout's lookalike, and calls `bench.py`'s own functions
(split, SDMetrics quality, C2ST, TSTR/TRTR, DCR, exact duplicates) on a CSV round trip of the
training part, as the judge's `cmd:` systems see it. A seed reproduces the judge's figures.

    PYTHONPATH=src ~/.cache/lookalike-bench/venv/bin/python benchmarks/judge_inprocess.py \
        diabetes 0,1,2,3,4 '{"min_leaf": 14}' [q,c2st,ml,dcr,dup]

DATASET is a shared table (adult, diabetes, titanic, creditcard), "guide" (the all-categorical
table of `copy_share.py`, target c0) or a CSV file and its target, PATH.csv:TARGET (e.g. the
loans proxy of `bench_text_columns.py` written with `loans_proxy.py`).
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import warnings
from pathlib import Path

import pandas as pd

BENCH = Path(os.environ.get("BENCH_DIR", Path(__file__).resolve().parents[1] / "../shared/bench"))
DATA = Path(os.environ.get("DATA_DIR", BENCH / "../datasets"))
sys.path.insert(0, str(BENCH))
warnings.filterwarnings("ignore")
TARGET = {"adult": "income", "diabetes": "Outcome", "titanic": "Survived", "creditcard": "Class"}


def run(dataset: str, seed: int, params: dict, metrics: list[str]) -> dict:
    import bench as judge  # the shared harness

    from lookalike import get_model
    from lookalike._progress import set_quiet

    set_quiet(True)
    if dataset == "guide":
        sys.path.insert(0, str(Path(__file__).parent))
        from copy_share import guide_table

        df, target = guide_table(), "c0"
    elif ".csv:" in dataset:
        path, target = dataset.rsplit(":", 1)
        df, dataset = pd.read_csv(path, low_memory=False), Path(path).stem
    else:
        df, target = pd.read_csv(DATA / f"{dataset}.csv", low_memory=False), TARGET[dataset]
    md, _, _ = judge.load_metadata(df, Path(f"/tmp/judge-metadata/{dataset}.json"), dataset)
    tmeta = judge.table_meta(md)
    task = judge.infer_task(df[target], tmeta["columns"].get(target, {}).get("sdtype"), None)
    judge.seed_everything(seed)
    train, holdout, _ = judge.split_data(df, target, task, seed)
    buf = io.StringIO()
    train.to_csv(buf, index=False)
    buf.seek(0)
    start = time.time()
    model = get_model("cart", random_state=seed, **params).fit(pd.read_csv(buf, low_memory=False))
    out: dict = {"dataset": dataset, "seed": seed, "params": params}
    out["fit_s"] = round(time.time() - start, 1)
    if getattr(model, "privacy_check_", None):  # the calibration's level and shares (cart)
        out["privacy_check"] = model.privacy_check_
    synthetic = model.sample(len(train), random_state=seed)
    buf = io.StringIO()
    synthetic.to_csv(buf, index=False)
    buf.seek(0)
    syn = judge.align_to_real(pd.read_csv(buf, low_memory=False), train)
    roles = judge.column_roles(tmeta, df.dtypes)
    enc = judge.Encoder(pd.concat([train, holdout]), roles, scale_ref=train)
    if "q" in metrics:
        out["quality"] = judge.sdmetrics_scores(train, syn, tmeta, seed)["quality"]["overall"]
    if "c2st" in metrics:
        out["c2st"] = judge.c2st(enc, train, syn, seed)["auc"]
    if "ml" in metrics:
        found = judge.ml_efficacy(enc, train, syn, holdout, target, task, seed)
        out["tstr_trtr"] = found.get("tstr_trtr_ratio")
    if "dcr" in metrics:
        out["dcr"] = judge.dcr(enc, train, holdout, syn, seed)["share_closer_to_train"]
    if "dup" in metrics:
        kept = [c for c in df.columns if roles[c] != "drop"]
        found = judge.exact_duplicates(train, holdout, syn, kept)
        out["dup"] = found["synthetic_in_train_share"]
        out["natural"] = found["real_holdout_in_train_share"]
    return out


if __name__ == "__main__":
    name, seeds = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
    params = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    wanted = sys.argv[4].split(",") if len(sys.argv) > 4 else ["q", "c2st", "ml", "dcr", "dup"]
    for seed in seeds:
        print(json.dumps(run(name, seed, params, wanted)), flush=True)
