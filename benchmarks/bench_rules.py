"""Rules and PII benchmark: 1M rows of a 12-column spec with several fake kinds.

Measures wall and CPU time of `lookalike generate` (streamed to .csv and .parquet), the distinct
count of every column, and, for scale, the same fake columns made with one Faker call per row on a
small sample (extrapolated to 1M rows).

    python benchmarks/bench_rules.py --rows 1000000 --out /tmp/bench_rules
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

SPEC = """
seed: 1
columns:
  customer_id: {kind: id, pattern: "C-??######"}
  name:        {kind: name}
  email:       {kind: email, missing: 0.05}
  phone:       {kind: phone}
  address:     {kind: address}
  iban:        {kind: iban, locale: de_DE}
  card:        {kind: credit_card}
  sex:         {kind: categorical, values: {F: 0.5, M: 0.5}}
  age:         {kind: normal, mean: 45, sd: 15, min: 18, max: 95, round: 0}
  income:      {kind: lognormal, mu: "9.5 + age / 50", sigma: 0.5, round: 0}
  joined:      {kind: date, start: 2015-01-01, end: 2024-12-31}
  score:       {kind: computed, expr: "log(income) * 10 - age / 10", round: 2}
"""
FAKER_KINDS = {
    "name": "name",
    "email": "email",
    "phone": "phone_number",
    "address": "address",
    "iban": "iban",
    "card": "credit_card_number",
}


def run_cli(spec: Path, rows: int, out: Path) -> dict[str, float]:
    command = ["lookalike", "generate", str(spec), "-n", str(rows), "-o", str(out), "--quiet"]
    start = time.perf_counter()
    before = _children_cpu()
    subprocess.run(command, check=True)
    return {
        "wall_s": round(time.perf_counter() - start, 2),
        "cpu_s": round(_children_cpu() - before, 2),
    }


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def faker_per_row(rows: int) -> float:
    """Seconds for one Faker call per row for the six fake columns, on `rows` rows."""
    from faker import Faker

    faker = Faker("en_US")
    faker.seed_instance(0)
    de = Faker("de_DE")
    start = time.process_time()
    for method in FAKER_KINDS.values():
        maker = getattr(de if method == "iban" else faker, method)
        for _ in range(rows):
            maker()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_rules"))
    parser.add_argument("--faker-rows", type=int, default=20_000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    spec = args.out / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    results: dict[str, object] = {"rows": args.rows, "columns": 12}
    for suffix in ("parquet", "csv"):
        out = args.out / f"fake.{suffix}"
        results[suffix] = run_cli(spec, args.rows, out)
        results[suffix]["mb"] = round(out.stat().st_size / 1e6, 1)  # type: ignore[index]
        print(suffix, results[suffix], file=sys.stderr)
    table = pd.read_parquet(args.out / "fake.parquet")
    results["distinct"] = {c: int(table[c].nunique()) for c in table.columns}
    per_row = faker_per_row(args.faker_rows)
    results["faker_per_row_cpu_s_for_6_fake_columns"] = {
        "rows": args.faker_rows,
        "cpu_s": round(per_row, 2),
        "extrapolated_to_rows_s": round(per_row * args.rows / args.faker_rows, 1),
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
