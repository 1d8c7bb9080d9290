import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from lookalike.cli import app
from lookalike.errors import SpecError
from lookalike.pii.fakes import iban_valid, luhn_valid
from lookalike.rules import generate, generate_chunks, load_spec
from lookalike.rules.infer import spec_from_data

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_spec() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Fake data from rules") :]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return generate(readme_spec(), 3000, random_state=0)


def test_the_readme_spec_works_when_pasted(tmp_path: Path) -> None:
    path = tmp_path / "customers.yaml"
    path.write_text(readme_spec(), encoding="utf-8")
    table = generate(path)
    assert len(table) == 1000
    assert list(table.columns) == list(yaml.safe_load(readme_spec())["columns"])


def test_same_seed_same_rows_whatever_the_chunk_size() -> None:
    spec = readme_spec()
    whole = generate(spec, 500, random_state=3)
    again = pd.concat(generate_chunks(spec, 500, random_state=3), ignore_index=True)
    pd.testing.assert_frame_equal(whole, again)
    assert not generate(spec, 500, random_state=4).equals(whole)


def test_distributions_keep_their_range_rounding_and_missing_share(
    customers: pd.DataFrame,
) -> None:
    assert customers["age"].between(18, 95).all()
    assert customers["age"].dtype == np.int64
    assert (customers["height"] == customers["height"].round(1)).all()
    assert customers["weight"].min() >= 40
    assert 0.03 < customers["email"].isna().mean() < 0.07
    assert (customers["plan"] == "basic").all()
    dates = pd.to_datetime(customers["joined"], format="%d/%m/%Y")
    assert dates.min() >= pd.Timestamp("2020-01-01")
    assert dates.max() <= pd.Timestamp("2024-12-31")


def test_dependencies_shape_the_columns(customers: pd.DataFrame) -> None:
    means = customers.groupby("sex")["height"].mean()
    assert means["M"] - means["F"] > 10
    smokers = customers.groupby("sex")["smoker"].apply(lambda s: (s == "yes").mean())
    assert smokers["F"] < smokers["M"]
    assert set(customers["smoker"]) == {"yes", "no"}  # YAML yes/no stay text
    bmi = customers["weight"] / (customers["height"] / 100) ** 2
    assert np.allclose(customers["bmi"], bmi.round(1), atol=0.051)
    assert customers[["height", "weight"]].corr().iloc[0, 1] > 0.5
    assert customers[["age", "income"]].corr(method="spearman").iloc[0, 1] == pytest.approx(
        0.4, abs=0.08
    )


def test_ids_are_unique_across_chunks_and_sequences_follow_the_pattern() -> None:
    spec = {
        "columns": {
            "key": {"kind": "id", "pattern": "K-##??"},
            "n": {"kind": "sequence", "start": 10, "step": 5, "pattern": "N#####"},
        }
    }
    table = pd.concat(generate_chunks(spec, 5000, random_state=1, chunk_rows=700))
    assert table["key"].is_unique
    assert table["key"].str.fullmatch(r"K-\d\d[A-Z]{2}").all()
    assert table["n"].iloc[:3].tolist() == ["N00010", "N00015", "N00020"]


def test_fakes_are_valid_and_varied(customers: pd.DataFrame) -> None:
    assert customers["card"].map(luhn_valid).all()
    assert customers["iban"].map(iban_valid).all()
    assert customers["iban"].str.startswith("DE").all()
    assert customers["name"].nunique() > 0.95 * len(customers)
    assert customers["email"].dropna().str.contains("@").all()
    assert customers["customer_id"].is_unique


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"x": {"kind": "gaussian", "mean": 0}}, r"column 'x'.*unknown kind 'gaussian'"),
        (
            {"a": {"kind": "computed", "expr": "b + 1"}, "b": {"kind": "computed", "expr": "a"}},
            r"a -> b -> a",
        ),
        ({"a": {"kind": "computed", "expr": "weight * 2"}}, r"column 'a'.*'weight'"),
        (
            {"c": {"kind": "categorical", "values": ["a", "b"], "weights": [0.5, 0.2]}},
            r"column 'c'.*sum to 0.7",
        ),
        ({"x": {"kind": "normal", "mean": 0, "sd": -1}}, r"column 'x'.*sd must be > 0"),
        (
            {"x": {"kind": "computed", "expr": "__import__('os').system('echo hi')"}},
            r"column 'x'.*only the functions",
        ),
        ({"x": {"kind": "computed", "expr": "(1).__class__"}}, r"column 'x'.*not allowed"),
        ({"x": {"kind": "normal", "mean": 0, "sd": 1, "colour": 1}}, r"column 'x'.*'colour'"),
        ({"x": {"kind": "uniform", "low": 5, "high": 1}}, r"column 'x'.*low"),
        ({"x": {"kind": "id", "pattern": "AB-#"}}, r"column 'x'.*only 10 distinct"),
    ],
)
def test_bad_specs_name_the_column_and_the_problem(columns: dict, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        generate({"columns": columns}, 20)


def test_impossible_correlations_are_refused() -> None:
    spec = {
        "columns": {k: {"kind": "normal", "mean": 0, "sd": 1} for k in "abc"},
        "correlations": [
            {"columns": ["a", "b"], "r": 0.9},
            {"columns": ["b", "c"], "r": 0.9},
            {"columns": ["a", "c"], "r": -0.9},
        ],
    }
    with pytest.raises(SpecError, match="not possible together"):
        load_spec(spec)


def test_cases_must_cover_every_value_without_defaults() -> None:
    spec = {
        "columns": {
            "sex": {"kind": "categorical", "values": ["F", "M"]},
            "h": {"kind": "normal", "sd": 1, "by": "sex", "cases": {"F": {"mean": 160}}},
        }
    }
    with pytest.raises(SpecError, match=r"column 'h'.*sex='M'"):
        load_spec(spec)


def test_a_spec_written_from_a_real_table_generates_a_similar_table(
    mixed_table: pd.DataFrame,
) -> None:
    spec = spec_from_data(mixed_table)
    spec = yaml.safe_load(yaml.safe_dump(spec, sort_keys=False))  # survives YAML
    fake = generate(spec, 400, random_state=0)
    assert list(fake.columns) == list(mixed_table.columns)
    assert fake["age"].between(mixed_table["age"].min(), mixed_table["age"].max()).all()
    assert set(fake["city"].dropna()) <= set(mixed_table["city"])
    assert abs(fake["score"].isna().mean() - mixed_table["score"].isna().mean()) < 0.08


def test_cli_generate_streams_to_a_file(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text(readme_spec(), encoding="utf-8")
    out = tmp_path / "out.parquet"
    result = CliRunner().invoke(app, ["generate", str(spec), "-n", "250", "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(out)) == 250


def test_cli_spec_writes_an_editable_yaml(tmp_path: Path, mixed_table: pd.DataFrame) -> None:
    data = tmp_path / "real.csv"
    mixed_table.to_csv(data, index=False)
    result = CliRunner().invoke(app, ["spec", str(data), "-o", str(tmp_path / "s.yaml")])
    assert result.exit_code == 0, result.output
    assert len(generate(tmp_path / "s.yaml", 30)) == 30


def test_cli_bad_spec_is_one_error_line_and_no_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    spec = tmp_path / "bad.yaml"
    spec.write_text("columns:\n  x: {kind: normal, mean: 1}\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    done = subprocess.run(
        [sys.executable, "-m", "lookalike.cli", "generate", str(spec), "-n", "5", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("error: column 'x' (normal) lacks sd")
    assert not out.exists()


def test_text_patterns_make_codes_in_the_given_shapes() -> None:
    spec = {"columns": {"ticket": {"kind": "text", "patterns": {"PC #####": 0.3, "?-###": 0.7}}}}
    tickets = generate(spec, 2000, random_state=0)["ticket"]
    assert tickets.str.fullmatch(r"PC \d{5}|[A-Z]-\d{3}").all()
    assert 0.25 < tickets.str.startswith("PC").mean() < 0.35
