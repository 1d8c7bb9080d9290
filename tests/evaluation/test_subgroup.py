"""Control groups: a conditional sample is scored against the same subgroup of the real rows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import lookalike
from lookalike.cli import app
from lookalike.exits import run
from lookalike.where import parse_where


def _table(n: int = 400, rare: int = 40, seed: int = 0) -> pd.DataFrame:
    """Group "b" (`rare` rows) sits far from group "a" on x and has its own y."""
    rng = np.random.default_rng(seed)
    group = np.array(["a"] * (n - rare) + ["b"] * rare)
    x = np.where(group == "b", rng.normal(8, 1, n), rng.normal(0, 1, n))
    y = np.where(group == "b", rng.choice(["p", "q"], n, p=[0.9, 0.1]), rng.choice(["p", "q"], n))
    return pd.DataFrame({"group": group, "x": np.round(x, 3), "y": y})


def test_a_subgroup_sample_is_scored_against_the_real_subgroup() -> None:
    real = _table()
    fake = _table(800, 800, seed=1)  # rows like group b only
    whole = lookalike.evaluate(real, fake)
    report = lookalike.evaluate(real, fake, where="group=b")
    assert report.scores["rows.real"] == 40
    assert report.scores["column_shapes"] > 0.9 and whole.scores["column_shapes"] < 0.5
    assert report.notes[0] == "Compared with the real subgroup group=b (40 rows)."
    assert report.info["subgroup"] == {
        "where": "group=b",
        "rows_real": 40,
        "rows_holdout": None,
        "synthetic_rows_outside": 0,
    }
    assert json.loads(report.to_json())["subgroup"]["rows_real"] == 40
    assert str(report).splitlines()[0] == "compared with the real subgroup group=b (40 rows)"
    assert not any("fewer than 30" in note for note in report.notes)


def test_a_small_subgroup_is_flagged_and_rows_outside_it_are_counted() -> None:
    real, holdout = _table(), _table(seed=2)
    fake = pd.concat([_table(200, 200, seed=3), _table(50, 0, seed=4)])  # 50 rows of group a
    report = lookalike.evaluate(real, fake, holdout=holdout, where={"group": "b", "x": (8, None)})
    rows = int(((real["group"] == "b") & (real["x"] >= 8)).sum())
    assert rows < 30 and report.scores["rows.real"] == rows
    assert report.notes[0].startswith(f"Compared with the real subgroup group=b and x>=8 ({rows} ")
    assert any(f"has only {rows} rows (fewer than 30)" in note for note in report.notes)
    outside = 50 + int((_table(200, 200, seed=3)["x"] < 8).sum())
    assert report.info["subgroup"]["synthetic_rows_outside"] == outside
    assert any(f"{outside} synthetic rows do not meet" in note for note in report.notes)
    assert report.info["subgroup"]["rows_holdout"] == int(
        ((holdout["group"] == "b") & (holdout["x"] >= 8)).sum()
    )


def test_one_where_text_may_join_conditions_with_and() -> None:
    both = parse_where(["Outcome=1 and Age>=50"])
    assert both["Outcome"] == "1" and both["Age"].low == "50" and both["Age"].low_closed
    assert parse_where(["food=salt and pepper"]) == {"food": "salt and pepper"}


def test_evaluate_applies_the_conditions_in_the_samples_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, model, out = tmp_path / "real.csv", tmp_path / "m.lookalike", tmp_path / "syn.csv"
    _table().to_csv(data, index=False)
    runner = CliRunner()
    done = runner.invoke(app, ["fit", str(data), "-o", str(model), "--seed", "0", "-q"])
    assert done.exit_code == 0, done.output
    done = runner.invoke(
        app, ["sample", str(model), "-n", "200", "--where", "group=b", "-o", str(out), "-q"]
    )
    assert done.exit_code == 0, done.output
    scores = tmp_path / "scores.json"
    done = runner.invoke(app, ["evaluate", str(data), str(out), "--json", str(scores)])
    assert done.exit_code == 0, done.output
    assert "syn.csv says its rows were drawn for group=b" in done.output
    assert "compared with the real subgroup group=b (40 rows)" in done.output
    assert json.loads(scores.read_text())["subgroup"]["rows_real"] == 40
    # --where overrides the card; a column the table lacks is a one-line error
    capsys.readouterr()
    assert run(app, ["evaluate", str(data), str(out), "--where", "group=a", "-q"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: no row of the synthetic table has group=a")
    assert run(app, ["evaluate", str(data), str(out), "--where", "nope=1", "-q"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "nope" in error and len(error.splitlines()) == 1


def test_a_model_fitted_on_a_subgroup_is_evaluated_on_it(tmp_path: Path) -> None:
    data, model, out = tmp_path / "real.csv", tmp_path / "b.lookalike", tmp_path / "syn.csv"
    _table().to_csv(data, index=False)
    runner = CliRunner()
    fit = ["fit", str(data), "--where", "group=b", "-o", str(model), "--seed", "0", "-q"]
    assert runner.invoke(app, fit).exit_code == 0
    assert (
        runner.invoke(app, ["sample", str(model), "-n", "100", "-o", str(out), "-q"]).exit_code == 0
    )
    done = runner.invoke(app, ["evaluate", str(data), str(out)])
    assert done.exit_code == 0, done.output
    assert "compared with the real subgroup group=b (40 rows)" in done.output
