"""Baseball sequences: fit SequenceModel on batting (or fielding) with players as context.

Splits the players 80/20 exactly as ../shared/bench/bench_multi.py does (same seed, same
permutation), fits on the train players' seasons, samples histories for synthetic players (cart
on the train players; `--context real` uses the train players themselves), and scores with
lookalike.sequences.evaluate against the train rows: sequence-length KS (zeros included),
coherence, first-year KS, year-gap similarity, and detection AUC on entity summaries and on rows
with sequence features (step, length, previous row), the judge's "C2ST sequence" in spirit.

    nice -n 10 python benchmarks/bench_sequences.py --child batting --seed 0
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from lookalike import get_model
from lookalike._progress import set_quiet
from lookalike.linked.detect import detect_metadata
from lookalike.sequences import SequenceModel
from lookalike.sequences.evaluate import evaluate_sequences, lengths

DATA = Path("/work/shared/datasets/baseball")  # ../shared from the main checkout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--child", default="batting", choices=["batting", "fielding"])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--context", default="synthetic", choices=["synthetic", "real"])
    parser.add_argument("--max-time", type=float, default=None)
    parser.add_argument("--players", type=int, default=None, help="a subset (development)")
    parser.add_argument("--out", type=Path, default=None, help="append a JSON line here")
    parser.add_argument("--keep", type=Path, default=None, help="write the synthetic rows here")
    args = parser.parse_args()
    set_quiet(True)
    players = pd.read_csv(args.data / "players.csv")
    child = pd.read_csv(args.data / f"{args.child}.csv")
    rng = np.random.default_rng(args.seed)
    perm = players["id"].to_numpy()[rng.permutation(len(players))]
    if args.players:
        perm = perm[: args.players]
        players = players[players["id"].isin(set(perm))]
    hold = set(perm[: round(0.2 * len(perm))])
    train_players = players[~players["id"].isin(hold)].reset_index(drop=True)
    train = child[child["players_id"].isin(set(train_players["id"]))].reset_index(drop=True)
    context = train_players.set_index("id").drop(columns=["nameFirst", "nameLast"])

    start, cpu = time.perf_counter(), time.process_time()
    model = SequenceModel(key="players_id", order_by="year", seed=args.seed, max_time=args.max_time)
    model.fit(train, context=context)
    fit_s, fit_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    if args.context == "synthetic":
        frame = context.reset_index(drop=True)  # a birth date learned as a date (as linked does)
        parents = get_model("cart", random_state=args.seed).fit(frame, detect_metadata(frame))
        fake = parents.sample(len(context), random_state=args.seed)
        fake.index = pd.Index([f"s{i:06d}" for i in range(len(fake))], name="id")
    else:
        fake = context
    synthetic = model.sample(context=fake, seed=args.seed)
    sample_s, sample_cpu = time.perf_counter() - start, time.process_time() - cpu

    print(
        f"fit {fit_s:.1f} s ({fit_cpu:.1f} CPU), sample {sample_s:.1f} s ({sample_cpu:.1f} CPU)",
        file=sys.stderr,
        flush=True,
    )
    if args.keep:
        synthetic.to_csv(args.keep, index=False)
    scores = evaluate_sequences(train, synthetic, "players_id", "year", seed=args.seed)
    scores["lengths"] = lengths(train, synthetic, "players_id", context.index, fake.index)
    row = {
        "child": args.child,
        "seed": args.seed,
        "context": args.context,
        "fit_s": round(fit_s, 1),
        "sample_s": round(sample_s, 1),
        "fit_cpu_s": round(fit_cpu, 1),
        "sample_cpu_s": round(sample_cpu, 1),
        "rows": {"train": len(train), "synthetic": len(synthetic)},
        "same_team_steps": _same_team(synthetic),
        "same_team_steps_real": _same_team(train),
        **scores,
    }
    summary = {
        "length KS": scores["lengths"]["ks"],
        "coherence": scores["coherence"]["score"],
        "first-year KS": scores["first_step"]["order_ks"],
        "gap sim": scores["gaps"]["score"],
        "AUC entities": scores["detection"]["entities"],
        "AUC rows": scores["detection"]["rows"],
        "fit s": row["fit_s"],
        "sample s": row["sample_s"],
    }
    print(json.dumps(summary))
    print(json.dumps(scores["coherence"]["columns"]))
    if args.out:
        with args.out.open("a") as handle:
            handle.write(json.dumps(row, default=float) + "\n")


def _same_team(frame: pd.DataFrame) -> float:
    ordered = frame.sort_values(["players_id", "year"], kind="stable")
    same_player = ordered["players_id"].eq(ordered["players_id"].shift())
    same_team = ordered["team"].eq(ordered["team"].shift())
    return round(float(same_team[same_player].mean()), 3)


if __name__ == "__main__":
    main()
