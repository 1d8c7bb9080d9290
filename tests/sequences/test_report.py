"""`lookalike evaluate REALDIR SYNDIR --report` on linked tables with an ordered child: sequence
scores in the printed table, and the lengths and a few sequences drawn in the page.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lookalike.sequences.report import section_html, sequence_section
from tests.linked.tables import players_seasons

LINK = "seasons.player_id->players"


def _broken(real: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Home runs shuffled across all rows: a step's value no longer follows the one before."""
    broken = {"players": real["players"], "seasons": real["seasons"].copy()}
    rng = np.random.default_rng(0)
    broken["seasons"]["hr"] = rng.permutation(broken["seasons"]["hr"].to_numpy())
    return broken


def _lengths(tables: dict[str, pd.DataFrame]) -> np.ndarray:
    sizes = tables["seasons"]["player_id"].value_counts()
    return tables["players"]["id"].map(sizes).fillna(0).to_numpy()


def _section(real: dict[str, pd.DataFrame], synthetic: dict[str, pd.DataFrame]) -> object:
    lengths = (_lengths(real), _lengths(synthetic))
    return sequence_section(
        LINK, real["seasons"], synthetic["seasons"], "player_id", "year", lengths=lengths
    )


def _images(page: str) -> dict[str, bytes]:
    found = re.findall(r"alt='([^']+)' src='data:image/png;base64,([^']+)'", page)
    return {alt: base64.b64decode(data) for alt, data in found}


def test_sequence_scores_tell_a_copy_from_shuffled_steps() -> None:
    real = players_seasons(n=150, seed=0)
    copy, shuffled = _section(real, real), _section(real, _broken(real))
    assert copy.scores["coherence"] == 1.0 and copy.scores["length_ks"] == 1.0
    assert copy.scores["gap_similarity"] == 1.0 and copy.scores["first_order_ks"] == 1.0
    assert shuffled.scores["coherence"] < 0.95 and shuffled.scores["length_ks"] == 1.0
    assert shuffled.coherence["hr"] < 0.9 and shuffled.coherence["league"] == 1.0
    page = section_html(shuffled)
    images = _images(page)
    assert {"sequence lengths", "sequences of hr", "sequences of league"} <= set(images)
    assert all(png[:4] == b"\x89PNG" for png in images.values())  # inline, self-contained
    assert "coherence of hr" in page


@pytest.mark.slow
def test_evaluate_cli_prints_sequence_scores_and_draws_the_sequences(tmp_path: Path) -> None:
    from lookalike.cli import app

    real = players_seasons(n=150, seed=0)
    folders = {}
    for name, tables in (("real", real), ("broken", _broken(real))):
        folders[name] = tmp_path / name
        folders[name].mkdir()
        for table, frame in tables.items():
            frame.to_csv(folders[name] / f"{table}.csv", index=False)
    page = tmp_path / "r.html"
    result = CliRunner().invoke(
        app, ["evaluate", str(folders["real"]), str(folders["broken"]), "--report", str(page)]
    )
    assert result.exit_code == 0, result.output
    coherence = re.search(
        rf"^{re.escape(LINK)}\.sequence\.coherence\s+([\d.]+)$", result.output, re.M
    )
    assert coherence and float(coherence.group(1)) < 0.95
    text = page.read_text(encoding="utf-8")
    assert f"Sequences {LINK.replace('>', '&gt;')}, ordered by year" in text
    assert {"sequence lengths", "sequences of hr"} <= set(_images(text))
    assert not re.search(r"(src|href)=['\"]https?:", text)  # nothing fetched from the web
