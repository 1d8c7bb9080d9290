"""`lookalike demo`: the whole job on the bundled Pima Indians diabetes table."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from lookalike.io.files import write_table
from lookalike.models import DEFAULT_MODEL, get_model


def demo_table() -> pd.DataFrame:
    """The bundled Pima Indians diabetes table (768 rows x 9 columns)."""
    with resources.as_file(resources.files("lookalike") / "data" / "diabetes.csv") as path:
        return pd.read_csv(path)


def summary(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation per numeric column, real next to synthetic."""
    numeric = real.select_dtypes("number").columns
    synth = synthetic[numeric].apply(pd.to_numeric, errors="coerce")
    return pd.DataFrame(
        {
            "real mean": real[numeric].mean(),
            "synthetic mean": synth.mean(),
            "real std": real[numeric].std(),
            "synthetic std": synth.std(),
        }
    ).round(2)


def run_demo(out: Path, *, seed: int | None = 0, quiet: bool = False) -> None:
    """Fit the default model on 80% of the demo table and evaluate it against the other 20%.

    Writes DIR/synthetic.csv, DIR/scores.json and DIR/report.html.
    """
    from lookalike.evaluation import evaluate

    table = demo_table()
    order = np.random.default_rng(seed).permutation(len(table))
    cut = round(len(table) * 0.8)
    real, holdout = table.iloc[np.sort(order[:cut])], table.iloc[np.sort(order[cut:])]
    start = time.perf_counter()
    model = get_model(DEFAULT_MODEL, random_state=seed).fit(real)
    synthetic = model.sample(len(real))
    seconds = time.perf_counter() - start
    out.mkdir(parents=True, exist_ok=True)
    write_table(synthetic, out / "synthetic.csv")
    if not quiet:
        print(
            f"Fitted {DEFAULT_MODEL!r} on {len(real)} rows of the diabetes table (the other "
            f"{len(holdout)} held out) and sampled {len(synthetic)} rows in {seconds:.1f} s."
        )
        print(summary(real, synthetic).to_string())
    report = evaluate(
        real,
        synthetic,
        holdout=holdout,
        target="Outcome",
        random_state=seed or 0,
        model=model,
        provenance={"real": {"name": "diabetes.csv (bundled)"}},
    )
    report.to_json(out / "scores.json")
    report.to_html(out / "report.html")
    if not quiet:
        print()
        print(report)
        for name in ("synthetic.csv", "scores.json", "report.html"):
            print(f"wrote {out / name}")
