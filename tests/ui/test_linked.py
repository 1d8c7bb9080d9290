"""Linked tables in the web app through FastAPI's TestClient: upload several files (or a zip),
see the schema, edit it, make the synthetic tables and download them with the report."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pandas as pd

from tests.linked.tables import players_seasons
from tests.ui.conftest import wait_job


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _tables() -> dict[str, pd.DataFrame]:
    return players_seasons(n=60, orphans=0.05)


def _upload(client: Any, files: list[tuple[str, bytes]]) -> Any:
    return client.post("/api/linked", files=[("files", (name, data)) for name, data in files])


def _upload_pair(client: Any) -> tuple[dict[str, pd.DataFrame], Any]:
    """players.csv and seasons.csv (60 players, 5% orphan seasons) in one upload."""
    tables = _tables()
    pair = [(f"{name}.csv", _csv(frame)) for name, frame in tables.items()]
    return tables, _upload(client, pair)


def test_several_files_show_their_schema_and_single_table_routes_refuse(client: Any) -> None:
    _, answer = _upload_pair(client)
    assert answer.status_code == 200, answer.text
    project = answer.json()["id"]
    page = client.get(answer.json()["next"]).text
    assert "player_id -&gt; players.id" in page  # the foreign key, in words
    assert "<svg" in page and "orphan row(s)" in page and "ordered by year" in page
    assert "<b>players, seasons</b> · 2 tables" in page and "weight (numerical)" in page
    for name in ("model", "train", "review", "download"):
        assert client.get(f"/p/{project}/{name}").status_code == 200, name
    for refused in (  # the single-table routes say why, not a crash
        client.get(f"/api/projects/{project}"),
        client.post(f"/api/projects/{project}/sample", json={"n": 5}),
    ):
        assert refused.status_code == 400 and "linked tables" in refused.json()["error"]


def test_a_zip_with_folders_and_other_files(client: Any, tmp_path: Any) -> None:
    tables = _tables()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shop/players.csv", _csv(tables["players"]))
        archive.writestr("shop/../../../seasons.csv", _csv(tables["seasons"]))  # never a path
        archive.writestr("shop/README.md", "# not a table")
        archive.writestr("__MACOSX/shop/._players.csv", "junk")
    answer = _upload(client, [("shop.zip", buffer.getvalue())])
    assert answer.status_code == 200, answer.text
    ws = client.app.state.workspace
    folder = ws.project(answer.json()["id"]).folder / "tables"
    assert sorted(p.name for p in folder.iterdir()) == ["players.csv", "seasons.csv"]
    assert not list(ws.root.parent.glob("seasons.csv")) and not list(tmp_path.glob("*.csv"))


def test_a_folder_keeps_its_tables_and_skips_other_files(client: Any) -> None:
    tables = _tables()
    files = [(f"shop/{name}.csv", _csv(frame)) for name, frame in tables.items()]
    files += [("shop/README.md", b"# notes"), ("shop/spec.json", b"{}")]
    answer = _upload(client, files)
    assert answer.status_code == 200, answer.text
    project = client.app.state.workspace.project(answer.json()["id"])
    assert sorted(p.name for p in (project.folder / "tables").iterdir()) == [
        "players.csv",
        "seasons.csv",
    ]


def test_bad_uploads_are_one_line_and_leave_no_project(client: Any) -> None:
    tables = _tables()
    cases = [
        ([("players.csv", _csv(tables["players"]))], "at least two tables"),
        ([("a.csv", b"x\n1\n"), ("b.exe", b"MZ")], "unsupported file type '.exe'"),
        ([("a.csv", b"x\n1\n"), ("a.parquet", b"PAR1")], "two files make table 'a'"),
        ([("a.csv", b"x\n1\n"), ("b.zip", b"not a zip")], "not a zip file"),
        ([("a.csv", b"x\n1\n"), ("b.csv", b"")], "b.csv is empty"),
        ([("a.csv", b"x\n1\n"), ("big.csv", b"x\n" + b"1\n" * (2 * 1024 * 1024))], "limit"),
    ]
    for files, message in cases:
        answer = _upload(client, files)
        assert answer.status_code == 400, (message, answer.text)
        assert answer.json()["error"].startswith("error: ") and message in answer.json()["error"]
        assert answer.json()["field"] == "files"
    assert client.app.state.workspace.projects() == []


def test_schema_edits_are_checked_then_kept(client: Any) -> None:
    _, answer = _upload_pair(client)
    project = answer.json()["id"]
    route = f"/api/projects/{project}/schema"
    for text in ("{nope", "/etc/hostname"):  # a path is JSON text that is wrong, never a file
        bad = client.post(route, json={"schema": text})
        assert bad.status_code == 400 and "not valid JSON" in bad.json()["error"]
        assert bad.json()["field"] == "schema"
    schema = client.app.state.workspace.project(project).state["schema"]
    schema["tables"]["players"]["metadata"]["columns"]["bats"] = {"kind": "boolean"}
    schema["tables"]["seasons"]["metadata"]["columns"]["league"] = {"kind": "numerical"}
    wrong = client.post(route, json={"schema": json.dumps(schema)})
    assert wrong.status_code == 400 and "'league' is numerical" in wrong.json()["error"]
    schema["tables"]["seasons"]["metadata"]["columns"].pop("league")
    schema["tables"]["seasons"]["foreign_keys"] = []  # the user says: not linked
    assert client.post(route, json={"schema": json.dumps(schema)}).status_code == 200
    page = client.get(f"/p/{project}/data").text
    assert "player_id -&gt; players.id" not in page and "bats (boolean)" in page
    assert "Not linked to any other table: players, seasons" in page


def _made(client: Any, report: bool) -> tuple[str, dict[str, pd.DataFrame], zipfile.ZipFile]:
    """Upload players + seasons, make the synthetic tables (scale 0.5, seed 3), get the zip."""
    tables, answer = _upload_pair(client)
    project = answer.json()["id"]
    route = f"/api/projects/{project}/linked/train"
    too_big = client.post(route, json={"scale": "500"})
    assert too_big.status_code == 400 and too_big.json()["field"] == "scale"
    settings = {"model": "cart", "scale": "0.5", "seed": "3", "report": report}
    job = client.post(route, json=settings)
    assert job.status_code == 200, job.text
    done = wait_job(client, job.json()["id"])
    assert done["status"] == "done", done
    assert done["result"]["tables"]["players"] == [60, 30]

    got = client.get(f"/api/projects/{project}/files/synthetic.zip")
    assert got.status_code == 200 and got.headers["content-type"] == "application/zip"
    return project, tables, zipfile.ZipFile(io.BytesIO(got.content))


def test_make_and_download_the_synthetic_tables(client: Any) -> None:
    project, tables, archive = _made(client, report=False)
    assert set(archive.namelist()) == {"tables/players.csv", "tables/seasons.csv", "schema.json"}
    players = pd.read_csv(archive.open("tables/players.csv"))
    seasons = pd.read_csv(archive.open("tables/seasons.csv"))
    assert len(players) == 30 and not set(players["id"]) & set(tables["players"]["id"])
    linked = seasons["player_id"].isin(set(players["id"]))
    assert 0.8 < linked.mean() < 1.0  # orphans come back in about their share, the rest link
    download = client.get(f"/p/{project}/download").text
    assert "Synthetic tables and report (zip)" in download
    model = client.get(f"/api/projects/{project}/files/model.lookalike")
    assert model.status_code == 200 and model.content[:2] == b"PK"
    assert "No results yet" in client.get(f"/p/{project}/review").text


def test_review_shows_the_linked_report_which_the_zip_holds(client: Any) -> None:
    project, _, archive = _made(client, report=True)
    assert "report.html" in archive.namelist()
    assert "<svg" in archive.read("report.html").decode()  # the schema diagram
    review = client.get(f"/p/{project}/review").text
    assert "seasons.player_id-&gt;players.integrity" in review and "report.html?inline=1" in review
