"""What a reviewer reads in the report: the header (what, from what, how), the charts, the words."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lookalike
from lookalike.io.provenance import file_sha256, frame_sha256
from lookalike.models import get_model
from lookalike.persistence import load, save
from lookalike.report.columns import Series, draw_column
from tests.conftest import make_mixed_table


@pytest.fixture(scope="module")
def fitted() -> lookalike.Model:
    return get_model("copula", random_state=4).fit(make_mixed_table(150, seed=1))


@pytest.fixture(scope="module")
def report(fitted: lookalike.Model) -> lookalike.evaluation.Report:
    real = make_mixed_table(150, seed=1)
    return lookalike.evaluate(real, fitted.sample(150, random_state=5), model=fitted)


@pytest.fixture(scope="module")
def page(report: lookalike.evaluation.Report) -> str:
    return report.to_html()


def test_header_names_source_model_seed_version_date_and_fit_time(report, page) -> None:
    real = make_mixed_table(150, seed=1)
    facts = report.info["provenance"]
    assert facts["real"]["sha256"] == frame_sha256(real)
    assert facts["real"]["rows"] == 150 and facts["real"]["columns"] == real.shape[1]
    model = facts["model"]
    assert model["name"] == "copula" and model["seed"] == 4
    assert model["fit"]["seconds"] >= 0 and model["fit"]["fitted_at"].endswith("Z")
    assert model["fit"]["training"]["sha256"] == frame_sha256(real)  # fitted on these rows
    header = page[page.index('id="provenance"') : page.index('id="summary"')]
    for text in (
        "Source (real)",
        "150 rows × 7 columns",
        frame_sha256(real)[:16],
        "copula",
        "seed 4",
        "fit time",
        "quantiles=1000",
        f"lookalike {lookalike.__version__}",
        facts["evaluated_at"],
    ):
        assert text in header, text


def test_the_fingerprint_is_never_data(report) -> None:
    text = json.dumps(report.info["provenance"])
    real = make_mixed_table(150, seed=1)
    for value in ("Paris", "Lyon", "Lille", str(real["income"].iloc[0]), "2020-01"):
        assert value not in text  # no value of the table, only counts and hashes


def test_a_model_file_carries_its_fit_facts_and_the_report_reads_them(fitted, tmp_path) -> None:
    path = tmp_path / "m.lookalike"
    save(fitted, path)
    loaded = load(path)
    assert loaded.fit_info_["training"] == fitted.fit_info_["training"]
    assert "seconds" not in loaded.fit_info_  # times only when asked: same seed, same bytes
    save(fitted, tmp_path / "timed.lookalike", times=True)
    assert load(tmp_path / "timed.lookalike").fit_info_["seconds"] == fitted.fit_info_["seconds"]
    real = make_mixed_table(150, seed=1)
    again = lookalike.evaluate(real, loaded.sample(100, random_state=1), model=str(path))
    model = again.info["provenance"]["model"]
    assert model["file"] == "m.lookalike" and model["file_sha256"] == file_sha256(path)
    assert model["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_chart_is_present(report, page) -> None:
    figures = report.extras["figures"]
    for name in ("score_bars", "statistics", "mean_std", "pairs", "heatmaps", "projections"):
        assert figures.get(name), name
        assert figures[name] in page
    assert len(figures["columns"]) == len(report.info["columns"])
    for words in ("Statistic differences", "Most related pairs", "Mean and standard deviation"):
        assert words in page
    assert "<script" not in page and "<svg" not in page


def test_the_privacy_verdict_says_what_it_does_not_guarantee(page) -> None:
    assert "empirical checks" in page
    assert "only `bayesnet -p epsilon=...` gives a differential-privacy bound" in page


def test_a_model_file_holding_training_values_is_flagged(page) -> None:
    assert "model file holds real training values" in page  # copula keeps a quantile grid


def test_loss_curves_appear_when_the_model_records_losses(report) -> None:
    from lookalike.report import overview
    from lookalike.report.canvas import png
    from lookalike.report.html import render_html

    model = {"name": "tvae", "loss": [{"loss": 3.0 / (i + 1), "kl": 0.1} for i in range(8)]}
    made = overview.loss_curves([("tvae", model)])
    assert made is not None and len(made.axes[0].lines) == 2  # one curve per recorded loss
    assert overview.loss_curves([("copula", {"name": "copula"})]) is None  # none recorded
    page = render_html(report, {**report.extras["figures"], "loss": png(made)})
    assert 'id="training"' in page


def _numbers(values: np.ndarray, label: str = "real") -> Series:
    return Series(
        label, "#1f77b4", values=values.astype(float), missing=float(np.isnan(values).mean())
    )


def test_chart_shapes_follow_what_the_column_holds() -> None:
    rng = np.random.default_rng(0)
    gains = np.where(rng.random(500) < 0.9, 0.0, rng.lognormal(8, 1, 500))
    kinds = {
        "zero-heavy": [gains, np.where(rng.random(500) < 0.9, 0.0, rng.lognormal(8, 1, 500))],
        "two-valued": [rng.integers(0, 2, 500), rng.integers(0, 2, 500)],
        "numbers": [rng.normal(size=500), rng.normal(size=500)],
    }
    for kind, (real, synthetic) in kinds.items():
        chart = draw_column("x", [_numbers(real), _numbers(synthetic, "synthetic")])
        assert chart.kind == kind and chart.png, kind
    constant = draw_column("c", [_numbers(np.ones(50)), _numbers(np.ones(40), "synthetic")])
    assert constant.kind == "constant" and constant.png is None
    assert "one value only" in constant.note and "1.000" in constant.note


@pytest.mark.slow
def test_a_constant_column_gets_a_sentence_not_an_empty_plot() -> None:
    real = make_mixed_table(120, seed=2).assign(flag="same")
    synthetic = make_mixed_table(120, seed=3).assign(flag="same")
    report = lookalike.evaluate(real, synthetic)
    page = report.to_html()
    charts = {c.column: c for c in report.extras["figures"]["columns"]}
    if "flag" in charts:  # evaluated: a sentence instead of an empty chart
        assert charts["flag"].png is None and "one value only" in page
    else:  # or left out of the evaluation with a note saying why
        assert "flag" in report.info["skipped"]


def test_sixty_columns_keep_one_label_per_row(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    real = pd.DataFrame(rng.normal(size=(200, 60)), columns=[f"feature_{i:02d}" for i in range(60)])
    synthetic = real + rng.normal(0, 0.3, size=real.shape)
    from lookalike.report import overview

    report = lookalike.evaluate(real, synthetic)
    bars = overview.score_bars([("synthetic", report.tables["columns"])])
    heat = overview.statistic_differences(report.tables["statistics"], report.tables["columns"])
    for made in (bars, heat):
        ax = made.axes[0]
        assert len(ax.get_yticklabels()) == 60
        # at least 14 px per label at the report's resolution: labels do not overlap
        assert made.get_size_inches()[1] * made.dpi / 60 >= 14


@pytest.mark.slow
def test_a_neural_models_loss_history_becomes_curves_in_the_report() -> None:
    real = make_mixed_table(120, seed=2)
    model = get_model("tvae", epochs=3, random_state=0).fit(real)
    report = lookalike.evaluate(real, model.sample(120), model=model)
    assert len(report.info["provenance"]["model"]["loss"]) == 3
    report.to_html()
    assert report.extras["figures"].get("loss")
