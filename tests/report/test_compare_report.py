"""Several generators in one report: library, CLI, bench --report; one SYNTH stays as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lookalike
from lookalike.cli import app
from lookalike.evaluation.compare import Comparison
from lookalike.evaluation.results import Report
from tests.conftest import make_mixed_table

runner = CliRunner()


@pytest.fixture(scope="module")
def tables() -> dict[str, object]:
    real = make_mixed_table(160, seed=1)
    return {
        "real": real,
        "close": make_mixed_table(160, seed=2),
        "copy": real.copy(),
    }


@pytest.fixture(scope="module")
def comparison(tables) -> Comparison:
    return lookalike.evaluate(
        tables["real"], [tables["close"], tables["copy"]], labels=["fresh", "copy"]
    )


def test_a_list_of_synthetic_tables_gives_one_report_each(comparison) -> None:
    assert comparison.labels == ["fresh", "copy"]
    assert all(isinstance(r, Report) for r in comparison.reports)
    # a copy of the real rows is caught by the exact-match check, a fresh sample is not
    assert comparison.scores["copy"]["privacy.exact_match_share"] == 1.0
    assert comparison.scores["fresh"]["privacy.exact_match_share"] < 0.1


def test_the_page_has_scores_side_by_side_a_verdict_row_each_and_overlaid_charts(
    comparison,
) -> None:
    page = comparison.to_html()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    table = page[page.index('id="scores-table"') :]
    assert "<th>fresh</th><th>copy</th>" in table
    verdicts = page[page.index('id="verdicts"') : page.index('id="scores"')]
    assert verdicts.count("<tr><td><b>") == 2
    assert comparison.reports[1].verdicts["privacy"]["verdict"] == "poor"
    figures = comparison.extras["figures"]
    assert len(figures["columns"]) == len(comparison.reports[0].info["columns"])
    assert figures["score_bars"] in page
    assert 'class="best"' in page


def test_a_notebook_shows_the_comparison_with_its_plots(comparison) -> None:
    snippet = comparison._repr_html_()
    assert "<html" not in snippet and "data:image/png;base64," in snippet
    assert "fresh" in snippet and "copy" in snippet


def test_the_comparison_json_holds_each_generators_scores(comparison, tmp_path: Path) -> None:
    data = json.loads(comparison.to_json(tmp_path / "scores.json"))
    assert set(data) == {"fresh", "copy"}
    assert data["copy"]["quality"] == comparison.scores["copy"]["quality"]
    assert "provenance" in data["fresh"]


def test_one_synthetic_table_still_gives_a_report(tables) -> None:
    report = lookalike.evaluate(tables["real"], tables["close"])
    assert isinstance(report, Report)


def test_labels_must_match_the_tables(tables) -> None:
    with pytest.raises(lookalike.LookalikeError, match="one label per synthetic table"):
        lookalike.evaluate(tables["real"], [tables["close"]], labels=["a", "b"])


def test_cli_compares_generators_with_labels(tables, tmp_path: Path) -> None:
    paths = {}
    for name in ("real", "close", "copy"):
        paths[name] = tmp_path / f"{name}.csv"
        tables[name].to_csv(paths[name], index=False)
    out = tmp_path / "cmp.html"
    result = runner.invoke(
        app,
        [
            "evaluate",
            str(paths["real"]),
            str(paths["close"]),
            str(paths["copy"]),
            "--labels",
            "fresh,copy",
            "--report",
            str(out),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "fresh" in result.stdout and "copy" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert "real.csv" in page and "close.csv" in page  # header names the files
    bad = runner.invoke(
        app, ["evaluate", str(paths["real"]), str(paths["close"]), "--labels", "a,b", "-q"]
    )
    assert isinstance(bad.exception, lookalike.LookalikeError)  # main() prints one error line
    assert "one label per synthetic table" in str(bad.exception)


@pytest.mark.slow
def test_bench_writes_one_comparison_report(tmp_path: Path) -> None:
    path = tmp_path / "real.csv"
    make_mixed_table(200, seed=3).to_csv(path, index=False)
    out = tmp_path / "bench.html"
    result = runner.invoke(
        app,
        [
            "bench",
            str(path),
            "--target",
            "member",
            "--models",
            "copula,noise",
            "--report",
            str(out),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<th>copula</th>" in page and "<th>noise</th>" in page
    ranking = page[page.index('id="ranking-table"') : page.index('id="verdicts"')]
    lines = result.stdout.splitlines()
    board = [line for line in lines if line.split()[:1] in (["copula"], ["noise"])]
    first = board[0].split()[0]  # the printed leaderboard's winner leads the page's ranking too
    assert ranking.index(f"<b>{first}</b>") < ranking.index(
        f"<b>{'noise' if first == 'copula' else 'copula'}</b>"
    )
    assert "score = fidelity" in page
