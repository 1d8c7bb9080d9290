"""`import lookalike` stays light: heavy libraries load only inside the functions that use them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sklearn", "scipy", "matplotlib", "torch", "fastapi", "jinja2", "dask", "sqlalchemy")


def _loaded_after(code: str) -> set[str]:
    listing = "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    probe = f"{code}\nimport json, sys\n{listing}"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_lookalike_loads_no_heavy_library() -> None:
    loaded = _loaded_after("import lookalike")
    assert "numpy" in loaded and "lookalike" in loaded  # the probe sees what is loaded
    assert loaded & set(HEAVY) == set()


def test_the_cli_module_and_a_classical_model_stay_light() -> None:
    loaded = _loaded_after("import lookalike.cli, lookalike; lookalike.get_model('copula')")
    assert loaded & {"torch", "sklearn", "matplotlib"} == set()  # copula uses scipy.special
