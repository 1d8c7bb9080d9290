"""`balance` adds minority rows up to the ratio asked for, by SMOTE or by any model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike.balance import balance, class_counts
from lookalike.errors import DataError


def make_imbalanced(n_major: int = 270, n_minor: int = 30, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    label = np.array(["no"] * n_major + ["yes"] * n_minor)
    x = np.where(label == "yes", rng.normal(3.0, 0.5, n), rng.normal(0.0, 1.0, n))
    city = rng.choice(["Paris", "Lyon", "Nice"], size=n)
    return pd.DataFrame({"x": np.round(x, 4), "city": city, "label": label})


@pytest.fixture
def table() -> pd.DataFrame:
    return make_imbalanced()


@pytest.mark.parametrize("method", ["smote", "borderline-smote", "bayesnet", "copula"])
@pytest.mark.parametrize("ratio", [1.0, 0.5])
def test_minority_reaches_the_ratio_and_real_rows_stay_first(
    method: str, ratio: float, table: pd.DataFrame
) -> None:
    before = table.copy()
    out = balance(table, "label", method=method, ratio=ratio, random_state=0)
    assert class_counts(out, "label").to_dict() == {"no": 270, "yes": int(270 * ratio)}
    pd.testing.assert_frame_equal(out.iloc[: len(table)], table)
    pd.testing.assert_frame_equal(table, before)
    assert out.attrs["class_counts"]["before"] == {"no": 270, "yes": 30}


def test_adasyn_adds_about_the_rows_asked_for(table: pd.DataFrame) -> None:
    out = balance(table, "label", method="adasyn", random_state=0)
    assert abs(class_counts(out, "label")["yes"] - 270) <= 15  # ADASYN's counts are approximate


def test_smote_rows_stay_within_the_minority_and_keep_its_categories(table: pd.DataFrame) -> None:
    out = balance(table, "label", random_state=0)
    new = out.iloc[len(table) :]
    minority = table[table["label"] == "yes"]
    assert (new["label"] == "yes").all()
    assert new["x"].between(minority["x"].min(), minority["x"].max()).all()
    assert set(new["city"]) <= set(table["city"])


def test_the_same_seed_gives_the_same_rows(table: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        balance(table, "label", random_state=4), balance(table, "label", random_state=4)
    )


def test_several_minority_classes_each_reach_the_ratio() -> None:
    rng = np.random.default_rng(0)
    table = pd.DataFrame(
        {
            "x": rng.normal(size=200),
            "kind": ["a"] * 120 + ["b"] * 50 + ["c"] * 30,
        }
    )
    counts = class_counts(balance(table, "kind", ratio=0.5, random_state=0), "kind")
    assert counts.to_dict() == {"a": 120, "b": 60, "c": 60}


def test_a_numeric_target_is_treated_as_classes() -> None:
    table = pd.DataFrame({"v": np.arange(100.0), "fraud": [0] * 90 + [1] * 10})
    out = balance(table, "fraud", method="bayesnet", random_state=0)
    assert out["fraud"].value_counts().to_dict() == {0: 90, 1: 90}
    assert out["fraud"].dtype == table["fraud"].dtype


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"ratio": 0.05}, "ratio above"),
        ({"ratio": 0.0}, "ratio"),
        ({"ratio": 1.5}, "ratio"),
        ({"method": "magic"}, "borderline-smote"),
        ({"k_neighbors": 30}, "k_neighbors"),
    ],
)
def test_bad_requests_say_what_to_do(kwargs: dict, word: str, table: pd.DataFrame) -> None:
    with pytest.raises(DataError, match=word):
        balance(table, "label", **kwargs)


def test_a_target_with_one_class_or_no_such_column_is_refused(table: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="single class"):
        balance(table[table["label"] == "no"], "label")
    with pytest.raises(DataError, match="no column"):
        balance(table, "lable")


def test_cli_balance_prints_counts_and_writes_the_table(
    table: pd.DataFrame, tmp_path: Path
) -> None:
    source, target = tmp_path / "real.csv", tmp_path / "balanced.csv"
    table.to_csv(source, index=False)
    command = [sys.executable, "-m", "lookalike.cli", "balance", str(source)]
    env = {**os.environ, "LOOKALIKE_QUIET": "1"}
    done = subprocess.run(
        [*command, "--target", "label", "-o", str(target), "--ratio", "0.5", "--seed", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "before" in done.stdout and "135" in done.stdout
    assert pd.read_csv(target)["label"].value_counts().to_dict() == {"no": 270, "yes": 135}
    bad = subprocess.run(
        [*command, "--target", "label", "-o", str(tmp_path / "x.csv"), "--ratio", "0.01"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error:")
    assert not (tmp_path / "x.csv").exists()


# ---------------------------------------------------------------------- before/after check
@pytest.mark.slow
def test_check_shows_the_recall_gain_on_held_out_real_rows(tmp_path: Path) -> None:
    from lookalike.balance_check import check_balance

    table = make_imbalanced(n_major=540, n_minor=30, seed=3)
    result = check_balance(table, "label", random_state=0)
    scores = result.classes.set_index(["learner", "training", "class"])
    assert set(scores.index.get_level_values("class")) == {"no", "yes"}
    assert scores["support"].groupby(level=["learner", "training"]).sum().nunique() == 1
    assert (
        scores.loc[("logistic regression", "after", "yes"), "recall"]
        >= scores.loc[("logistic regression", "before", "yes"), "recall"]
    )
    assert result.pr_auc["PR-AUC"].between(0.5, 1).all()
    text = str(result)
    assert "precision" in text and "PR-AUC" in text and "after" in text


def test_check_report_is_written_as_json_or_html(tmp_path: Path) -> None:
    from lookalike.balance_check import BalanceCheck

    classes = pd.DataFrame(
        [
            {
                "learner": "gradient boosting",
                "training": t,
                "class": c,
                "precision": p,
                "recall": r,
                "F1": 0.5,
                "support": 10,
            }
            for t, p, r in (("before", 0.95, 0.83), ("after", 0.76, 0.89))
            for c in ("<b>0</b>", "1")
        ]
    )
    pr_auc = pd.DataFrame(
        {"learner": "gradient boosting", "training": ["before", "after"], "PR-AUC": [0.9, 0.91]}
    )
    result = BalanceCheck("Class", "smote", classes, pr_auc)
    assert "0.830" in str(result) and "0.890" in str(result)
    result.write(tmp_path / "r.json")
    result.write(tmp_path / "r.html")
    assert '"recall": 0.89' in (tmp_path / "r.json").read_text()
    page = (tmp_path / "r.html").read_text()
    assert "<table>" in page and "&lt;b&gt;0&lt;/b&gt;" in page  # names from the data escaped
    with pytest.raises(DataError, match=r"use a \.json or \.html"):
        result.write(tmp_path / "r.txt")
    assert not (tmp_path / "r.txt").exists()


def test_cli_report_refuses_a_bad_name_before_writing(tmp_path: Path) -> None:
    data = tmp_path / "real.csv"
    make_imbalanced().to_csv(data, index=False)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    out = tmp_path / "out.csv"
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "lookalike.cli",
            "balance",
            str(data),
            "-t",
            "label",
            "-o",
            str(out),
            "--report",
            str(tmp_path / "r.txt"),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: cannot write a report")
    assert not out.exists()
