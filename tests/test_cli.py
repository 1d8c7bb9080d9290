"""The command line as a user meets it: outputs, exit codes, one-line errors, no partial files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import make_mixed_table


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOOKALIKE_QUIET": "1"}
    return subprocess.run(
        [sys.executable, "-m", "lookalike.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )


def assert_clean_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]


@pytest.fixture
def table_csv(tmp_path: Path) -> Path:
    path = tmp_path / "real.csv"
    make_mixed_table(200).to_csv(path, index=False)
    return path


def test_fit_then_sample_writes_the_rows_asked_for(table_csv: Path, tmp_path: Path) -> None:
    model, out = tmp_path / "m.lookalike", tmp_path / "synthetic.csv"
    assert run("fit", str(table_csv), "-o", str(model), "--seed", "1").returncode == 0
    result = run("sample", str(model), "-n", "321", "-o", str(out), "--seed", "2")
    assert result.returncode == 0, result.stderr
    rows = pd.read_csv(out)
    assert len(rows) == 321
    assert list(rows.columns) == list(pd.read_csv(table_csv).columns)


def test_same_seed_gives_identical_files(table_csv: Path, tmp_path: Path) -> None:
    outputs = []
    for i in range(2):
        model, out = tmp_path / f"m{i}.lookalike", tmp_path / f"s{i}.csv"
        run("fit", str(table_csv), "-o", str(model), "--seed", "3")
        run("sample", str(model), "-n", "100", "-o", str(out), "--seed", "4")
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_where_conditions_hold(table_csv: Path, tmp_path: Path) -> None:
    model, out = tmp_path / "m.lookalike", tmp_path / "s.csv"
    run("fit", str(table_csv), "-o", str(model))
    result = run(
        "sample",
        str(model),
        "-n",
        "50",
        "-o",
        str(out),
        "--where",
        "city=Lyon",
        "--where",
        "age>=50",
    )
    assert result.returncode == 0, result.stderr
    rows = pd.read_csv(out)
    assert (rows["city"] == "Lyon").all() and (rows["age"] >= 50).all()


def test_inspect_prints_kinds_and_writes_editable_json(table_csv: Path, tmp_path: Path) -> None:
    meta = tmp_path / "meta.json"
    result = run("inspect", str(table_csv), "-o", str(meta))
    assert result.returncode == 0
    assert "categorical" in result.stdout and "datetime" in result.stdout
    text = meta.read_text().replace('"kind": "numerical"', '"kind": "categorical"', 1)
    meta.write_text(text)
    model = tmp_path / "m.lookalike"
    assert run("fit", str(table_csv), "-o", str(model), "--metadata", str(meta)).returncode == 0


def test_models_lists_the_default(tmp_path: Path) -> None:
    result = run("models")
    assert result.returncode == 0 and "(default)" in result.stdout and "copula" in result.stdout


def test_demo_writes_a_synthetic_table(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    rows = pd.read_csv(tmp_path / "out" / "synthetic.csv")
    assert len(rows) > 100 and "Outcome" in rows.columns


# ---------------------------------------------------------------------- bad input
def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("", ["empty"]),
        ("a,b,c\n", ["no data rows"]),
        ("a,a,b\n1,2,3\n4,5,6\n", ["duplicate"]),
    ],
    ids=["empty file", "header only", "duplicate columns"],
)
def test_unusable_files_give_one_line_errors(
    tmp_path: Path, content: str, words: list[str]
) -> None:
    data = write(tmp_path, "bad.csv", content)
    out = tmp_path / "m.lookalike"
    assert_clean_error(run("fit", str(data), "-o", str(out)), *words)
    assert not out.exists()


def test_missing_file_and_unknown_type_give_errors(tmp_path: Path) -> None:
    assert_clean_error(
        run("fit", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "m")), "does not exist"
    )
    data = write(tmp_path, "table.xlsx", "x")
    assert_clean_error(run("fit", str(data), "-o", str(tmp_path / "m")), ".csv or .parquet")


def test_semicolon_and_tab_files_are_read(tmp_path: Path) -> None:
    for sep, name in ((";", "semi.csv"), ("\t", "tab.csv")):
        data = write(
            tmp_path,
            name,
            f"x{sep}y{sep}c\n"
            + "".join(f"{i}{sep}{i * 2.5}{sep}{'ab'[i % 2]}\n" for i in range(30)),
        )
        result = run("inspect", str(data))
        assert result.returncode == 0, result.stderr
        assert "3 columns" in result.stdout


def test_a_non_utf8_file_is_read(tmp_path: Path) -> None:
    rows = "name,city\n" + "".join(f"{i},{'Zürich' if i % 2 else 'Genève'}\n" for i in range(30))
    data = write(tmp_path, "latin.csv", rows.encode("latin-1"))
    model, out = tmp_path / "m.lookalike", tmp_path / "s.csv"
    assert run("fit", str(data), "-o", str(model)).returncode == 0
    assert run("sample", str(model), "-n", "20", "-o", str(out)).returncode == 0
    assert set(pd.read_csv(out)["city"]) <= {"Zürich", "Genève"}


def test_odd_but_valid_tables_are_handled(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "all_null": [None] * n,
            "constant": ["same"] * n,
            "mixed": [str(i) if i % 3 else f"v{i}" for i in range(n)],
            "nan_inf": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
            "many": [f"cat{i}" for i in rng.integers(0, 100_000, size=n)],
        }
    )
    data = tmp_path / "odd.csv"
    frame.to_csv(data, index=False)
    model, out = tmp_path / "m.lookalike", tmp_path / "s.csv"
    assert run("fit", str(data), "-o", str(model)).returncode == 0
    assert run("sample", str(model), "-n", "50", "-o", str(out)).returncode == 0
    rows = pd.read_csv(out)
    assert rows["all_null"].isna().all() and (rows["constant"] == "same").all()


def test_a_single_row_table_is_handled(tmp_path: Path) -> None:
    data = write(tmp_path, "one.csv", "x,c\n1.5,a\n")
    model, out = tmp_path / "m.lookalike", tmp_path / "s.csv"
    assert run("fit", str(data), "-o", str(model)).returncode == 0
    assert run("sample", str(model), "-n", "5", "-o", str(out)).returncode == 0
    assert len(pd.read_csv(out)) == 5


def test_infinite_values_are_refused_with_advice(tmp_path: Path) -> None:
    data = write(tmp_path, "inf.csv", "x,y\n1,2\ninf,3\n4,5\n")
    assert_clean_error(run("fit", str(data), "-o", str(tmp_path / "m")), "infinite")


@pytest.mark.parametrize("rows", ["0", "-5"])
def test_non_positive_row_counts_are_refused(table_csv: Path, tmp_path: Path, rows: str) -> None:
    model, out = tmp_path / "m.lookalike", tmp_path / "s.csv"
    run("fit", str(table_csv), "-o", str(model))
    assert_clean_error(run("sample", str(model), "-n", rows, "-o", str(out)), "-n")
    assert not out.exists()


def test_unknown_model_lists_the_choices(table_csv: Path, tmp_path: Path) -> None:
    assert_clean_error(
        run("fit", str(table_csv), "-o", str(tmp_path / "m"), "--model", "nope"), "nope", "copula"
    )


def test_unknown_condition_column_and_value_are_refused(table_csv: Path, tmp_path: Path) -> None:
    model, out = tmp_path / "m.lookalike", tmp_path / "s.csv"
    run("fit", str(table_csv), "-o", str(model))
    assert_clean_error(
        run("sample", str(model), "-n", "5", "-o", str(out), "--where", "zz=1"), "zz"
    )
    assert_clean_error(
        run("sample", str(model), "-n", "5", "-o", str(out), "--where", "city=Berlin"), "Berlin"
    )
    assert not out.exists()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "edit"])
def test_damaged_model_files_are_refused(table_csv: Path, tmp_path: Path, damage: str) -> None:
    model, out = tmp_path / "m.lookalike", tmp_path / "s.csv"
    run("fit", str(table_csv), "-o", str(model))
    blob = model.read_bytes()
    if damage == "truncate":
        model.write_bytes(blob[: len(blob) // 2])
    elif damage == "garbage":
        model.write_bytes(b"\x80\x04not a model at all")
    else:
        import zipfile

        with zipfile.ZipFile(model) as archive:
            header = archive.read("model.json")
            arrays = archive.read("arrays.npz")
        with zipfile.ZipFile(model, "w") as archive:
            archive.writestr("model.json", header)
            archive.writestr("arrays.npz", arrays[:-10] + b"0123456789")
    assert_clean_error(run("sample", str(model), "-n", "5", "-o", str(out)), str(model.name))
    assert not out.exists()


def test_fit_takes_model_parameters_and_says_which_exist(table_csv: Path, tmp_path: Path) -> None:
    from lookalike.persistence import load

    model = tmp_path / "dp.lookalike"
    result = run(
        "fit", str(table_csv), "-o", str(model), "-m", "bayesnet", "-p", "epsilon=2.5", "-q"
    )
    assert result.returncode == 0, result.stderr
    assert load(model).epsilon == 2.5
    bad = run(
        "fit", str(table_csv), "-o", str(tmp_path / "x.lookalike"), "-m", "bayesnet", "-p", "eps=1"
    )
    assert_clean_error(bad, "no parameter 'eps'", "epsilon")
    assert not (tmp_path / "x.lookalike").exists()
    listed = run("models", "--params", "bayesnet")
    assert "epsilon = None" in listed.stdout


def test_commands_read_and_write_database_tables(table_csv: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    real = pd.read_csv(table_csv)
    from lookalike.io.files import write_table

    write_table(real, f"{url}?table=patients")
    shown = run("inspect", f"{url}?table=patients")
    assert shown.returncode == 0, shown.stderr
    assert f"{len(real)} rows" in shown.stdout
    result = run("anonymize", f"{url}?table=patients", "-o", f"{url}?table=shared", "-q")
    assert result.returncode == 0, result.stderr
    from lookalike.io.files import read_table

    assert len(read_table(f"{url}?table=shared")) == len(real)
