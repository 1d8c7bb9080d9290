"""A new user's mistakes, run through the installed `lookalike` executable: one line, exit 2.

Each mistake must give exactly one line on stderr that starts with `error:`, exit code 2, no
traceback and no output file. The executable is the console script pip installed (so the entry
point itself is tested, whatever typer/click versions the environment has); PYTHONPATH points at
this checkout's src/ so it runs this code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lookalike
from lookalike import get_model, save
from tests.conftest import make_mixed_table

SRC = Path(__file__).resolve().parents[1] / "src"
_BESIDE = Path(sys.executable).parent / "lookalike"  # this environment's script first
EXECUTABLE = str(_BESIDE) if _BESIDE.is_file() else shutil.which("lookalike")

pytestmark = pytest.mark.skipif(
    EXECUTABLE is None and not os.environ.get("CI"),
    reason="the `lookalike` console script is not installed (pip install -e .)",
)


def lookalike_cmd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `lookalike` with this checkout's code."""
    assert EXECUTABLE is not None, "pip install -e . puts `lookalike` on PATH"
    env = {**os.environ, "PYTHONPATH": str(SRC), "LOOKALIKE_QUIET": "1", "COLUMNS": "100"}
    return subprocess.run(
        [EXECUTABLE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with data.csv, a fitted model.lookalike, a spec, a plain file and a subfolder."""
    folder = tmp_path_factory.mktemp("mistakes")
    table = make_mixed_table(80)
    table.to_csv(folder / "data.csv", index=False)
    save(get_model("cart", random_state=0).fit(table), folder / "model.lookalike")
    (folder / "spec.yaml").write_text("rows: 5\ncolumns:\n  x: {type: integer, min: 1, max: 3}\n")
    (folder / "afile").write_text("not a folder")
    (folder / "sub").mkdir()
    return folder


MISTAKES = {
    "unknown command": ["fitt", "data.csv"],
    "unknown option at the top": ["--nope"],
    "missing -o": ["fit", "data.csv"],
    "misspelt option": ["fit", "data.csv", "-o", "new.lookalike", "--epoch", "5"],
    "rows not a number": ["sample", "model.lookalike", "-n", "ten", "-o", "new.csv"],
    "zero rows": ["sample", "model.lookalike", "-n", "0", "-o", "new.csv"],
    "negative rows": ["sample", "model.lookalike", "-n", "-3", "-o", "new.csv"],
    "missing -n": ["sample", "model.lookalike", "-o", "new.csv"],
    "missing argument": ["sample"],
    "seed not a number": ["fit", "data.csv", "-o", "new.lookalike", "--seed", "x"],
    "parameter not a number": ["fit", "data.csv", "-o", "new.lookalike", "-p", "min_leaf=abc"],
    "parameter tuple of words": [
        *("fit", "data.csv", "-o", "new.lookalike", "-m", "gan"),
        *("-p", "generator_dim=(128,x)"),
    ],
    "parameter without =": ["fit", "data.csv", "-o", "new.lookalike", "-p", "min_leaf"],
    "unknown parameter": ["fit", "data.csv", "-o", "new.lookalike", "-p", "eps=1"],
    "unknown model": ["fit", "data.csv", "-o", "new.lookalike", "-m", "nosuch"],
    "output onto the input": ["fit", "data.csv", "-o", "data.csv"],
    "anonymize in place without the flag": ["anonymize", "data.csv", "-o", "data.csv"],
    "sample onto the model file": ["sample", "model.lookalike", "-n", "5", "-o", "model.lookalike"],
    "spec onto its input": ["spec", "data.csv", "-o", "data.csv"],
    "scores onto the input": ["evaluate", "data.csv", "data.csv", "--json", "data.csv"],
    "a folder as the table": ["fit", "sub", "-o", "new.lookalike"],
    "a missing table": ["inspect", "nosuch.csv"],
    "output is a folder": ["inspect", "data.csv", "-o", "sub"],
    "output under a file": ["sample", "model.lookalike", "-n", "5", "-o", "afile/new.csv"],
    "unknown engine": ["sample", "model.lookalike", "-n", "5", "-o", "new.csv", "--engine", "x"],
    "bad where": ["sample", "model.lookalike", "-n", "5", "-o", "new.csv", "--where", "age"],
    "missing second table": ["evaluate", "data.csv"],
    "missing target": ["balance", "data.csv", "-o", "new.csv"],
    "generate zero rows": ["generate", "spec.yaml", "-n", "0", "-o", "new.csv"],
    "ratio not a number": ["balance", "data.csv", "-t", "city", "-o", "new.csv", "--ratio", "x"],
}


@pytest.mark.parametrize("args", list(MISTAKES.values()), ids=list(MISTAKES))
def test_a_mistake_gives_one_error_line_and_exit_2(place: Path, args: list[str]) -> None:
    before = sorted(p.name for p in place.iterdir())
    result = lookalike_cmd(*args, cwd=place)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert sorted(p.name for p in place.iterdir()) == before  # nothing written, nothing left


def test_the_error_line_says_what_to_do(place: Path) -> None:
    typo = lookalike_cmd("fitt", cwd=place).stderr
    assert "Did you mean 'fit'" in typo and "lookalike --help" in typo
    missing = lookalike_cmd("fit", "data.csv", cwd=place).stderr
    assert "--output" in missing and "lookalike fit --help" in missing
    param = lookalike_cmd("fit", "data.csv", "-o", "x.lookalike", "-p", "min_leaf=abc", cwd=place)
    assert "whole number" in param.stderr
    zero = lookalike_cmd("sample", "model.lookalike", "-n", "0", "-o", "x.csv", cwd=place)
    assert "must be a whole number >= 1" in zero.stderr


def test_version_prints_the_version(place: Path) -> None:
    result = lookalike_cmd("--version", cwd=place)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"lookalike {lookalike.__version__}"


def test_bare_lookalike_prints_the_help_and_exits_0(place: Path) -> None:
    result = lookalike_cmd(cwd=place)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout and "sample" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_tuple_syntax_that_models_params_prints_is_accepted(place: Path) -> None:
    listed = lookalike_cmd("models", "--params", "ctgan", cwd=place).stdout
    assert "generator_dim = (256, 256)" in listed
    from lookalike.jobs import model_params

    params, _ = model_params("ctgan", ["generator_dim=(256, 256)", "epochs=1"])
    assert params == {"generator_dim": (256, 256), "epochs": 1}
