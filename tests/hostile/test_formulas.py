"""CSV formula injection: formula-like text is neutralised in every CSV output unless asked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike.io.files import read_table, write_table
from lookalike.io.formulas import neutralise_formulas
from lookalike.pii.detect import name_template


def invoke(*args: str) -> int:
    """Run the CLI in this process (the subprocess start-up is most of the time otherwise)."""
    from typer.testing import CliRunner

    from lookalike.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return int(result.exit_code)


FORMULAS = ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\tTAB"]
SAFE = ["-3", "+1.5e3", "ok", "a=b", "e-mail"]
NUMBER = r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?"


def _dangerous(cells: pd.Series) -> pd.Series:
    return cells.str.match(r"^[=+\-@\t\r]") & ~cells.str.fullmatch(NUMBER)


def _table(n: int = 240) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "note": rng.choice(FORMULAS + SAFE, n),
            "amount": rng.normal(0, 5, n).round(2),  # negative numbers stay numbers
            "group": rng.choice(["a", "b"], n),
        }
    )


def _cells(path: Path, column: str = "note") -> pd.Series:
    return pd.read_csv(path, keep_default_na=False, dtype=str)[column]


def test_formula_cells_get_a_quote_prefix_and_numbers_are_untouched() -> None:
    frame = _table()
    frame.loc[0, "note"] = "\rCR"
    out = neutralise_formulas(frame)
    assert out.loc[0, "note"] == "'\rCR"
    frame, out = frame.iloc[1:], out.iloc[1:]
    for raw, safe in zip(frame["note"], out["note"], strict=True):
        assert safe == ("'" + raw if raw in FORMULAS else raw)
    assert out["amount"].equals(frame["amount"]) and (frame["amount"] < 0).any()
    assert frame["note"].isin(FORMULAS + SAFE).all()  # the input is not changed


def test_write_table_neutralises_csv_by_default_and_not_when_allowed(tmp_path: Path) -> None:
    frame = _table()
    write_table(frame, tmp_path / "safe.csv")
    write_table(frame, tmp_path / "raw.csv", allow_formulas=True)
    write_table(frame, tmp_path / "t.parquet")
    assert not _dangerous(_cells(tmp_path / "safe.csv")).any()
    assert set(_cells(tmp_path / "raw.csv")) >= {"+1+2", "@SUM(A1)"}
    assert read_table(tmp_path / "t.parquet")["note"].equals(frame["note"])  # Parquet unchanged


@pytest.fixture(scope="module")
def table_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("formulas") / "real.csv"
    _table().to_csv(path, index=False)
    return path


def _formula_share(path: Path) -> float:
    return float(_dangerous(_cells(path)).mean())


@pytest.mark.parametrize("command", ["sample", "anonymize", "balance"])
def test_cli_csv_outputs_are_safe_unless_allow_formulas(
    command: str, table_csv: Path, tmp_path: Path
) -> None:
    if command == "sample":
        model = tmp_path / "m.lookalike"
        assert invoke("fit", str(table_csv), "-o", str(model), "-m", "copula", "-q") == 0
        args = ["sample", str(model), "-n", "300"]
    elif command == "anonymize":
        args = ["anonymize", str(table_csv), "--secret", "k"]
    else:
        args = ["balance", str(table_csv), "--target", "group", "--method", "copula"]
    safe, raw = tmp_path / "safe.csv", tmp_path / "raw.csv"
    assert invoke(*args, "-o", str(safe), "-q") == 0
    assert invoke(*args, "-o", str(raw), "--allow-formulas", "-q") == 0
    assert _formula_share(safe) == 0
    assert _formula_share(raw) > 0.2
    assert (pd.read_csv(safe)["amount"] < 0).any()


def test_generate_neutralises_formula_values(tmp_path: Path) -> None:
    spec = tmp_path / "s.yaml"
    spec.write_text('columns: {x: {kind: categorical, values: ["=1+2", "-5", "ok"]}}\n')
    out = tmp_path / "out.csv"
    assert invoke("generate", str(spec), "-n", "200", "-o", str(out), "-q") == 0
    assert set(_cells(out, "x")) == {"'=1+2", "-5", "ok"}


@pytest.mark.parametrize("value", ["=HYPERLINK(1) Smith", "+Ann Lee", "@Bob Stone", "-Eve Ray"])
def test_name_fakes_never_start_with_a_formula_character(value: str) -> None:
    template = name_template(value, frozenset())
    assert template and template[0] not in "=+-@\t\r "
