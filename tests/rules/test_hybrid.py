"""Hybrid specs: a learned: block (a fitted model) and rule columns in one table."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import lookalike
from lookalike.demo import demo_table
from lookalike.errors import ConditionError, ModelFileError, SpecError
from lookalike.pii import fakes
from lookalike.rules import generate as rules_generate
from lookalike.rules.hybrid import generate
from tests.rules.conftest import run_cli


def write_spec(folder: Path, spec: dict) -> Path:
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def ages_spec(**learned: object) -> dict:
    return {
        "learned": {"model": "patients.lookalike", **learned},
        "columns": {"Age": {"kind": "uniform", "low": 21, "high": 81, "round": 0}},
    }


def test_every_row_comes_for_rule_ages_across_21_to_81(diabetes_model: Path) -> None:
    # exact conditions on each age fail: the model never saw ages 71-80
    model = lookalike.load(diabetes_model)
    ages = pd.DataFrame({"Age": np.arange(71, 81)})
    with pytest.raises(ConditionError):
        model.sample(len(ages), conditions=ages, random_state=0)
    spec = write_spec(diabetes_model.parent, ages_spec())
    table = generate(spec, 900, random_state=1)
    assert len(table) == 900
    assert table.notna().all().all()
    assert set(range(21, 82)) <= set(table["Age"])  # every age, 71-80 included
    assert list(table.columns) == list(demo_table().columns)  # the model's columns, in order


def test_learned_columns_follow_the_rule_ages(diabetes_model: Path) -> None:
    real = demo_table()
    spec = write_spec(diabetes_model.parent, ages_spec(columns=["Pregnancies", "Glucose"]))
    table = generate(spec, 1500, random_state=2)
    assert list(table.columns) == ["Pregnancies", "Glucose", "Age"]
    bands = [20, 25, 30, 40, 50, 60]  # bands with 50 or more real rows
    synthetic = table.groupby(pd.cut(table.Age, bands), observed=True)
    by_band = real.groupby(pd.cut(real.Age, bands), observed=True)
    # each band of rule ages gets the pregnancies and glucose of real patients of that age
    gap = (synthetic.Pregnancies.mean() - by_band.Pregnancies.mean()).abs()
    assert gap.max() < 1.0, gap
    assert (synthetic.Glucose.mean() - by_band.Glucose.mean()).abs().max() < 8
    assert synthetic.Pregnancies.mean().iloc[0] < 2 < 6 < synthetic.Pregnancies.mean().iloc[3]


def test_rule_category_conditions_the_model_and_rules_use_learned_columns(
    diabetes_model: Path,
) -> None:
    spec = {
        "learned": {"model": "patients.lookalike", "columns": ["Glucose", "BMI"]},
        "columns": {
            "Outcome": {"kind": "categorical", "values": {1: 0.5, 0: 0.5}},
            "risk": {"kind": "computed", "expr": "Glucose / 10 + BMI / 5", "round": 2},
            "plan": {
                "kind": "categorical",
                "values": {"basic": 0.8, "care": 0.2},
                "by": "Outcome",
                "cases": {1: {"values": {"care": 0.9, "basic": 0.1}}},
            },
        },
    }
    table = generate(spec, 1200, random_state=3, folder=diabetes_model.parent)
    assert list(table.columns) == ["Glucose", "BMI", "Outcome", "risk", "plan"]
    assert np.allclose(table.risk, (table.Glucose / 10 + table.BMI / 5).round(2))
    sick, well = table[table.Outcome == 1], table[table.Outcome == 0]
    assert sick.Glucose.mean() - well.Glucose.mean() > 20  # real: 141 vs 110
    assert (sick.plan == "care").mean() > 0.8 and (well.plan == "care").mean() < 0.3


def test_by_cases_on_a_learned_category_need_no_default(diabetes_model: Path) -> None:
    spec = {
        "learned": {"model": "patients.lookalike", "columns": ["Outcome"]},
        "columns": {
            "followup": {
                "kind": "constant",
                "by": "Outcome",
                "cases": {0: {"value": "none"}, 1: {"value": "yearly"}},
            }
        },
    }
    table = generate(spec, 300, random_state=4, folder=diabetes_model.parent)
    assert (table.followup == table.Outcome.map({0: "none", 1: "yearly"})).all()
    spec["columns"]["followup"]["cases"] = {0: {"value": "none"}}
    with pytest.raises(SpecError, match="no parameters for Outcome='1'"):
        generate(spec, 10, folder=diabetes_model.parent)


def test_given_names_the_columns_conditioned_on(diabetes_model: Path) -> None:
    spec = ages_spec(columns=["Pregnancies"], given=["Age"])
    spec["columns"]["Outcome"] = {"kind": "constant", "value": 1}  # replaces, not a condition
    table = generate(spec, 400, random_state=5, folder=diabetes_model.parent)
    assert list(table.columns) == ["Pregnancies", "Age", "Outcome"]
    assert (table.Outcome == 1).all()
    spec["learned"]["given"] = ["Outcome", "Insulin"]
    with pytest.raises(SpecError, match="given column 'Insulin' is not a rule column"):
        generate(spec, 10, folder=diabetes_model.parent)


def test_same_seed_same_rows(diabetes_model: Path) -> None:
    spec = write_spec(diabetes_model.parent, ages_spec(columns=["BMI", "Glucose"]))
    first = generate(spec, 300, random_state=7)
    pd.testing.assert_frame_equal(first, generate(spec, 300, random_state=7))
    assert not first.equals(generate(spec, 300, random_state=8))


def test_the_model_path_is_relative_to_the_spec_file(
    diabetes_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    shutil.copy(diabetes_model, folder / "patients.lookalike")
    spec = write_spec(folder, ages_spec(columns=["BMI"]))
    monkeypatch.chdir(tmp_path)
    assert len(lookalike.generate(str(spec), 20, random_state=0)) == 20  # the package root


def test_the_rules_layer_alone_says_where_to_go(diabetes_model: Path) -> None:
    with pytest.raises(SpecError, match=r"lookalike\.generate"):
        rules_generate(ages_spec(), 5)


def test_model_problems_are_errors(diabetes_model: Path, tmp_path: Path) -> None:
    spec = ages_spec()
    with pytest.raises(ModelFileError, match="does not exist"):
        generate(spec, 5, folder=tmp_path)
    tampered = tmp_path / "patients.lookalike"
    with zipfile.ZipFile(diabetes_model) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".json"):
                data = data.replace(b'"Age"', b'"Agf"', 1)
            target.writestr(info, data)
    with pytest.raises(ModelFileError, match="changed after it was written"):
        generate(spec, 5, folder=tmp_path)
    with pytest.raises(SpecError, match="the model has no column 'Weight'"):
        generate(ages_spec(columns=["Weight"]), 5, folder=diabetes_model.parent)
    with pytest.raises(SpecError, match="unknown setting"):
        generate({"learned": {"model": "x", "colums": []}, "columns": {}}, 5)


def test_a_cycle_through_the_model_is_an_error(diabetes_model: Path) -> None:
    spec = ages_spec()
    spec["columns"]["Age"] = {"kind": "normal", "mean": "Glucose / 3", "sd": 5}
    with pytest.raises(SpecError, match=r"Age -> learned \(.*\) -> Age .* cycle"):
        generate(spec, 5, folder=diabetes_model.parent)


def test_cli_errors_are_one_line(diabetes_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = diabetes_model.parent
    spec = ages_spec(columns=["Glucose", "Weight"])
    path = write_spec(folder, spec)
    out = folder / "out.csv"
    code, _, err = run_cli(capsys, "generate", str(path), "-n", "5", "-o", str(out))
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: ")
    assert "Weight" in err and not out.exists()
    path.write_text(yaml.safe_dump(ages_spec(columns=["Glucose"])), encoding="utf-8")
    code, _, err = run_cli(capsys, "generate", str(path), "-n", "40", "-o", str(out))
    assert code == 0, err
    assert list(pd.read_csv(out).columns) == ["Glucose", "Age"]


def test_the_readme_hybrid_spec_works_when_pasted(diabetes_model: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Hybrid tables") :]
    text = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = diabetes_model.parent / "trial.yaml"
    path.write_text(text, encoding="utf-8")
    table = lookalike.generate(str(path), 600, random_state=1)
    assert len(table) == 600 and table.notna().all().all()
    assert (table.loc[table.arm == "placebo", "dose_mg"] == 0).all()
    assert table.loc[table.arm == "drug", "dose_mg"].between(300, 700).all()
    female = set(fakes.pool("en_US", "first_name_female"))
    assert table.name.str.split(" ").str[0].isin(female).all()
    assert np.allclose(table.risk, (table.Glucose / 10 + table.BMI / 5).round(1))


def test_a_learned_block_alone_gives_the_model_columns(diabetes_model: Path) -> None:
    spec = {"learned": {"model": "patients.lookalike", "columns": ["Age", "BMI"]}}
    table = generate(spec, 50, random_state=0, folder=diabetes_model.parent)
    assert list(table.columns) == ["BMI", "Age"] and len(table) == 50  # the model's order
    assert table.Age.between(21, 81).all()


def test_learned_columns_follow_rule_dates_beyond_the_training_range(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    days = rng.integers(0, 730, size=400)
    visit = pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")
    real = pd.DataFrame({"visit": visit.strftime("%Y-%m-%d"), "price": 100 + days / 7.3})
    lookalike.get_model("cart", random_state=0).fit(real).save(tmp_path / "prices.lookalike")
    spec = {
        "learned": {"model": "prices.lookalike"},
        "columns": {"visit": {"kind": "date", "start": "2021-06-01", "end": "2024-06-30"}},
    }
    table = generate(spec, 600, random_state=0, folder=tmp_path)
    assert len(table) == 600 and table.price.notna().all()
    assert (
        table.visit.min()
        < pd.Timestamp("2022-01-01")
        < pd.Timestamp("2023-12-31")
        < table.visit.max()
    )
    early = table[table.visit < pd.Timestamp("2022-07-01")].price.mean()
    late = table[table.visit >= pd.Timestamp("2023-07-01")].price.mean()
    assert early < 130 < 170 < late  # real: 100 in January 2022 to 200 in December 2023
