"""`evaluate` as a user meets it: contract keys, sensible scores, clear errors, the report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lookalike
from lookalike.errors import DataError
from lookalike.evaluation import evaluate
from lookalike.evaluation.results import CONTRACT_KEYS
from tests.conftest import make_mixed_table

HOLDOUT_KEYS = {"privacy.dcr_share", "privacy.mia_auc"}
TARGET_KEYS = {"ml_efficacy.tstr", "ml_efficacy.trtr"}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {
        "real": make_mixed_table(240, seed=1),
        "synthetic": make_mixed_table(200, seed=2),
        "holdout": make_mixed_table(80, seed=3),
    }


@pytest.fixture(scope="module")
def full_report(tables: dict[str, pd.DataFrame]) -> lookalike.evaluation.Report:
    return evaluate(tables["real"], tables["synthetic"], holdout=tables["holdout"], target="member")


def test_scores_hold_every_contract_key_with_a_holdout_and_a_target(full_report) -> None:
    scores = full_report.scores
    assert set(CONTRACT_KEYS) <= set(scores)
    assert list(scores)[: len(CONTRACT_KEYS)] == list(CONTRACT_KEYS)
    assert scores["rows.real"] == 240 and scores["rows.synthetic"] == 200
    for key in CONTRACT_KEYS[:-2]:
        assert 0.0 <= scores[key] <= 1.0, key


def test_data_from_the_same_process_scores_high_and_private(full_report) -> None:
    scores = full_report.scores
    assert scores["column_shapes"] > 0.85
    assert scores["detection_auc"] < 0.75
    assert 0.3 < scores["privacy.dcr_share"] < 0.7
    assert scores["privacy.exact_match_share"] == 0.0
    assert not any(note.startswith("warning:") for note in full_report.notes)


def test_without_holdout_or_target_those_scores_are_absent_and_the_report_says_why(tables) -> None:
    report = evaluate(tables["real"], tables["synthetic"])
    assert not (HOLDOUT_KEYS | TARGET_KEYS) & set(report.scores)
    assert "privacy.exact_match_share" in report.scores
    assert any("holdout" in note for note in report.notes)


def test_target_without_holdout_splits_the_real_rows_and_says_so(tables) -> None:
    report = evaluate(tables["real"], tables["synthetic"], target="age")
    assert set(report.scores) >= TARGET_KEYS
    assert report.info["task"] == "regression" and report.info["holdout"] == "split"
    assert any("No holdout given: utility" in note for note in report.notes)


def test_a_copy_of_the_training_rows_is_flagged_as_a_privacy_failure(tables) -> None:
    real = tables["real"]
    holdout = make_mixed_table(240, seed=4)  # as many rows as training: the DCR sees every copy
    report = evaluate(real, real.copy(), holdout=holdout)
    scores = report.scores
    assert scores["column_shapes"] == pytest.approx(1.0)
    assert scores["privacy.exact_match_share"] == pytest.approx(1.0)
    assert scores["privacy.dcr_share"] > 0.9
    assert scores["privacy.mia_auc"] > 0.9
    assert report.verdicts["privacy"]["verdict"] == "poor"
    assert any(n.startswith("warning: 100.0% of the synthetic rows") for n in report.notes)


def test_independent_columns_lose_pair_trends_but_keep_shapes(tables) -> None:
    real = tables["real"]
    rng = np.random.default_rng(0)
    shuffled = real.apply(lambda column: rng.permutation(column.to_numpy()))
    scores = evaluate(real, shuffled).scores
    assert scores["column_shapes"] == pytest.approx(1.0)
    assert scores["column_pair_trends"] < 0.9
    assert scores["detection_auc"] > 0.6


def test_same_seed_same_scores_and_inputs_are_not_changed(tables) -> None:
    before = tables["real"].copy()
    first = evaluate(tables["real"], tables["synthetic"], target="city", random_state=3)
    second = evaluate(tables["real"], tables["synthetic"], target="city", random_state=3)
    assert first.scores == second.scores
    assert first.info["task"] == "multiclass"
    pd.testing.assert_frame_equal(tables["real"], before)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda t: {**t, "synthetic": t["synthetic"].drop(columns="city")}, ["columns", "city"]),
        (lambda t: {**t, "synthetic": t["synthetic"].iloc[:0]}, ["synthetic", "no rows"]),
        (lambda t: {**t, "holdout": t["holdout"].rename(columns={"age": "AGE"})}, ["holdout"]),
        (
            lambda t: {**t, "synthetic": t["synthetic"].assign(age="old")},
            ["synthetic", "age", "non-numeric"],
        ),
        (lambda t: {**t, "target": "nope"}, ["target", "nope"]),
        (lambda t: {**t, "real": t["real"].assign(flag="x"), "target": "flag"}, ["constant"]),
    ],
)
def test_bad_input_raises_a_clear_data_error(tables, change, words) -> None:
    args = change({**tables, "target": None})
    if "flag" in args["real"].columns:
        args["synthetic"] = args["synthetic"].assign(flag="x")
        args["holdout"] = args["holdout"].assign(flag="x")
    with pytest.raises(DataError) as raised:
        evaluate(args["real"], args["synthetic"], holdout=args["holdout"], target=args["target"])
    message = str(raised.value).lower()
    for word in words:
        assert word.lower() in message


def test_json_is_the_flat_scores(full_report, tmp_path: Path) -> None:
    path = tmp_path / "scores.json"
    text = full_report.to_json(path)
    assert json.loads(path.read_text()) == json.loads(text) == full_report.scores


def test_html_report_is_self_contained_and_has_every_section(full_report, tmp_path) -> None:
    path = tmp_path / "report.html"
    page = full_report.to_html(path)
    assert path.read_text(encoding="utf-8") == page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<script" not in page
    assert page.count("<svg") >= 2 * 6  # distribution and cumulative chart per column
    assert page.count("data:image/png;base64,") >= 4  # heatmaps, projections, distances, utility
    for words in ("Summary", "Distributions", "Cumulative", "PCA", "t-SNE", "Statistics side"):
        assert words in page
    for verdict in full_report.verdicts.values():
        assert verdict["verdict"] in page
    assert "good ≥ 0.9" in page  # thresholds are shown


def test_notebook_display_is_the_summary(full_report) -> None:
    snippet = full_report._repr_html_()
    assert "Quality" in snippet and "<html" not in snippet


def test_evaluate_is_exported_lazily() -> None:
    assert "evaluate" in lookalike.__all__
    assert lookalike.evaluate is evaluate
