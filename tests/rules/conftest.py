"""A cart model fitted once on the bundled diabetes table, saved beside the specs that use it."""

from __future__ import annotations

from pathlib import Path

import pytest

from lookalike import get_model
from lookalike.demo import demo_table


@pytest.fixture(scope="session")
def diabetes_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """patients.lookalike: cart on the 768-row Pima diabetes table (ages 21-81, none 71-80)."""
    folder = tmp_path_factory.mktemp("hybrid")
    path = folder / "patients.lookalike"
    get_model("cart", random_state=0).fit(demo_table()).save(path)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`lookalike ARGS` in this process: (exit code, stdout, stderr)."""
    from lookalike.cli import main

    with pytest.raises(SystemExit) as stop:
        main([*args, "-q"])
    out = capsys.readouterr()
    return int(stop.value.code or 0), out.out, out.err
