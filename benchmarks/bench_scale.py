"""Sampling throughput and peak memory at scale (issue 9): `sample -n N` with the copula on adult.

Each run is a fresh `lookalike sample` process; we poll the resident memory of its whole process
tree (the CLI and any worker processes) every 0.1 s with psutil and also report the largest single
process (`/usr/bin/time` maximum RSS). Memory must not grow with N.

    python benchmarks/bench_scale.py         # 1M and 10M rows, Parquet and CSV, 1 and 2 workers
    python benchmarks/bench_scale.py --rows 100000000 --formats parquet --workers 2 --no-dask
    python benchmarks/bench_scale.py --rows 1000000 --formats csv --workers 1 --no-dask --no-fit

Results go to stdout as a Markdown table and to benchmarks/results/scale.jsonl.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ADULT = Path(os.environ.get("LOOKALIKE_DATASETS", "/work/shared/datasets")) / "adult.csv"
RESULTS = Path(__file__).parent / "results" / "scale.jsonl"


def _poll_tree(pid: int, cpu: dict[int, float]) -> int:
    """Resident bytes of `pid` and all its descendants; records their CPU seconds in `cpu`."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
            times = proc.cpu_times()
            cpu[proc.pid] = max(cpu.get(proc.pid, 0.0), times.user + times.system)
    return total


def measure(command: list[str]) -> dict[str, float | None]:
    """Run `command`; wall seconds, peak RSS of the process tree and of the largest process."""
    with tempfile.NamedTemporaryFile("r", suffix=".maxrss") as maxrss:
        timed = ["/usr/bin/time", "-f", "%M %U %S", "-o", maxrss.name]
        if not Path("/usr/bin/time").exists():
            timed = []
        start = time.perf_counter()
        process = subprocess.Popen(
            [*(timed or []), *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        peak, cpu = 0, {}
        while process.poll() is None:
            peak = max(peak, _poll_tree(process.pid, cpu))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
        text = Path(maxrss.name).read_text().split()
    numbers = [float(x) for x in text[-3:]] if len(text) >= 3 else [0.0, 0.0, 0.0]
    return {
        "seconds": round(seconds, 2),
        # user + system seconds of every process in the tree (pool workers are not waited for
        # by the CLI process itself, so /usr/bin/time alone would miss them)
        "cpu_seconds": round(max(numbers[1] + numbers[2], sum(cpu.values())), 2) or None,
        "tree_peak_mib": round(peak / 2**20, 1),
        "largest_process_mib": round(numbers[0] / 1024, 1) or None,  # KiB -> MiB
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--formats", nargs="+", default=["parquet", "csv"])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask run")
    parser.add_argument("--dask-rows", type=int, default=10_000_000)
    parser.add_argument("--no-fit", action="store_true", help="skip the large-table fit")
    parser.add_argument("--keep", type=Path, default=None, help="folder for outputs (else temp)")
    args = parser.parse_args()

    cli = [sys.executable, "-m", "lookalike.cli"]
    work = Path(args.keep or tempfile.mkdtemp(prefix="lookalike-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    model = work / "adult.lookalike"
    subprocess.run([*cli, "fit", str(ADULT), "-o", str(model), "--seed", "0", "-q"], check=True)
    rows_out = []
    for n in args.rows:
        for fmt in args.formats:
            for workers in args.workers:
                out = work / f"synthetic.{fmt}"
                command = [*cli, "sample", str(model), "-n", str(n), "-o", str(out)]
                result = measure([*command, "--seed", "1", "--workers", str(workers), "-q"])
                result.update(engine="local", rows=n, format=fmt, workers=workers)
                result["file_mib"] = round(out.stat().st_size / 2**20, 1)
                if not args.no_fit and fmt == "parquet" and n == max(args.rows) and workers == 1:
                    big = str(work / "big.lookalike")
                    fit = measure(
                        [*cli, "fit", str(out), "-o", big, "-q", "--sample-rows", "200000"]
                    )
                    fit.update(engine="fit --sample-rows 200000", rows=n, format=fmt, workers=1)
                    rows_out.append(fit)
                out.unlink()
                rows_out.append(result)
                print(json.dumps(result), flush=True)
    if not args.no_dask:
        folder = work / "parts"
        command = [*cli, "sample", str(model), "-n", str(args.dask_rows), "-o", str(folder)]
        result = measure([*command, "--seed", "1", "--engine", "dask", "--workers", "2", "-q"])
        result.update(engine="dask LocalCluster", rows=args.dask_rows, format="parquet parts")
        result["workers"] = 2
        rows_out.append(result)
        print(json.dumps(result), flush=True)
        shutil.rmtree(folder, ignore_errors=True)

    RESULTS.parent.mkdir(exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    with RESULTS.open("a") as handle:
        for row in rows_out:
            handle.write(json.dumps({"when": stamp, "load": os.getloadavg()[0], **row}) + "\n")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print(
        "| engine | rows | output | workers | wall s | rows/s | CPU s | rows per CPU s "
        "| peak RSS, all processes (MiB) | largest process (MiB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows_out:
        rate = f"{r['rows'] / r['seconds']:,.0f}"
        cpu = f"{r['rows'] / r['cpu_seconds']:,.0f}" if r["cpu_seconds"] else "-"
        print(
            f"| {r['engine']} | {r['rows']:,} | {r['format']} | {r['workers']} | {r['seconds']} "
            f"| {rate} | {r['cpu_seconds']} | {cpu} | {r['tree_peak_mib']} "
            f"| {r['largest_process_mib']} |"
        )
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
