"""CPU seconds per training epoch of SDV's CTGAN/TVAE and lookalike's, on one torch thread.

On a shared machine wall times swing with the load; a single-threaded process's CPU time does not
(much), so this fits each model at two epoch counts in a child process and reports the slope:
CPU seconds per epoch, and the fixed cost (preprocessing) at the intercept.

    python benchmarks/neural_epoch_cpu.py --data ../shared/datasets/adult.csv \
        --sdv-python ~/.cache/lookalike-bench/venv/bin/python --epochs 2 6
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import pandas as pd
system, model, data, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
real = pd.read_csv(data).sample(frac=0.8, random_state=0).reset_index(drop=True)
if system == "sdv":
    from sdv.metadata import Metadata
    from sdv.single_table import CTGANSynthesizer, TVAESynthesizer
    cls = {"ctgan": CTGANSynthesizer, "tvae": TVAESynthesizer}[model]
    meta = Metadata.detect_from_dataframes({"table": real})
    synth = cls(meta, epochs=epochs, enable_gpu=False)
    fit = lambda: synth.fit({"table": real})
else:
    import lookalike
    from lookalike._progress import set_quiet
    set_quiet(True)
    synth = lookalike.get_model(model, epochs=epochs, random_state=0)
    fit = lambda: synth.fit(real)
import torch
torch.set_num_threads(1)
cpu, wall = time.process_time(), time.perf_counter()
fit()
print(json.dumps({"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}))
"""


def run(python: str, system: str, model: str, data: str, epochs: int) -> dict[str, float]:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "LOOKALIKE_TORCH_THREADS": "1"}
    out = subprocess.run(
        [python, "-c", CHILD, system, model, data, str(epochs)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--sdv-python", required=True)
    parser.add_argument("--models", nargs="+", default=["ctgan", "tvae"])
    parser.add_argument("--epochs", nargs=2, type=int, default=[2, 6])
    args = parser.parse_args()
    low, high = args.epochs
    for model in args.models:
        for system, python in (("sdv", args.sdv_python), ("lookalike", sys.executable)):
            a = run(python, system, model, args.data, low)
            b = run(python, system, model, args.data, high)
            per_epoch = (b["cpu_s"] - a["cpu_s"]) / (high - low)
            fixed = a["cpu_s"] - low * per_epoch
            print(
                json.dumps(
                    {
                        "model": model,
                        "system": system,
                        "epochs": [low, high],
                        "cpu_s": [round(a["cpu_s"], 2), round(b["cpu_s"], 2)],
                        "wall_s": [round(a["wall_s"], 1), round(b["wall_s"], 1)],
                        "cpu_s_per_epoch": round(per_epoch, 3),
                        "fixed_cpu_s": round(fixed, 2),
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
