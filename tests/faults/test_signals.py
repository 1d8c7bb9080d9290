"""Ctrl-C, SIGTERM and kill -9 during a real `lookalike sample` on a process pool.

Each test starts `lookalike sample ... --workers 2` of many rows, waits until the output's temp file
and the worker processes exist, sends the signal, then checks what a user finds afterwards: no
output, no temp file (or one that the next run removes), no worker process left alive.
Linux only (the process tree is read from /proc). Marked slow; CI runs `pytest tests/faults -m ''`.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lookalike import get_model, save
from tests.conftest import make_mixed_table

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree"),
]
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("model") / "m.lookalike"
    save(get_model("copula", random_state=0).fit(make_mixed_table(300)), path)
    return path


def start_sample(model: Path, output: str, cwd: Path) -> subprocess.Popen[str]:
    """`lookalike sample` of 20M rows on 2 workers; its stderr goes to cwd/../stderr.txt."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "LOOKALIKE_QUIET": "1"}
    command = [sys.executable, "-m", "lookalike.cli", "sample", str(model), "-n", "20000000"]
    with open(cwd.parent / f"{cwd.name}.stderr.txt", "w") as stderr:  # a file: no pipe to drain
        return subprocess.Popen(
            [*command, "-o", output, "--seed", "1", "--workers", "2"],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            text=True,
            start_new_session=True,  # its own process group, as a terminal gives a command
        )


def stderr_of(cwd: Path) -> str:
    return (cwd.parent / f"{cwd.name}.stderr.txt").read_text()


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (children, grandchildren, ...) from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; it waits only for its parent to reap it


def wait_until(check, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())


def temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def running_with_workers(process: subprocess.Popen[str], folder: Path) -> set[int]:
    """Wait until the pool's workers run and the output's temp file exists; their pids."""
    assert wait_until(lambda: len(descendants(process.pid)) >= 2 and temps(folder), 120), (
        process.poll(),
        stderr_of(folder),
    )
    time.sleep(1.0)  # some chunks in flight
    workers = descendants(process.pid)
    assert process.poll() is None, "the run ended before the signal: ask for more rows"
    return workers


@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [(signal.SIGINT, 130, "error: interrupted"), (signal.SIGTERM, 143, "error: terminated")],
    ids=["ctrl-c", "sigterm"],
)
def test_an_interrupt_stops_cleanly(
    model_file: Path, tmp_path: Path, signum: int, code: int, line: str
) -> None:
    process = start_sample(model_file, "out.csv", tmp_path)
    workers = running_with_workers(process, tmp_path)
    if signum == signal.SIGINT:
        os.killpg(process.pid, signum)  # Ctrl-C reaches the whole process group
    else:
        os.kill(process.pid, signum)
    process.wait(timeout=60)
    stderr = stderr_of(tmp_path)
    lines = [text for text in stderr.splitlines() if text.strip()]
    assert process.returncode == code, stderr
    assert lines == [line] or (len(lines) == 1 and lines[0].startswith(line)), stderr
    assert not (tmp_path / "out.csv").exists()
    assert temps(tmp_path) == []
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 10), "workers outlived"


def test_kill_9_leaves_no_worker_and_the_next_run_removes_the_temp_file(
    model_file: Path, tmp_path: Path
) -> None:
    process = start_sample(model_file, "out.csv", tmp_path)
    workers = running_with_workers(process, tmp_path)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)  # not communicate(): it would wait for the workers' stderr too
    assert not (tmp_path / "out.csv").exists()
    assert temps(tmp_path), "a killed run cannot remove its temp file"
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 15), (
        f"orphans: {[pid for pid in workers if alive(pid)]}"
    )
    command = [sys.executable, "-m", "lookalike.cli", "sample", str(model_file), "-n", "10"]
    again = subprocess.run(
        [*command, "-o", "out.csv", "-q"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert temps(tmp_path) == []
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 11


def staging_tables(database: Path) -> list[str]:
    try:
        with sqlite3.connect(database, timeout=1) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            return [name for (name,) in rows if "__lk_" in name]
    except sqlite3.Error:
        return []


def test_a_killed_database_write_leaves_a_staging_table_the_next_write_drops(
    model_file: Path, tmp_path: Path
) -> None:
    database = tmp_path / "out.db"
    url = f"sqlite:///{database}?table=synthetic"
    process = start_sample(model_file, url, tmp_path)
    assert wait_until(lambda: staging_tables(database), 120), process.poll()
    workers = descendants(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert staging_tables(database)
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 15)
    from lookalike import load
    from lookalike.scale.parallel import sample_local

    sample_local(load(model_file), 10, url, seed=0, workers=1)
    assert staging_tables(database) == []
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT COUNT(*) FROM synthetic").fetchone() == (10,)


def test_ctrl_c_during_neural_training_keeps_the_model_and_exits_130(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    make_mixed_table(200).to_csv(tmp_path / "data.csv", index=False)
    env = {**os.environ, "PYTHONPATH": str(SRC), "LOOKALIKE_QUIET": "0"}  # the bar shows epochs
    command = [sys.executable, "-m", "lookalike.cli", "fit", "data.csv", "-o", "m.lookalike"]
    with open(tmp_path / "stderr.txt", "w") as stderr:
        process = subprocess.Popen(
            [*command, "-m", "tvae", "--epochs", "100000"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,
        )
    def epochs_done() -> int:  # the bar skips counts when epochs are fast: read the largest
        found = re.findall(r"(\d+)/100000", (tmp_path / "stderr.txt").read_text())
        return max((int(n) for n in found), default=0)

    assert wait_until(lambda: epochs_done() >= 3, 180)
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=120) == 130
    lines = (tmp_path / "stderr.txt").read_text().splitlines()
    assert [line for line in lines if line.startswith("error:")] == ["error: interrupted"]
    from lookalike import load

    assert load(tmp_path / "m.lookalike").history_["stopped"] == "interrupted"


def test_sigterm_during_a_database_write_drops_the_staging_table_at_once(
    model_file: Path, tmp_path: Path
) -> None:
    database = tmp_path / "out.db"
    process = start_sample(model_file, f"sqlite:///{database}?table=synthetic", tmp_path)
    assert wait_until(lambda: staging_tables(database), 120), process.poll()
    workers = descendants(process.pid)
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=60) == 143, stderr_of(tmp_path)
    assert staging_tables(database) == []
    assert wait_until(lambda: not any(alive(pid) for pid in workers), 10)
