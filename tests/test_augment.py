"""`augment` adds synthetic rows after the real ones and `--check` says whether they help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike.augment import AugmentCheck, augment, check_augmentation
from lookalike.errors import DataError


def make_table(n: int = 120, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    city = rng.choice(["Paris", "Lyon"], size=n)
    label = np.where(x + (city == "Paris") + rng.normal(0, 0.7, n) > 0.5, "yes", "no")
    return pd.DataFrame({"x": np.round(x, 3), "city": city, "label": label})


def test_real_rows_first_then_synthetic_same_seed_same_rows() -> None:
    table = make_table()
    before = table.copy()
    out = augment(table, "label", rows=50, random_state=1)
    assert len(out) == 170 and list(out.columns) == list(table.columns)
    pd.testing.assert_frame_equal(out.iloc[:120], table)
    pd.testing.assert_frame_equal(table, before)  # input untouched
    assert set(out["label"].iloc[120:]) <= {"yes", "no"}
    pd.testing.assert_frame_equal(out, augment(table, "label", rows=50, random_state=1))


@pytest.mark.slow
def test_check_scores_both_learners_on_every_seed() -> None:
    result = check_augmentation(make_table(), "label", seeds=2, random_state=0)
    assert result.metric == "ROC-AUC"
    assert sorted(result.scores["learner"].unique()) == ["gradient boosting", "logistic regression"]
    assert len(result.scores) == 4
    assert result.scores[["real", "augmented"]].apply(lambda c: c.between(0, 1)).all().all()
    # the signal is real: learners do better than chance on held-out real rows
    assert result.summary()["real"].min() > 0.6
    text = str(result)
    assert "real only" in text and "logistic regression:" in text
    again = check_augmentation(make_table(), "label", seeds=2, random_state=0)
    pd.testing.assert_frame_equal(result.scores, again.scores)


def test_number_target_is_scored_by_r2() -> None:
    table = make_table()
    table["y"] = table["x"] * 2 + np.random.default_rng(1).normal(0, 0.1, len(table))
    result = check_augmentation(table.drop(columns="label"), "y", seeds=1, random_state=0)
    assert result.metric == "R2"
    assert result.summary()["real"].min() > 0.8


def _check(real: list[float], augmented: list[float]) -> AugmentCheck:
    scores = pd.DataFrame(
        {
            "learner": "gradient boosting",
            "seed": range(len(real)),
            "real": real,
            "augmented": augmented,
        }
    )
    return AugmentCheck("label", "ROC-AUC", "cart", 100, scores)


def test_verdict_says_plainly_when_augmentation_hurts() -> None:
    verdict = _check([0.85, 0.84, 0.86], [0.80, 0.79, 0.80]).verdicts()[0]
    assert "lowered ROC-AUC from 0.850 to 0.797: do not use it here" in verdict
    assert "raised ROC-AUC" in _check([0.80, 0.79, 0.80], [0.85, 0.84, 0.86]).verdicts()[0]
    assert "no clear gain" in _check([0.80, 0.82, 0.78], [0.81, 0.80, 0.80]).verdicts()[0]
    assert not _check([0.85, 0.84, 0.86], [0.80, 0.79, 0.80]).helps()


def test_bad_target_is_refused() -> None:
    with pytest.raises(DataError, match="no column 'nope'"):
        augment(make_table(), "nope")
    with pytest.raises(DataError, match="rows must be"):
        augment(make_table(), "label", rows=0)


@pytest.mark.slow
def test_cli_writes_rows_and_refuses_a_bad_target(tmp_path: Path) -> None:
    data = tmp_path / "real.csv"
    make_table().to_csv(data, index=False)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    cmd = [sys.executable, "-m", "lookalike.cli", "augment", str(data), "--target"]
    out = tmp_path / "out.csv"
    ok = subprocess.run(
        [*cmd, "label", "-o", str(out), "--rows", "30", "--seed", "0", "-q"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert ok.returncode == 0, ok.stderr
    assert len(pd.read_csv(out)) == 150
    bad = subprocess.run(
        [*cmd, "nope", "-o", str(tmp_path / "bad.csv")], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: no column 'nope'")
    assert "Traceback" not in bad.stderr and not (tmp_path / "bad.csv").exists()
