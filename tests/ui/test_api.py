"""Every route of the web app through FastAPI's TestClient: what a page's script sees."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.ui.conftest import DEMO, TOKEN, upload_demo, wait_job

FAST = {"model": "copula", "time_budget": 30, "target": "Outcome", "rows": "200", "seed": "0"}
QUICK = {**FAST, "report": False}  # no evaluation: a second instead of ~12 on a busy machine
SMALL = pd.read_csv(DEMO)[["Glucose", "BMI", "Age", "Outcome"]].head(150).to_csv(index=False)


def upload_small(client: Any) -> str:
    """A 150-row, 4-column table: trains, evaluates and draws its report in a few seconds."""
    answer = client.post("/api/upload?name=small.csv", content=SMALL.encode())
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


# ---------------------------------------------------------------------- the token gate
def test_every_request_needs_the_token(client: Any) -> None:
    client.cookies.clear()
    assert client.get("/").status_code == 403
    assert client.get("/api/projects/0123456789abcdef").status_code == 403
    assert client.get("/static/app.css").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/", headers={"X-Lookalike-Token": "wrong"}).status_code == 403
    page = client.get("/", headers={"X-Lookalike-Token": TOKEN})
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]


def test_the_token_link_sets_a_cookie_and_drops_the_token(client: Any) -> None:
    client.cookies.clear()
    answer = client.get(f"/rules?token={TOKEN}", follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"] == "/rules"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/rules").status_code == 200  # the cookie is enough from now on


def test_unknown_host_header_is_refused(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from lookalike.ui.app import create_app
    from lookalike.ui.workspace import Workspace

    app = create_app(Workspace(tmp_path), TOKEN, hosts=["127.0.0.1:8765"])
    with TestClient(app, base_url="http://evil.example:8765") as other:
        assert other.get("/", headers={"X-Lookalike-Token": TOKEN}).status_code == 403
    with TestClient(app, base_url="http://127.0.0.1:8765") as mine:
        assert mine.get("/", headers={"X-Lookalike-Token": TOKEN}).status_code == 200
    app.state.jobs.close()


# ---------------------------------------------------------------------- 1 data
def test_upload_detects_kinds_with_reasons(client: Any) -> None:
    project = upload_demo(client)
    summary = client.get(f"/api/projects/{project}").json()
    assert summary["name"] == "diabetes.csv" and summary["rows"] == 768
    assert summary["preview"]["columns"][0] == "Pregnancies"
    assert len(summary["preview"]["rows"]) == 10
    kinds = {c["name"]: (c["kind"], c["reason"]) for c in summary["columns"]}
    assert kinds["Age"] == ("numerical", "whole numbers from 21 to 81")
    assert kinds["Outcome"] == ("boolean", "only two values: 1, 0")
    page = client.get(f"/p/{project}/data")
    assert page.status_code == 200 and "whole numbers from 21 to 81" in page.text


def test_the_example_table(client: Any) -> None:
    answer = client.post("/api/example").json()
    summary = client.get(f"/api/projects/{answer['id']}").json()
    assert summary["name"] == "diabetes.csv" and summary["rows"] == 768
    assert answer["next"] == f"/p/{answer['id']}/data"


def test_reasons_for_personal_data_dates_and_keys(client: Any) -> None:
    from lookalike import generate

    spec = {
        "columns": {
            "code": {"kind": "id", "pattern": "CUS-#####"},
            "email": {"kind": "email"},
            "joined": {
                "kind": "date",
                "start": "2020-01-01",
                "end": "2024-01-01",
                "format": "%d/%m/%Y",
            },
            "city": {"kind": "city"},
        }
    }
    table = generate(spec, 300, random_state=0).to_csv(index=False).encode()
    project = client.post("/api/upload?name=c.csv", content=table).json()["id"]
    rows = {c["name"]: c for c in client.get(f"/api/projects/{project}").json()["columns"]}
    assert rows["code"]["reason"] == "every value is different (300 of 300), like a key"
    assert rows["email"]["reason"] == "values look like email (100% sure)"
    assert rows["joined"]["reason"] == "every value reads as a date in the format DD/MM/YYYY"
    # many-valued short text that is not a direct identifier is learned as a code (issue 18)
    assert rows["city"]["kind"] == "pii" and "code" in rows["city"]["reason"]


def test_upload_names_are_never_paths(client: Any) -> None:
    answer = client.post(
        "/api/upload", params={"name": "../../outside.csv"}, content=b"a,b\n1,2\n3,4\n"
    )
    assert answer.status_code == 200
    workspace = client.app.state.workspace.root
    assert not (workspace.parent / "outside.csv").exists()
    folder = workspace / "projects" / answer.json()["id"]
    assert sorted(p.name for p in folder.iterdir()) == ["project.json", "table.csv"]
    assert client.get(f"/api/projects/{answer.json()['id']}").json()["name"] == "outside.csv"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.exe", b"a\n1\n", "error: x.exe: unsupported file type '.exe'; use a .csv or .parquet"),
        ("x.csv", b"", "error: x.csv is empty; choose a CSV or Parquet file with a header row."),
        ("x.csv", b"a,b\n", "error: x.csv has a header but no data rows."),
        ("x.parquet", b"not parquet", "error: x.parquet is not a readable Parquet file"),
    ],
)
def test_bad_uploads_get_the_cli_message(
    client: Any, name: str, content: bytes, message: str
) -> None:
    answer = client.post("/api/upload", params={"name": name}, content=content)
    assert answer.status_code == 400
    assert answer.json()["field"] == "file" and answer.json()["error"].startswith(message)
    assert "workspace" not in answer.json()["error"] or "the workspace" in answer.json()["error"]
    assert list((client.app.state.workspace.root / "projects").iterdir()) == []  # nothing kept


def test_upload_limit(client: Any) -> None:
    big = b"a,b\n" + b"1,2\n" * 700_000  # 2.8 MB, over the fixture's 2 MB
    answer = client.post("/api/upload?name=big.csv", content=big)
    assert answer.status_code == 400 and "upload limit of 2 MB" in answer.json()["error"]
    assert list((client.app.state.workspace.root / "projects").iterdir()) == []

    def stream() -> Iterator[bytes]:  # no Content-Length: the limit holds while it is read
        for _ in range(30):
            yield b"1,2\n" * 30_000

    answer = client.post("/api/upload?name=big.csv", content=stream())
    assert answer.status_code == 400 and "upload limit of 2 MB" in answer.json()["error"]
    assert list((client.app.state.workspace.root / "projects").iterdir()) == []


def test_parquet_upload(client: Any, tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pd.read_csv(DEMO).head(100).to_parquet(path)
    answer = client.post("/api/upload?name=t.parquet", content=path.read_bytes())
    assert answer.status_code == 200
    assert client.get(f"/api/projects/{answer.json()['id']}").json()["rows"] == 100


def test_database_urls(client: Any) -> None:
    def connect(url: str) -> Any:
        return client.post("/api/database", data={"url": url})

    assert "write a database URL" in connect("clinic.db").json()["error"]
    refused = connect("sqlite:////etc/passwd?table=x").json()
    assert refused["field"] == "url" and "outside its workspace" in refused["error"]
    assert "use ?table=NAME" in connect("sqlite:///x.db?query=SELECT 1").json()["error"]
    root = client.app.state.workspace.root
    with sqlite3.connect(root / "clinic.db") as db:
        pd.read_csv(DEMO).head(50).to_sql("patients", db, index=False)
    answer = connect(f"sqlite:///{root / 'clinic.db'}?table=patients")
    assert answer.status_code == 200, answer.text
    summary = client.get(f"/api/projects/{answer.json()['id']}").json()
    assert summary["rows"] == 50 and summary["name"] == "patients.parquet"


def test_change_a_kind_mark_pii_and_key(client: Any) -> None:
    project = upload_demo(client)

    def change(**body: Any) -> Any:
        return client.post(f"/api/projects/{project}/columns", json=body)

    age = change(column="Age", kind="categorical").json()
    assert age["kind"] == "categorical" and age["reason"].startswith("you chose categorical")
    bad = change(column="BMI", kind="boolean")
    assert bad.status_code == 400 and bad.json()["field"] == "kind:BMI"
    assert "a boolean has two" in bad.json()["error"]
    assert change(column="Glucose", kind="pii", pii_kind="email").json()["pii_kind"] == "email"
    assert change(column="Glucose", kind="detected").json()["kind"] == "numerical"
    assert change(column="Insulin", kind="id").json()["kind"] == "id"
    assert change(column="nope", kind="id").status_code == 400
    kinds = {c["name"]: c["kind"] for c in client.get(f"/api/projects/{project}").json()["columns"]}
    assert (
        kinds["Age"] == "categorical" and kinds["BMI"] == "numerical" and kinds["Insulin"] == "id"
    )


# ---------------------------------------------------------------------- 2 model, 3 train
def test_model_page_preselects_the_recommended_model(client: Any) -> None:
    project = upload_demo(client)
    text = client.get(f"/p/{project}/model").text
    assert 'value="cart" checked' in text and "Why cart?" in text
    assert '<option value="Outcome" selected>' in text  # the class column is guessed


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"params": "nope=1"}, "model 'copula' has no parameter 'nope'"),
        ({"model": "magic"}, "no model named 'magic'"),
        ({"rows": "0"}, "-n must be between 1 and"),
        ({"target": "Height"}, "--target 'Height' is not a column"),
        ({"model": "cart", "time_budget": -1}, "--max-time must be positive"),
    ],
)
def test_bad_settings_are_refused_before_any_work(
    client: Any, change: dict[str, Any], message: str
) -> None:
    project = upload_demo(client)
    answer = client.post(f"/api/projects/{project}/train", json={**FAST, **change})
    assert answer.status_code == 400 and message in answer.json()["error"]
    assert client.get(f"/api/projects/{project}/job").json() is None


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str, dict]]:
    """(client, project, finished job): the small table with Age as categorical, trained once
    without the report (fast)."""
    from fastapi.testclient import TestClient

    from lookalike.ui.app import COOKIE, create_app
    from lookalike.ui.workspace import Workspace

    app = create_app(Workspace(tmp_path_factory.mktemp("ws")), TOKEN)
    with TestClient(app) as client:
        client.cookies.set(COOKIE, TOKEN)
        project = upload_small(client)
        change = {"column": "Age", "kind": "categorical"}
        client.post(f"/api/projects/{project}/columns", json=change)
        import threading

        release = threading.Event()  # a job ahead in the queue: the train job cannot finish early
        app.state.jobs.submit("train", "other", lambda watch: {"waited": release.wait(30)})
        job = client.post(f"/api/projects/{project}/train", json=QUICK).json()
        assert job["status"] in ("queued", "running")
        again = client.post(f"/api/projects/{project}/train", json=QUICK)
        assert again.status_code == 400 and "already has a job" in again.json()["error"]
        release.set()
        yield client, project, wait_job(client, job["id"])
    app.state.jobs.close()


def test_train_sample_download(trained: tuple[Any, str, dict]) -> None:
    client, project, done = trained
    assert done["status"] == "done", done
    assert done["result"]["fit_rows"] == 120 and done["result"]["holdout_rows"] == 30
    assert client.get(f"/api/projects/{project}/job?kind=train").json()["id"] == done["id"]
    assert client.get(f"/api/projects/{project}/report").json() is None  # not asked for
    assert "was not evaluated" in client.get(f"/p/{project}/review").text

    sample = client.post(
        f"/api/projects/{project}/sample", json={"where": "Outcome = 1\nGlucose >= 120", "n": 60}
    ).json()
    assert sample["rows"] == 60 and len(sample["preview"]["rows"]) == 20
    drawn = client.get(f"/api/projects/{project}/files/sample.csv")
    rows = pd.read_csv(io.BytesIO(drawn.content))
    assert len(rows) == 60 and (rows["Outcome"] == 1).all() and (rows["Glucose"] >= 120).all()
    assert rows["Age"].isin(pd.read_csv(DEMO)["Age"].head(150)).all()  # categorical: real values

    synthetic = client.get(f"/api/projects/{project}/files/synthetic.csv")
    disposition = synthetic.headers["content-disposition"]
    assert disposition == 'attachment; filename="small-synthetic.csv"'
    assert pd.read_csv(io.BytesIO(synthetic.content)).shape == (200, 4)
    parquet = client.get(f"/api/projects/{project}/files/synthetic.parquet")
    assert pd.read_parquet(io.BytesIO(parquet.content)).shape == (200, 4)
    model = client.get(f"/api/projects/{project}/files/model.lookalike")
    assert model.content[:2] == b"PK"  # a zip of JSON + arrays
    listed = client.get(f"/p/{project}/download").text
    assert "synthetic.csv" in listed and "model.lookalike" in listed


@pytest.mark.slow  # evaluation and the report's figures: ~12 s on a busy 2-core machine
def test_train_with_the_report(client: Any) -> None:
    project = upload_small(client)
    done = wait_job(client, client.post(f"/api/projects/{project}/train", json=FAST).json()["id"])
    assert done["status"] == "done", done
    report = client.get(f"/api/projects/{project}/report").json()
    assert set(report["verdicts"]) == {"fidelity", "utility", "privacy"}
    assert 0 < report["scores"]["quality"] <= 1
    assert "Looks like the real table" in client.get(f"/p/{project}/review").text
    inline = client.get(f"/api/projects/{project}/files/report.html?inline=1")
    assert "attachment" not in inline.headers.get("content-disposition", "")  # shown in the page
    assert inline.headers["content-security-policy"].startswith("sandbox;")  # never runs a script
    assert "<html" in inline.text[:500].lower()
    assert "report.html" in client.get(f"/p/{project}/download").text


def test_sample_before_training(client: Any) -> None:
    project = upload_small(client)
    early = client.post(f"/api/projects/{project}/sample", json={"where": "", "n": 5})
    assert early.status_code == 400 and "train a model first" in early.json()["error"]


def test_sample_errors_are_the_cli_lines(trained: tuple[Any, str, dict]) -> None:
    client, project, _ = trained

    def sample(where: str, n: Any = 5) -> Any:
        return client.post(f"/api/projects/{project}/sample", json={"where": where, "n": n}).json()

    assert sample("Outcome = 7")["error"].startswith(
        "error: no row with Outcome=7 in the training data (Outcome takes "
    )
    assert sample("Outcome ~ 1")["error"].startswith("error: cannot read --where 'Outcome ~ 1'")
    assert sample("", 10**9)["field"] == "n"
    assert sample("", "many")["error"] == "error: n must be a number, got 'many'."


def test_files_before_training_and_unknown_names(client: Any) -> None:
    project = upload_demo(client)
    assert client.get(f"/api/projects/{project}/files/synthetic.csv").status_code == 400
    assert client.get(f"/api/projects/{project}/files/project.json").status_code == 400
    assert client.get(f"/api/projects/{project}/files/..%2Ftable.csv").status_code in (400, 404)
    assert client.get("/api/projects/../files/x").status_code in (400, 404)
    assert client.get(f"/api/projects/{project}/report").json() is None


def test_compare_models(client: Any) -> None:
    project = upload_small(client)
    one = client.post(f"/api/projects/{project}/compare", json={"models": ["cart"]})
    assert one.status_code == 400 and "at least two" in one.json()["error"]
    job = client.post(
        f"/api/projects/{project}/compare",
        json={"models": ["copula", "noise"], "time_budget": 10, "target": "Outcome"},
    ).json()
    done = wait_job(client, job["id"])
    assert done["status"] == "done", done
    board = done["result"]["leaderboard"]
    assert {row["model"] for row in board} == {"copula", "noise"}
    # ranked on fidelity and privacy: `noise` (real rows with a little noise) is a near-copy
    assert [row["model"] for row in board] == ["copula", "noise"], board
    assert board[0]["score"] > board[1]["score"] and "no privacy flag" not in board[1]["why"]


def test_jobs_wait_in_a_queue_and_cancel_while_queued(client: Any) -> None:
    import threading

    assert client.get("/api/jobs/nope").status_code == 404
    assert client.post("/api/jobs/nope/cancel").status_code == 404
    release = threading.Event()
    jobs = client.app.state.jobs
    blocker = jobs.submit("train", "other", lambda watch: {"waited": release.wait(30)})
    project = upload_small(client)
    queued = client.post(f"/api/projects/{project}/train", json=QUICK).json()
    assert queued["status"] == "queued" and queued["position"] == 1
    assert client.get(f"/api/projects/{project}/job").json()["status"] == "queued"
    stopped = client.post(f"/api/jobs/{queued['id']}/cancel").json()
    assert stopped["status"] == "cancelled"
    release.set()
    assert wait_job(client, blocker.id)["result"] == {"waited": True}
    assert client.get(f"/api/jobs/{queued['id']}").json()["status"] == "cancelled"  # never ran
    assert not (client.app.state.workspace.root / "projects" / project / "model.lookalike").exists()


# ---------------------------------------------------------------------- pages and rules
def test_delete_a_project(client: Any) -> None:
    project = upload_small(client)
    folder = client.app.state.workspace.root / "projects" / project
    assert folder.is_dir()
    assert client.post(f"/api/projects/{project}/delete").json() == {"next": "/"}
    assert not folder.exists()
    assert client.get(f"/api/projects/{project}").status_code == 400
    assert client.post("/api/projects/../delete").status_code in (400, 404)


def test_pages_render_and_unknown_projects_go_home(client: Any) -> None:
    project = upload_demo(client)
    for name in ("data", "model", "train", "review", "download"):
        assert client.get(f"/p/{project}/{name}").status_code == 200
    assert client.get("/rules").status_code == 200
    assert client.get(f"/p/{project}/secret").status_code == 404
    gone = client.get("/p/0123456789abcdef/data", follow_redirects=False)
    assert gone.status_code == 307 and gone.headers["location"] == "/"
    assert "diabetes.csv" in client.get("/").text  # listed under the tables opened before


def test_rules_preview_and_errors_at_their_line(client: Any) -> None:
    from lookalike.ui.rules import EXAMPLE

    good = client.post("/api/rules/preview", json={"spec": EXAMPLE, "seed": 0}).json()
    assert len(good["rows"]) == 20 and good["columns"][0] == "customer_id"
    broken = EXAMPLE.replace("sd: 15, ", "")
    bad = client.post("/api/rules/preview", json={"spec": broken}).json()
    assert bad == {"error": "error: column 'age' (normal) lacks sd.", "field": "spec", "line": 9}
    yaml = client.post("/api/rules/preview", json={"spec": "columns:\n  a: {kind: [\n"}).json()
    assert "not valid YAML" in yaml["error"] and yaml["line"] == 3
    empty = client.post("/api/rules/preview", json={"spec": "  "}).json()
    assert empty["error"] == "error: the spec is empty; start from the example."
    as_path = client.post("/api/rules/preview", json={"spec": "/etc/passwd"}).json()
    assert "a spec must be a mapping" in as_path["error"]  # text, never opened as a file


def test_rules_download(client: Any) -> None:
    from lookalike.ui.rules import EXAMPLE

    answer = client.post("/api/rules/download", data={"spec": EXAMPLE, "n": "250", "seed": "1"})
    assert answer.status_code == 200
    rows = pd.read_csv(io.BytesIO(answer.content))
    assert len(rows) == 250 and "email" in rows
    again = client.post("/api/rules/download", data={"spec": EXAMPLE, "n": "250", "seed": "1"})
    assert again.content == answer.content  # same seed, same rows
    parquet = client.post(
        "/api/rules/download", data={"spec": EXAMPLE, "n": 5, "format": "parquet"}
    )
    assert len(pd.read_parquet(io.BytesIO(parquet.content))) == 5
    assert client.post("/api/rules/download", data={"spec": EXAMPLE, "n": 0}).json()["field"] == "n"
    bad = client.post("/api/rules/download", data={"spec": EXAMPLE, "seed": "x"}).json()
    assert bad["field"] == "seed"
    scratch = client.app.state.workspace.root / "scratch"
    assert not scratch.exists() or list(scratch.iterdir()) == []  # temp files removed


def test_names_from_the_data_are_shown_as_text(client: Any) -> None:
    evil = '<img src=x onerror="alert(1)">'
    table = f'"{evil}",b\n1,2\n3,4\n'.replace('"alert(1)"', '""alert(1)""')
    answer = client.post("/api/upload", params={"name": "<i>x.csv"}, content=table.encode())
    project = answer.json()["id"]
    page = client.get(f"/p/{project}/data").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert "<i>x.csv" not in page and "&lt;i&gt;x.csv" in page
