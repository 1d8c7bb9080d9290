"""The command line on a folder of linked tables, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pandas as pd
import pytest

from lookalike.errors import ConditionError, DataError
from lookalike.linked import Schema
from lookalike.linked.io import write_tables
from tests.linked.tables import players_seasons


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lookalike.cli", *args], capture_output=True, text=True, timeout=300
    )


def _cli(*args: str) -> Any:
    """The CLI in this process (no interpreter start-up): exit code, stdout, stderr."""
    from typer.testing import CliRunner

    from lookalike.cli import app

    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_inspect_fit_sample_evaluate(tmp_path) -> None:
    tables = players_seasons(n=160, orphans=0.05)
    data = tmp_path / "data"
    write_tables(tables, data, Schema.detect(tables))
    (data / "spec.json").write_text('{"not": "a table"}')

    shown = _cli("inspect", str(data), "-o", str(tmp_path / "schema.json"))
    assert shown.exit_code == 0, shown.output
    assert "player_id -> players.id" in shown.stdout
    assert "orphan" in shown.stdout and "ordered by: year" in shown.stdout
    schema = json.loads((tmp_path / "schema.json").read_text())
    assert schema["tables"]["seasons"]["foreign_keys"][0]["parent"] == "players"

    model = tmp_path / "m.lookalike"
    fitted = _cli(
        "fit",
        str(data),
        "-o",
        str(model),
        "--schema",
        str(tmp_path / "schema.json"),
        "--seed",
        "0",
        "--quiet",
    )
    assert fitted.exit_code == 0, fitted.output
    out = tmp_path / "synthetic"
    sampled = _cli("sample", str(model), "--scale", "0.5", "-o", str(out), "--seed", "1")
    assert sampled.exit_code == 0, sampled.output
    players = pd.read_csv(out / "players.csv")
    seasons = pd.read_csv(out / "seasons.csv")
    assert len(players) == 80
    assert seasons["player_id"].isin(set(players["id"])).mean() > 0.9

    with pytest.raises(DataError, match="--scale"):
        _cli("sample", str(model), "-n", "5", "-o", str(tmp_path / "x"))
    db = tmp_path / "synthetic.db"
    assert (
        _cli(
            "sample",
            str(model),
            "--scale",
            "0.5",
            "-o",
            f"sqlite:///{db}",
            "--seed",
            "1",
            "--quiet",
        ).exit_code
        == 0
    )

    scores = tmp_path / "scores.json"
    report = tmp_path / "report.html"
    evaluated = _cli(
        "evaluate", str(data), str(out), "--json", str(scores), "--report", str(report), "--quiet"
    )
    assert evaluated.exit_code == 0, evaluated.output
    found = json.loads(scores.read_text())
    link = "seasons.player_id->players"
    assert found[f"{link}.cardinality_ks"] > 0.8
    assert 0.85 < found[f"{link}.integrity"] <= 1.0
    assert found["players.quality"] > 0.7 and f"{link}.parent_child_trends" in found
    assert "<svg" in report.read_text() and "Children per parent" in report.read_text()


def test_bad_input_is_one_error_line(tmp_path) -> None:
    (tmp_path / "empty").mkdir()
    done = _run("fit", str(tmp_path / "empty"), "-o", str(tmp_path / "m.lookalike"))
    assert done.returncode == 2 and done.stderr.startswith("error:")
    assert "Traceback" not in done.stderr and not (tmp_path / "m.lookalike").exists()
    (tmp_path / "bad.json").write_text("{nope")
    tables = players_seasons(n=40)
    write_tables(tables, tmp_path / "data", Schema.detect(tables))
    done = _run(
        "fit",
        str(tmp_path / "data"),
        "-o",
        str(tmp_path / "m.lookalike"),
        "--schema",
        str(tmp_path / "bad.json"),
    )
    assert done.returncode == 2 and "schema" in done.stderr


def test_where_on_a_child_table_is_one_clear_error(tmp_path) -> None:
    tables = players_seasons(n=40)
    write_tables(tables, tmp_path / "data", Schema.detect(tables))
    model = tmp_path / "m.lookalike"
    assert _cli("fit", str(tmp_path / "data"), "-o", str(model), "--quiet").exit_code == 0
    out = tmp_path / "out"
    with pytest.raises(ConditionError, match=r"^--where seasons.hr: conditions on a child") as e:
        _cli("sample", str(model), "--scale", "1", "-o", str(out), "--where", "seasons.hr=3")
    assert "Condition on 'players' instead" in str(e.value) and "\n" not in str(e.value)
    assert not out.exists()  # checked before anything is written
