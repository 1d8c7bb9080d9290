"""Exact copies of training rows on all-categorical tables: natural rate vs cart's samples.

    python benchmarks/copy_share.py guide|hidden|adult-categories [--data adult.csv] [-p k=v]

guide: a mushroom-like "field guide" table (23 categorical columns; each of 23 species fixes
most columns and lists every combination of 4-6 free ones, once: 6,968 unique rows);
hidden: 8,124 unique rows of 23 categories drawn given a hidden class;
adult-categories: adult's categorical columns only (many repeated combinations).
80/20 split (seed 0), as many synthetic rows as training rows.
"""

from __future__ import annotations

import argparse
import itertools
import json

import numpy as np
import pandas as pd

import lookalike
from lookalike._progress import set_quiet

LETTERS = "abcdefghij"


def guide_table(columns: int = 23, species: int = 23, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 10, size=columns)
    rows = []
    for _ in range(species):
        base = [int(rng.integers(size)) for size in sizes]
        free = rng.choice(columns, size=int(rng.integers(4, 7)), replace=False)
        options = {
            j: rng.choice(sizes[j], size=min(sizes[j], int(rng.integers(2, 5))), replace=False)
            for j in free
        }
        for combo in itertools.product(*[options[j] for j in free]):
            row = list(base)
            for j, value in zip(free, combo, strict=True):
                row[j] = int(value)
            rows.append(row)
    codes = np.unique(np.array(rows), axis=0)
    frame = pd.DataFrame({f"c{j}": [LETTERS[v] for v in codes[:, j]] for j in range(columns)})
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


def hidden_class_table(n: int = 8124, columns: int = 23, classes: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    sizes = rng.integers(2, 10, size=columns)
    probs = []
    for size in sizes:
        table = np.full((classes, size), 0.15 / max(size - 1, 1))
        table[np.arange(classes), rng.integers(size, size=classes)] = 0.85
        probs.append(table)
    weights = rng.dirichlet(np.ones(classes) * 2)
    seen: set[tuple[int, ...]] = set()
    rows: list[tuple[int, ...]] = []
    while len(rows) < n:
        cls = rng.choice(classes, size=4 * n, p=weights)
        block = np.column_stack(
            [(rng.random(4 * n)[:, None] > p[cls].cumsum(axis=1)).sum(axis=1) for p in probs]
        )
        for row in map(tuple, block):
            if row not in seen and len(rows) < n:
                seen.add(row)
                rows.append(row)
    codes = np.array(rows)
    return pd.DataFrame({f"c{j}": [LETTERS[v] for v in codes[:, j]] for j in range(columns)})


def copy_share(rows: pd.DataFrame, train: pd.DataFrame) -> float:
    def key(frame: pd.DataFrame) -> pd.Series:
        return pd.util.hash_pandas_object(frame[list(train.columns)].astype(str), index=False)

    return float(key(rows).isin(set(key(train))).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("table", choices=["guide", "hidden", "adult-categories"])
    parser.add_argument("--data", default="../shared/datasets/adult.csv")
    parser.add_argument("-p", "--param", action="append", default=[], help="model key=value")
    args = parser.parse_args()
    set_quiet(True)
    if args.table == "guide":
        table = guide_table()
    elif args.table == "hidden":
        table = hidden_class_table()
    else:
        adult = pd.read_csv(args.data)
        table = adult[[c for c in adult.columns if adult[c].dtype == object]]
    params = {k: json.loads(v) for k, _, v in (p.partition("=") for p in args.param)}
    order = np.random.default_rng(0).permutation(len(table))
    cut = int(0.8 * len(table))
    train = table.iloc[order[:cut]].reset_index(drop=True)
    holdout = table.iloc[order[cut:]].reset_index(drop=True)
    model = lookalike.get_model("cart", random_state=0, **params).fit(train)
    rows = model.sample(len(train), random_state=0)
    print(
        json.dumps(
            {
                "table": args.table,
                "rows": table.shape,
                "params": params,
                "natural": round(copy_share(holdout, train), 4),
                "copies": round(copy_share(rows, train), 4),
            }
        )
    )


if __name__ == "__main__":
    main()
