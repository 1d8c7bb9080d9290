"""Linked tables end to end in a real browser (Debian's Chromium through Playwright): two CSV
files in, the schema and its diagram shown, synthetic tables made, reviewed and downloaded."""

from __future__ import annotations

import zipfile
from typing import Any

import pandas as pd
import pytest

from tests.linked.tables import players_seasons

pytestmark = pytest.mark.slow  # a real server, a real browser, real models: ~20-40 s


def test_two_files_to_a_zip_of_synthetic_tables(page: Any, tmp_path: Any) -> None:
    tables = players_seasons(n=80, orphans=0.05)
    paths = []
    for name, frame in tables.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        paths.append(str(tmp_path / f"{name}.csv"))

    # 1 Data: both files at once; the keys, the diagram and the orphans are shown
    page.set_input_files("#files", paths)
    page.wait_for_url("**/data")
    assert page.locator("#tables tbody tr").count() == 2
    seasons = page.locator("tr[data-table='seasons']")
    assert seasons.locator(".fks").inner_text() == "player_id -> players.id"
    assert page.locator("tr[data-table='players'] .key").inner_text() == "id"
    assert page.locator("#diagram svg rect").count() == 2
    assert "orphan row(s)" in page.inner_text(".note")

    # a wrong edit of the schema is said beside it; the page keeps what was there
    page.click("#edit summary")
    page.fill("#schema", '{"tables": {"players": {"primary_key": ["nope"]}}}')
    page.click("#save-schema")
    page.locator("#schema-error").wait_for()
    assert "nope" in page.inner_text("#schema-error")

    # 2 Model, 3 Train
    page.click("text=Next: make the synthetic tables")
    page.wait_for_url("**/model")
    assert page.locator("input[name=model][value=cart]").is_checked()
    page.fill("#scale", "0.5")
    page.click("#train")
    page.wait_for_url("**/train")
    page.locator("#finished a").wait_for(state="visible", timeout=120_000)
    assert page.inner_text("#status") == "done"

    # 4 Review: rows per table and the link scores
    page.click("#finished a")
    page.wait_for_url("**/review")
    sizes = page.inner_text("#sizes")
    assert "players\t80\t40" in sizes
    assert "seasons.player_id->players.integrity" in page.inner_text("#scores")

    # 5 Download: one zip with every table and the report
    page.click("text=Next: download")
    with page.expect_download() as caught:
        page.click("a[href$='synthetic.zip']")
    with zipfile.ZipFile(caught.value.path()) as archive:
        assert {"tables/players.csv", "tables/seasons.csv", "report.html"} <= set(
            archive.namelist()
        )
        players = pd.read_csv(archive.open("tables/players.csv"))
        seasons_out = pd.read_csv(archive.open("tables/seasons.csv"))
    assert len(players) == 40
    assert seasons_out["player_id"].isin(set(players["id"])).mean() > 0.8
