"""A single table of sequences through `lookalike fit`/`sample`, and the sequence scores."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from lookalike import load
from lookalike.sequences import SequenceModel
from lookalike.sequences.evaluate import coherence, evaluate_sequences, gaps, lengths
from tests.sequences.conftest import make_careers, make_readings


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lookalike.cli", *args], capture_output=True, text=True, check=False
    )


def test_fit_and_sample_a_keyed_sequence_table_from_the_cli(tmp_path: Path) -> None:
    real = make_readings(devices=8, days=6)
    real.to_csv(tmp_path / "r.csv", index=False)
    meta = {
        "columns": {
            "device": {"kind": "categorical"},
            "time": {"kind": "datetime", "format": "%Y-%m-%d %H:%M:%S"},
            "load": {"kind": "numerical"},
        },
        "sequence_key": "device",
        "order_by": "time",
    }
    (tmp_path / "m.json").write_text(json.dumps(meta))
    fit = _run(
        "fit",
        str(tmp_path / "r.csv"),
        "-o",
        str(tmp_path / "m.lookalike"),
        "--metadata",
        str(tmp_path / "m.json"),
        "--seed",
        "0",
        "--quiet",
    )
    assert fit.returncode == 0, fit.stderr
    assert isinstance(load(tmp_path / "m.lookalike"), SequenceModel)
    out = _run(
        "sample",
        str(tmp_path / "m.lookalike"),
        "-n",
        "5",
        "-o",
        str(tmp_path / "s.csv"),
        "--seed",
        "1",
    )
    assert out.returncode == 0, out.stderr
    rows = pd.read_csv(tmp_path / "s.csv")
    assert rows["device"].nunique() == 5 and list(rows.columns) == list(real.columns)
    assert not set(rows["device"]) & set(real["device"])
    again = _run(
        "sample",
        str(tmp_path / "m.lookalike"),
        "-n",
        "5",
        "-o",
        str(tmp_path / "t.csv"),
        "--seed",
        "1",
    )
    assert again.returncode == 0
    assert (tmp_path / "s.csv").read_text() == (tmp_path / "t.csv").read_text()
    bad = _run(
        "sample",
        str(tmp_path / "m.lookalike"),
        "-n",
        "5",
        "-o",
        str(tmp_path / "u.csv"),
        "--where",
        "load>3",
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error:")
    assert not (tmp_path / "u.csv").exists()


def test_metadata_json_keeps_the_sequence_fields() -> None:
    from lookalike.metadata import Metadata

    meta = Metadata.from_dict({"columns": {"t": {"kind": "numerical"}}, "order_by": "t"})
    assert meta.order_by == "t" and meta.sequence_key is None
    assert Metadata.from_json(meta.to_json()).order_by == "t"


def test_scores_are_one_for_a_copy_and_low_for_shuffled_steps() -> None:
    child, _ = make_careers(n=150, seed=3)
    same = evaluate_sequences(child, child, "pid", "year", detection=False)
    assert same["coherence"]["score"] == 1.0 and same["lengths"]["ks"] == 1.0
    assert same["gaps"]["score"] == 1.0 and same["first_step"]["order_ks"] == 1.0
    rng = np.random.default_rng(0)
    shuffled = child.copy()
    for column in ("team", "score", "state", "year"):
        shuffled[column] = rng.permutation(shuffled[column].to_numpy())
    worse = evaluate_sequences(child, shuffled, "pid", "year", detection=False)
    assert worse["coherence"]["columns"]["team"] < 0.6
    assert worse["gaps"]["score"] < 0.3


def test_coherence_is_one_minus_the_pair_tvd() -> None:
    real = pd.DataFrame({"k": [1, 1, 2, 2], "t": [0, 1, 0, 1], "c": ["a", "b", "a", "a"]})
    fake = pd.DataFrame({"k": [1, 1, 2, 2], "t": [0, 1, 0, 1], "c": ["a", "b", "a", "b"]})
    # real pairs: a|b, a|a; fake: a|b, a|b -> TVD 0.5
    assert coherence(real, fake, "k", "t")["columns"]["c"] == 0.5
    assert gaps(real, fake, "k", "t")["score"] == 1.0
    assert lengths(real, fake.iloc[:3], "k")["ks"] == 0.5


def test_detection_tells_shuffled_sequences_from_real_ones() -> None:
    child, _ = make_careers(n=150, seed=3)
    rng = np.random.default_rng(1)
    shuffled = child.copy()
    shuffled["year"] = rng.permutation(shuffled["year"].to_numpy())
    auc = evaluate_sequences(child, shuffled, "pid", "year")["detection"]
    assert auc["entities"] > 0.8 and auc["rows"] > 0.8


def test_inspect_suggests_the_key_and_the_order(tmp_path: Path) -> None:
    from lookalike.metadata import Metadata
    from lookalike.sequences.suggest import suggest_sequence

    child, _ = make_careers(n=60, seed=2)
    child = child.rename(columns={"pid": "player_id"})
    assert suggest_sequence(child, Metadata.detect(child)) == {
        "sequence_key": "player_id",
        "order_by": "year",
    }
    shuffled = child.sample(frac=1.0, random_state=0)
    assert suggest_sequence(shuffled, Metadata.detect(shuffled)) == {}
    child.to_csv(tmp_path / "c.csv", index=False)
    out = _run("inspect", str(tmp_path / "c.csv"))
    assert out.returncode == 0 and '"order_by": "year"' in out.stdout
