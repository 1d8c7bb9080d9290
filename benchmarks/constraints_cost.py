"""What constraints cost and what they prevent, on a generated orders table.

The table (50,000 rows) obeys four rules: delivered >= ordered (dates), total = price * qty +
shipping, each city has one country, and an account number never repeats. The same model is
fitted with and without the rules declared; we count the sampled rows that break each rule and
time fitting and sampling 200,000 rows.

Usage:
    python benchmarks/constraints_cost.py [--models copula,cart] [--rows 200000]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import pandas as pd

import lookalike
from lookalike._progress import set_quiet

CITIES = {"Paris": "FR", "Lyon": "FR", "Berlin": "DE", "Munich": "DE", "Rome": "IT", "Milan": "IT"}
RULES: list[dict[str, Any]] = [
    {"type": "inequality", "low": "ordered", "high": "delivered"},
    {"type": "formula", "column": "total", "expression": "price * qty + shipping"},
    {"type": "fixed_combinations", "columns": ["city", "country"]},
    {"type": "unique", "column": "account"},
]


def orders(n: int = 50_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ordered = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    delivered = ordered + pd.to_timedelta(rng.gamma(2, 2, n).round(), unit="D")
    price = rng.lognormal(3, 0.7, n).round(2)
    qty = rng.integers(1, 6, n)
    shipping = np.where(price * qty > 100, 0.0, 4.99)
    city = rng.choice(list(CITIES), n)
    return pd.DataFrame(
        {
            "account": rng.choice(10**8, n, replace=False),
            "ordered": ordered.strftime("%Y-%m-%d"),
            "delivered": delivered.strftime("%Y-%m-%d"),
            "price": price,
            "qty": qty,
            "shipping": shipping,
            "total": (price * qty + shipping).round(2),
            "city": city,
            "country": [CITIES[c] for c in city],
        }
    )


def broken(rows: pd.DataFrame) -> dict[str, float]:
    """Share of rows breaking each rule (checked directly, not with the library)."""
    late = pd.to_datetime(rows["delivered"]) < pd.to_datetime(rows["ordered"])
    total = (rows["total"] - (rows["price"] * rows["qty"] + rows["shipping"])).abs() > 0.0051
    return {
        "delivered < ordered": float(late.mean()),
        "total wrong": float(total.mean()),
        "city/country mismatch": float((rows["country"] != rows["city"].map(CITIES)).mean()),
        "repeated account": float(rows["account"].duplicated().mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="copula,cart")
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    set_quiet(True)
    table = orders()
    print("| model | rules declared | fit s | sample s | " + " | ".join(broken(table)) + " |")
    print("|---|---|---|---|" + "---|" * len(broken(table)))
    for name in args.models.split(","):
        for declared in (False, True):
            metadata = lookalike.Metadata.detect(table)
            metadata.constraints = RULES if declared else []
            start = time.perf_counter()
            model = lookalike.get_model(name, random_state=0).fit(table, metadata)
            fit_s = time.perf_counter() - start
            start = time.perf_counter()
            rows = model.sample(args.rows, random_state=1)
            sample_s = time.perf_counter() - start
            shares = " | ".join(f"{v:.2%}" for v in broken(rows).values())
            print(
                f"| {name} | {'yes' if declared else 'no'} | {fit_s:.1f} | {sample_s:.1f} | "
                f"{shares} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
