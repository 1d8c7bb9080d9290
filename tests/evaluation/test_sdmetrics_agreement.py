"""Quality, column shapes and pair trends agree with SDMetrics' QualityReport within 0.01."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike.evaluation import evaluate
from lookalike.metadata import Metadata
from tests.conftest import make_mixed_table

pytest.importorskip("sdmetrics")

DATASETS = Path("/work/shared/datasets")
SDTYPES = {
    "numerical": "numerical",
    "categorical": "categorical",
    "boolean": "boolean",
    "constant": "categorical",
    "id": "id",
    "pii": "pii",
}


def sdv_metadata(metadata: Metadata) -> dict:
    """SDV single-table metadata with the sdtypes our detection chose."""
    columns = {}
    for name, column in metadata.columns.items():
        if column.kind == "datetime":
            columns[name] = {"sdtype": "datetime", "datetime_format": column.format}
        else:
            columns[name] = {"sdtype": SDTYPES[column.kind]}
    return {"columns": columns}


def sdmetrics_scores(real: pd.DataFrame, synthetic: pd.DataFrame, metadata: Metadata) -> dict:
    from sdmetrics.reports.single_table import QualityReport

    report = QualityReport()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.generate(real, synthetic, sdv_metadata(metadata), verbose=False)
    properties = report.get_properties().set_index("Property")["Score"]
    return {
        "quality": report.get_score(),
        "column_shapes": properties["Column Shapes"],
        "column_pair_trends": properties["Column Pair Trends"],
    }


def assert_agree(real: pd.DataFrame, synthetic: pd.DataFrame) -> None:
    metadata = Metadata.detect(real)
    ours = evaluate(real, synthetic, metadata=metadata).scores
    theirs = sdmetrics_scores(real, synthetic, metadata)
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, abs=0.01), (key, ours[key], value)


def degrade(table: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Other rows with one column shuffled and some cells blanked: a stand-in for synthetic data."""
    rng = np.random.default_rng(seed)
    out = table.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    column = out.columns[1]
    out[column] = rng.permutation(out[column].to_numpy())
    blank = rng.random(len(out)) < 0.05
    out.loc[blank, out.columns[0]] = np.nan
    return out


def test_mixed_table_with_dates_booleans_and_nulls_matches_sdmetrics() -> None:
    assert_agree(make_mixed_table(300, seed=1), degrade(make_mixed_table(300, seed=2), 3))


@pytest.mark.skipif(not DATASETS.exists(), reason="shared datasets not available")
def test_diabetes_matches_sdmetrics() -> None:
    real = pd.read_csv(DATASETS / "diabetes.csv")
    assert_agree(real.iloc[:500], degrade(real.iloc[500:].reset_index(drop=True), 0))


@pytest.mark.skipif(not DATASETS.exists(), reason="shared datasets not available")
def test_adult_subsample_matches_sdmetrics() -> None:
    adult = pd.read_csv(DATASETS / "adult.csv")
    real = adult.iloc[:3000].reset_index(drop=True)
    synthetic = degrade(adult.iloc[3000:6000].reset_index(drop=True), 1)
    assert_agree(real, synthetic)
