"""Multi-table scores: a copy scores perfectly on integrity and cardinality, a broken set not."""

from __future__ import annotations

import numpy as np

from lookalike.linked import Schema
from lookalike.linked.evaluate import evaluate_tables
from tests.linked.tables import players_seasons


def test_scores_tell_a_copy_from_broken_links(tmp_path) -> None:
    real = players_seasons(n=150, seed=0)
    holdout = players_seasons(n=150, seed=1)
    schema = Schema.detect(real)
    link = "seasons.player_id->players"
    copy = evaluate_tables(real, real, schema, holdout=holdout)
    assert copy.scores[f"{link}.integrity"] == 1.0 and copy.scores[f"{link}.cardinality_ks"] == 1.0
    assert copy.scores["players.privacy.dcr_share"] > 0.55  # a copy sits on the training rows
    assert f"{link}.joined.detection_auc" in copy.scores
    broken = {"players": real["players"], "seasons": real["seasons"].copy()}
    rng = np.random.default_rng(0)
    broken["seasons"]["player_id"] = rng.permutation(broken["seasons"]["player_id"].to_numpy())
    broken["seasons"].loc[:20, "player_id"] = "nobody"
    shuffled = evaluate_tables(real, broken, schema)
    assert shuffled.scores[f"{link}.integrity"] < 1.0
    assert (
        shuffled.scores[f"{link}.parent_child_trends"] < copy.scores[f"{link}.parent_child_trends"]
    )
    html = shuffled.to_html(tmp_path / "report.html")
    assert "<svg" in html and "Table players" in html and (tmp_path / "report.html").exists()
    assert '"referential_integrity"' in shuffled.to_json(tmp_path / "scores.json")
