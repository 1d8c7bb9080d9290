"""`lookalike bench`: a leaderboard of models fitted and scored on the user's own table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lookalike.bench import run_bench, split_holdout
from lookalike.cli import app
from lookalike.errors import DataError, UnknownModelError
from tests.conftest import make_mixed_table


def test_the_holdout_keeps_each_class_share() -> None:
    table = pd.DataFrame({"x": range(100), "y": ["a"] * 80 + ["b"] * 20})
    train, holdout = split_holdout(table, "y", 0)
    assert len(train) + len(holdout) == 100 and len(holdout) == 20
    assert (holdout["y"] == "b").sum() == 4
    assert not set(train["x"]) & set(holdout["x"])


def test_bench_ranks_every_model_on_the_same_scores(tmp_path: Path) -> None:
    table = make_mixed_table(120)
    path = tmp_path / "table.csv"
    table.to_csv(path, index=False)
    result = CliRunner().invoke(
        app, ["bench", str(path), "--target", "member", "--models", "cart,copula", "-q"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["model", "fit", "s"]
    assert {lines[1].split()[0], lines[2].split()[0]} == {"cart", "copula"}
    assert "failed" not in result.output


def test_bench_refuses_unknown_models_and_targets() -> None:
    table = make_mixed_table(60)
    with pytest.raises(UnknownModelError):
        run_bench(table, "member", ["no-such-model"])
    with pytest.raises(DataError, match="target"):
        run_bench(table, "nope", ["cart"])
