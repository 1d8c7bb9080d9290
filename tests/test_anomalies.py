"""`anomalies` mixes lookalike normal rows with labelled anomalies of each documented kind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike.anomalies import anomalies
from lookalike.errors import DataError


def make_table(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """Two groups whose `amount` differs a lot, and `y` that follows `x` closely."""
    rng = np.random.default_rng(seed)
    group = rng.choice(["small", "big"], size=n)
    amount = np.where(group == "big", rng.normal(100, 5, n), rng.normal(10, 2, n))
    x = rng.normal(0, 1, n)
    y = 2 * x + rng.normal(0, 0.1, n)
    return pd.DataFrame(
        {"group": group, "amount": amount.round(2), "x": x.round(3), "y": y.round(3)}
    )


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return make_table()


@pytest.fixture(scope="module")
def out(table: pd.DataFrame) -> pd.DataFrame:
    return anomalies(table, 400, share=0.2, random_state=0)


def test_counts_labels_and_columns(table: pd.DataFrame, out: pd.DataFrame) -> None:
    assert len(out) == 400 and list(out.columns) == [*table.columns, "anomaly"]
    assert out["anomaly"].value_counts().to_dict() == {
        "normal": 320,
        "global": 20,
        "local": 20,
        "contextual": 20,
        "cluster": 20,
    }
    assert (out["anomaly"].iloc[:80] != "normal").any()  # shuffled, not stacked at one end


def test_global_rows_leave_the_real_range(table: pd.DataFrame, out: pd.DataFrame) -> None:
    numbers = ["amount", "x", "y"]
    low, high = table[numbers].min(), table[numbers].max()
    beyond = ((out[numbers] < low) | (out[numbers] > high)).any(axis=1)
    assert beyond[out["anomaly"] == "global"].all()
    assert beyond[out["anomaly"] == "normal"].mean() < 0.1


def test_local_rows_break_the_dependency(out: pd.DataFrame) -> None:
    def gap(rows: pd.DataFrame) -> float:
        return float((rows["y"] - 2 * rows["x"]).abs().median())

    assert gap(out[out["anomaly"] == "local"]) > 5 * gap(out[out["anomaly"] == "normal"])


def test_contextual_values_fit_another_group(table: pd.DataFrame, out: pd.DataFrame) -> None:
    rows = out[out["anomaly"] == "contextual"]
    normal = out[out["anomaly"] == "normal"]

    def off(frame: pd.DataFrame, column: str) -> pd.Series:
        centre = table.groupby("group")[column].median()
        spread = table.groupby("group")[column].std()
        return ((frame[column] - frame["group"].map(centre)) / frame["group"].map(spread)).abs()

    # each contextual row breaks its context: `amount` far (> 4 sd) from its group's, or x and y
    # (y = 2x) far apart
    broken = (off(rows, "amount") > 4) | ((rows["y"] - 2 * rows["x"]).abs() > 1)
    assert broken.mean() > 0.8
    assert (off(normal, "amount") > 4).mean() < 0.05
    # but every value stays inside the real range (not a global anomaly)
    assert rows["amount"].between(table["amount"].min(), table["amount"].max()).all()


def test_cluster_is_tight_and_far(table: pd.DataFrame, out: pd.DataFrame) -> None:
    rows = out[out["anomaly"] == "cluster"]
    scaled = (rows[["amount", "x", "y"]] - table[["amount", "x", "y"]].mean()) / table[
        ["amount", "x", "y"]
    ].std()
    assert (scaled.std() < 0.2).all()
    assert np.linalg.norm(scaled.mean()) > 3
    assert rows["group"].nunique() == 1


def test_same_seed_same_rows_and_kinds_chosen(table: pd.DataFrame, out: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(out, anomalies(table, 400, share=0.2, random_state=0))
    only = anomalies(table, 100, kinds=["global"], share=0.1, random_state=1)
    assert only["anomaly"].value_counts().to_dict() == {"normal": 90, "global": 10}


def test_bad_input_is_refused(table: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="unknown anomaly kind"):
        anomalies(table, 10, kinds=["weird"])
    with pytest.raises(DataError, match="share must be"):
        anomalies(table, 10, share=1.5)
    with pytest.raises(DataError, match="already has a column 'anomaly'"):
        anomalies(table.assign(anomaly=1), 10)


@pytest.mark.slow
def test_cli(tmp_path: Path) -> None:
    data = tmp_path / "real.csv"
    make_table().to_csv(data, index=False)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    cmd = [sys.executable, "-m", "lookalike.cli", "anomalies", str(data), "-n", "200"]
    ok = subprocess.run(
        [*cmd, "-o", str(tmp_path / "a.csv"), "--kinds", "global,cluster", "--seed", "0", "-q"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert ok.returncode == 0, ok.stderr
    assert set(pd.read_csv(tmp_path / "a.csv")["anomaly"]) == {"normal", "global", "cluster"}
    bad = subprocess.run(
        [*cmd, "-o", str(tmp_path / "b.csv"), "--kinds", "odd"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: unknown anomaly kind")
    assert not (tmp_path / "b.csv").exists()
