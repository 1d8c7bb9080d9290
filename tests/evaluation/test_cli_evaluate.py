"""`lookalike evaluate` and `lookalike demo` on the command line: outputs, score table, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lookalike.evaluation.results import CONTRACT_KEYS
from tests.conftest import make_mixed_table


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOOKALIKE_QUIET": "1"}
    return subprocess.run(
        [sys.executable, "-m", "lookalike.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
def csvs(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, seed, n in (("real", 1, 200), ("synthetic", 2, 200), ("holdout", 3, 60)):
        paths[name] = tmp_path / f"{name}.csv"
        make_mixed_table(n, seed=seed).to_csv(paths[name], index=False)
    return paths


def test_evaluate_writes_scores_and_report_and_prints_a_table(csvs, tmp_path) -> None:
    scores, report = tmp_path / "out" / "scores.json", tmp_path / "out" / "report.html"
    result = run(
        "evaluate", str(csvs["real"]), str(csvs["synthetic"]), "--holdout", str(csvs["holdout"]),
        "--target", "member", "--json", str(scores), "--report", str(report), "--seed", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert set(CONTRACT_KEYS) <= set(json.loads(scores.read_text()))
    assert "quality" in result.stdout and "privacy" in result.stdout
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".")]  # no temp files


def test_evaluate_with_other_columns_is_one_error_line(csvs, tmp_path) -> None:
    other = tmp_path / "other.csv"
    make_mixed_table(50).drop(columns="city").to_csv(other, index=False)
    result = run("evaluate", str(csvs["real"]), str(other), "--json", str(tmp_path / "s.json"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "city" in lines[0]
    assert not (tmp_path / "s.json").exists()


@pytest.mark.slow  # ~10-30 s; tests/test_cli.py runs the demo in the default suite
def test_demo_writes_report_and_scores(tmp_path: Path) -> None:
    from lookalike.demo import run_demo

    run_demo(tmp_path, seed=0, quiet=True)
    scores = json.loads((tmp_path / "scores.json").read_text())
    assert {"quality", "ml_efficacy.tstr", "privacy.dcr_share"} <= set(scores)
    assert "Outcome" in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "synthetic.csv").exists()
