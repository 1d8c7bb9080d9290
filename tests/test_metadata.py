from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.pandas import column, data_frames, range_indexes

from lookalike import Metadata
from lookalike.errors import DataError, MetadataError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
DATA = Path(__file__).resolve().parents[1] / "src" / "lookalike" / "data"


def kinds(frame: pd.DataFrame) -> dict[str, str]:
    return {name: c.kind for name, c in Metadata.detect(frame).columns.items()}


def test_mixed_table_kinds_are_detected(mixed_table: pd.DataFrame) -> None:
    meta = Metadata.detect(mixed_table)
    assert kinds(mixed_table) == {
        "customer_id": "id",
        "age": "numerical",
        "income": "numerical",
        "city": "categorical",
        "member": "boolean",
        "joined": "datetime",
        "score": "numerical",
    }
    assert meta.columns["joined"].format == "%Y-%m-%d"
    assert meta.columns["age"].integer is True
    assert meta.columns["income"].decimals == 2
    assert 0.1 < meta.columns["score"].missing_share < 0.3


def test_diabetes_columns_are_numbers_and_a_boolean_outcome() -> None:
    found = kinds(pd.read_csv(DATA / "diabetes.csv"))
    assert found.pop("Outcome") == "boolean"
    assert set(found.values()) == {"numerical"}


@pytest.mark.skipif(not SHARED.exists(), reason="shared datasets not beside the repo")
def test_adult_has_six_numbers_and_nine_categories() -> None:
    found = kinds(pd.read_csv(SHARED / "adult.csv"))
    numbers = {n for n, k in found.items() if k == "numerical"}
    assert numbers == {
        "age",
        "fnlwgt",
        "education-num",
        "capital-gain",
        "capital-loss",
        "hours-per-week",
    }
    assert {k for n, k in found.items() if n not in numbers} == {"categorical"}


@pytest.mark.skipif(not SHARED.exists(), reason="shared datasets not beside the repo")
def test_titanic_ids_and_personal_text_are_recognised() -> None:
    found = kinds(pd.read_csv(SHARED / "titanic.csv"))
    assert found["PassengerId"] == "id"
    assert found["Name"] == "pii"
    assert found["Ticket"] == "pii" and found["Cabin"] == "pii"
    assert found["Sex"] == "categorical" and found["Embarked"] == "categorical"
    assert found["Survived"] == "boolean"
    assert found["Age"] == "numerical" and found["Fare"] == "numerical"


@pytest.mark.skipif(not SHARED.exists(), reason="shared datasets not beside the repo")
def test_creditcard_is_all_numbers_with_a_boolean_class() -> None:
    found = kinds(pd.read_csv(SHARED / "creditcard.csv"))
    assert found.pop("Class") == "boolean"
    assert set(found.values()) == {"numerical"}


def test_all_null_and_constant_columns_are_constant() -> None:
    frame = pd.DataFrame({"x": [1, 2, 3], "empty": [None, None, None], "same": ["a"] * 3})
    found = kinds(frame)
    assert found["empty"] == "constant" and found["same"] == "constant"


def test_metadata_round_trips_through_json(mixed_table: pd.DataFrame, tmp_path: Path) -> None:
    meta = Metadata.detect(mixed_table)
    meta.to_json(tmp_path / "m.json")
    assert Metadata.from_json(tmp_path / "m.json") == meta


@settings(max_examples=30, deadline=None)
@given(
    data_frames(
        [column("x", dtype=float), column("c", elements=st.sampled_from("abc"))],
        index=range_indexes(min_size=1, max_size=30),
    )
)
def test_any_detected_metadata_survives_a_dict_round_trip(frame: pd.DataFrame) -> None:
    frame = frame.replace([np.inf, -np.inf], np.nan)
    meta = Metadata.detect(frame)
    assert Metadata.from_dict(meta.to_dict()) == meta


def test_validation_lists_every_problem(mixed_table: pd.DataFrame) -> None:
    meta = Metadata.detect(mixed_table)
    broken = mixed_table.drop(columns=["age"]).assign(extra=1)
    with pytest.raises(MetadataError) as caught:
        meta.validate(broken)
    assert len(caught.value.problems) == 2
    assert "'age'" in str(caught.value) and "'extra'" in str(caught.value)


def test_unknown_kind_and_unknown_field_are_rejected() -> None:
    with pytest.raises(MetadataError, match="kind"):
        Metadata.from_dict({"columns": {"x": {"kind": "number"}}}).validate(
            pd.DataFrame({"x": [1, 2]})
        )
    with pytest.raises(MetadataError, match="unknown field"):
        Metadata.from_dict({"columns": {"x": {"kind": "numerical", "colour": "red"}}})


def test_infinite_values_are_reported() -> None:
    frame = pd.DataFrame({"x": [1.0, np.inf, 3.0, 4.0]})
    meta = Metadata.from_dict({"columns": {"x": {"kind": "numerical"}}})
    with pytest.raises(MetadataError, match="infinite"):
        meta.validate(frame)


def test_empty_table_is_refused() -> None:
    with pytest.raises(DataError, match="no rows"):
        Metadata.detect(pd.DataFrame({"x": []}))


# ---------------------------------------------------------------------- dates with junk cells
def _dates_with_junk(junk: list[str], n: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1500, n), unit="D")
    when = pd.Series(days.strftime("%d/%m/%Y"), dtype=object)
    when.iloc[rng.choice(n, size=len(junk), replace=False)] = junk
    return pd.DataFrame({"visited": when, "weight": rng.normal(70, 8, n).round(1)})


def test_a_date_column_with_a_few_junk_cells_stays_dates_and_the_junk_is_missing() -> None:
    table = _dates_with_junk(["n/a?", "unknown"])  # 2 of 200 cells: 99 % parse
    column = Metadata.detect(table).columns["visited"]
    assert (column.kind, column.format) == ("datetime", "%d/%m/%Y")
    assert column.missing_share == pytest.approx(0.01)
    from lookalike.models import get_model

    model = get_model("copula", random_state=0).fit(table)  # validation accepts the junk cells
    sample = model.sample(400, random_state=1)["visited"]
    present = sample.dropna()
    assert not present.isin(["n/a?", "unknown"]).any()  # junk is missing, never reproduced
    assert pd.to_datetime(present, format="%d/%m/%Y", errors="coerce").notna().all()
    assert 0 < sample.isna().sum() < 40


def test_a_column_with_more_junk_than_the_threshold_is_not_dates() -> None:
    table = _dates_with_junk(["n/a?", "unknown", "later", "?", "none", "tbd"] * 2)  # 6 % junk
    assert Metadata.detect(table).columns["visited"].kind != "datetime"
    meta = Metadata.detect(_dates_with_junk([]))
    with pytest.raises(MetadataError, match="does not match its datetime format"):
        meta.validate(table)  # the same share of junk in data checked against a date column
