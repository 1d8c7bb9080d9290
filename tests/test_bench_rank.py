"""`lookalike bench` ranks on fidelity and privacy together and says why each model is where."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lookalike.bench_rank import rank
from lookalike.cli import app
from lookalike.models import MODELS, Entry
from lookalike.models.base import Model
from tests.conftest import make_mixed_table


class CopyRows(Model):
    """A 'model' that hands back its training rows, shuffled: perfect fidelity, no privacy."""

    name = "copy"

    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        self.rows_ = encoded.reset_index(drop=True)

    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        return self.rows_.iloc[rng.integers(0, len(self.rows_), n)].reset_index(drop=True)


@pytest.fixture
def copy_model(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(MODELS, "copy", Entry(f"{__name__}:CopyRows", "returns training rows"))
    return "copy"


def test_a_model_that_copies_its_training_rows_ranks_last(tmp_path: Path, copy_model: str) -> None:
    path = tmp_path / "table.csv"
    make_mixed_table(200).drop(columns="customer_id").to_csv(path, index=False)
    out = tmp_path / "board.json"
    models = f"{copy_model},cart,copula"
    result = CliRunner().invoke(
        app, ["bench", str(path), "-t", "member", "--models", models, "--json", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    rows = [line.split()[0] for line in result.output.splitlines()[1:4]]
    assert rows[-1] == "copy" and set(rows) == {"copy", "cart", "copula"}
    copy_line = result.output.splitlines()[3]
    assert "copies 100% of rows" in copy_line
    board = json.loads(out.read_text())
    assert "privacy penalty" in board["ranking"]
    by_name = {m["model"]: m for m in board["models"]}
    assert by_name["copy"]["rank"] == 3
    # fidelity alone would put the copy first; the privacy penalty puts it last
    assert by_name["copy"]["fidelity"] >= max(m["fidelity"] for m in board["models"]) - 1e-9
    assert by_name["copy"]["score"] < min(by_name[m]["score"] for m in ("cart", "copula"))
    assert by_name["copy"]["why"].startswith("copies 100%")


def _row(model: str, **scores: float) -> dict[str, object]:
    base = {
        "model": model,
        "quality": 0.9,
        "detection AUC": 0.55,
        "TSTR/TRTR": 0.95,
        "DCR share": 0.5,
        "exact copies": 0.0,
        "natural copies": 0.0,
        "DCR rows": 400,
        "detection rows": 400,
        "error": "",
    }
    return {**base, **scores}


def test_noise_is_not_a_privacy_flag_but_a_near_copy_is() -> None:
    table = pd.DataFrame(
        [
            _row("honest", **{"DCR share": 0.53, "detection AUC": 0.47}),  # within noise
            _row("near-copy", **{"quality": 0.97, "detection AUC": 0.15, "DCR share": 0.62}),
            _row("broken", error="fit failed"),
            _row("weaker", quality=0.8),
        ]
    )
    ranked = rank(table)
    assert list(ranked["model"]) == ["honest", "weaker", "near-copy", "broken"]
    why = dict(zip(ranked["model"], ranked["why"], strict=True))
    assert why["honest"].startswith("no privacy flag")
    assert "detection 0.15: rows sit on real rows" in why["near-copy"]
    assert "DCR share 0.62" in why["near-copy"]
    assert why["weaker"] == "no privacy flag; weakest quality 0.800"
    assert why["broken"] == "failed"


def test_copies_count_only_above_the_natural_rate() -> None:
    same = rank(pd.DataFrame([_row("a", **{"exact copies": 0.05, "natural copies": 0.045})]))
    assert same["privacy penalty"][0] == 0.0
    more = rank(pd.DataFrame([_row("a", **{"exact copies": 0.12, "natural copies": 0.01})]))
    assert more["why"][0] == "copies 12% of rows (natural 1%)"
    assert more["score"][0] == pytest.approx(more["fidelity"][0] - 2 * 0.10)
