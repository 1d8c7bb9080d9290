"""The JSON routes behind the pages. Bad input answers 400 with the CLI's one-line message and
the form field it belongs to: {"error": "error: ...", "field": "file"}.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, JSONResponse

from lookalike.errors import DataError, LookalikeError
from lookalike.ui import tasks
from lookalike.ui.columns import column_rows, preview, retype
from lookalike.ui.pages import guess_target, read_report
from lookalike.ui.workspace import OUTPUTS, Project, Workspace, display_name

router = APIRouter()
SAMPLE_LIMIT = 100_000  # rows one conditional-sample request may draw
# Files made from the user's data (every download): no script, no request, an opaque origin.
SHOWN_FILE_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


class Invalid(Exception):
    """A one-line message for a form field."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def answer_error(error: Exception, field: str, project: Project | None, ws: Workspace) -> Any:
    message = " ".join(str(error).split())
    if project is not None:
        message = message.replace(str(project.table_path), project.name)
    message = message.replace(str(ws.root), "the workspace")
    return JSONResponse({"error": f"error: {message}", "field": field}, status_code=400)


def _ws(request: Request) -> Workspace:
    return request.app.state.workspace  # type: ignore[no-any-return]


def _project(request: Request, project_id: str) -> Project:
    return _ws(request).project(project_id)


def _table_project(request: Request, project_id: str) -> Project:
    """A project of one table; linked tables have their own routes (ui.linked)."""
    project = _project(request, project_id)
    if project.state.get("linked"):
        raise DataError(f"{project.name} holds linked tables; this is for a single table.")
    return project


def _guarded(request: Request, field: str, project: Project | None, work: Any) -> Any:
    try:
        return work()
    except Invalid as error:
        return answer_error(error, error.field, project, _ws(request))
    except LookalikeError as error:
        return answer_error(error, field, project, _ws(request))


# ---------------------------------------------------------------------- 1 data
def _open_table(project: Project, ws: Workspace) -> dict[str, Any]:
    from lookalike.metadata import Metadata

    frame = tasks.load_table(project)
    metadata = Metadata.detect(frame)
    project.state.update(
        rows=len(frame),
        columns=[str(c) for c in frame.columns],
        metadata=metadata.to_dict(),
        chosen={},
    )
    project.save()
    return {"id": project.id, "next": f"/p/{project.id}/data"}


@router.post("/api/upload")
async def upload(request: Request, name: str = "") -> Any:
    """The file is the request body (the page sends it as it is, its name in `?name=`)."""
    from starlette.concurrency import run_in_threadpool

    ws = _ws(request)
    size = int(request.headers.get("content-length") or 0)
    if size > ws.upload_limit:
        limit = ws.upload_limit // (1024 * 1024)
        error = DataError(f"{display_name(name)} is larger than the upload limit of {limit} MB.")
        return answer_error(error, "file", None, ws)
    project = None
    try:
        project = await ws.receive_stream(name, request.stream())
        return await run_in_threadpool(_open_table, project, ws)
    except LookalikeError as error:
        if project is not None:
            ws.remove(project)
        return answer_error(error, "file", project, ws)


@router.post("/api/example")
def example(request: Request) -> Any:
    """A project from the bundled diabetes table, to try the app without a file at hand."""
    ws = _ws(request)
    source = Path(__file__).parents[1] / "data" / "diabetes.csv"
    with source.open("rb") as handle:
        project = ws.receive("diabetes.csv", handle)
    return _guarded(request, "file", project, lambda: _open_table(project, ws))


@router.post("/api/database")
def database(request: Request, url: str = Form(...)) -> Any:
    ws = _ws(request)

    def work() -> Any:
        from lookalike.io import read_table, write_table
        from lookalike.io.sql import is_url, parse_source

        text = url.strip()
        if not is_url(text):
            raise Invalid(
                "write a database URL such as postgresql://user@host/db?table=NAME.", "url"
            )
        source = parse_source(text)
        if source.query:
            raise Invalid(
                f"{source.display}: the web app reads whole tables; use ?table=NAME.", "url"
            )
        if source.url.get_backend_name() == "sqlite":
            inside = Path(str(source.url.database or "")).resolve()
            if not inside.is_relative_to(ws.root):
                raise Invalid(
                    "the web app opens no file outside its workspace, so sqlite:/// URLs are "
                    "refused; upload the table as CSV/Parquet or use a database server URL.",
                    "url",
                )
        frame = read_table(text)
        project = ws.new_project(f"{source.table}.parquet", ".parquet")
        write_table(frame, project.table_path)
        project.state["source"] = source.display
        return _open_table(project, ws)

    return _guarded(request, "url", None, work)


@router.get("/api/projects/{project_id}")
def project_summary(request: Request, project_id: str) -> Any:
    def work() -> Any:
        project = _project(request, project_id)
        frame = tasks.load_table(project)
        metadata = tasks.project_metadata(project)
        return {
            "id": project.id,
            "name": project.name,
            "rows": project.state["rows"],
            "preview": preview(frame),
            "columns": column_rows(frame, metadata, project.state.get("chosen", {})),
        }

    return _guarded(request, "project", None, work)


@router.post("/api/projects/{project_id}/delete")
def delete_project(request: Request, project_id: str) -> Any:
    """Remove the table and everything made from it from the workspace."""

    def work() -> Any:
        project = _project(request, project_id)
        if request.app.state.jobs.busy(project.id) is not None:
            raise Invalid("a job of this table is running; stop it first (page 3).", "delete")
        _ws(request).remove(project)
        return {"next": "/"}

    return _guarded(request, "delete", None, work)


@router.post("/api/projects/{project_id}/columns")
async def change_column(request: Request, project_id: str) -> Any:
    body = await request.json()
    return _guarded(request, "kind", None, lambda: _change_column(request, project_id, body))


def _change_column(request: Request, project_id: str, body: dict[str, Any]) -> Any:
    project = _table_project(request, project_id)
    name = str(body.get("column", ""))
    if name not in project.state["columns"]:
        raise Invalid(f"no column named {name!r}.", "kind")
    frame = tasks.load_table(project)
    metadata = tasks.project_metadata(project)
    before = project.state.setdefault("chosen", {}).get(name, metadata.columns[name].kind)
    kind = str(body.get("kind", ""))
    if kind == "detected":  # unticking "personal data" or "key": back to what was detected
        kind = before
    try:
        column = retype(frame[name], name, kind, body.get("pii_kind") or None)
        metadata.columns[name] = column
        metadata.validate(frame)
    except LookalikeError as error:
        raise Invalid(str(error), f"kind:{name}") from None
    if column.kind == before:
        project.state["chosen"].pop(name, None)
    else:
        project.state["chosen"][name] = before
    project.state["metadata"] = metadata.to_dict()
    project.save()
    row = column_rows(frame, metadata, project.state["chosen"])
    return next(r for r in row if r["name"] == name)


# ---------------------------------------------------------------------- 2 model, 3 train
@router.post("/api/projects/{project_id}/train")
async def start_training(request: Request, project_id: str) -> Any:
    form = await request.json()

    def work() -> Any:
        project = _table_project(request, project_id)
        running = request.app.state.jobs.busy(project.id)
        if running is not None:
            raise Invalid("this table already has a job running; wait for it or cancel it.", "go")
        field = "settings"
        try:
            settings = tasks.TrainSettings.from_form(form, project)
        except LookalikeError as error:
            raise Invalid(str(error), field) from None
        project.state["settings"] = form
        project.save()
        job = request.app.state.jobs.submit(
            "train", project.id, lambda watch: tasks.train(project, settings, watch)
        )
        return job.to_dict(request.app.state.jobs.position(job))

    return _guarded(request, "settings", None, work)


@router.post("/api/projects/{project_id}/compare")
async def start_compare(request: Request, project_id: str) -> Any:
    form = await request.json()

    def work() -> Any:
        from lookalike.models import model_class

        project = _table_project(request, project_id)
        models = [str(m) for m in form.get("models") or []]
        if len(models) < 2:
            raise Invalid("tick at least two models to compare.", "compare")
        for name in models:
            model_class(name)
        budget = tasks._number(form.get("time_budget"), "time_budget", float)
        target = form.get("target") or guess_target(project) or ""
        if target not in project.state["columns"]:
            raise Invalid("choose the column to predict to compare models.", "compare")
        job = request.app.state.jobs.submit(
            "compare",
            project.id,
            lambda watch: tasks.compare(project, models, target, budget, watch),
        )
        return job.to_dict(request.app.state.jobs.position(job))

    return _guarded(request, "compare", None, work)


@router.get("/api/projects/{project_id}/job")
def latest_job(request: Request, project_id: str, kind: str | None = None) -> Any:
    jobs = request.app.state.jobs
    job = jobs.latest(project_id, kind)
    return None if job is None else job.to_dict(jobs.position(job))


def _job_answer(request: Request, job_id: str, cancel: bool = False) -> Any:
    jobs = request.app.state.jobs
    job = jobs.get(job_id)
    if job is None:
        return JSONResponse({"error": "error: no such job.", "field": "job"}, status_code=404)
    if cancel:
        jobs.cancel(job)
    return job.to_dict(jobs.position(job))


@router.get("/api/jobs/{job_id}")
def job_status(request: Request, job_id: str) -> Any:
    return _job_answer(request, job_id)


@router.post("/api/jobs/{job_id}/cancel")
def cancel_job(request: Request, job_id: str) -> Any:
    return _job_answer(request, job_id, cancel=True)


# ---------------------------------------------------------------------- 4 review, 5 download
@router.get("/api/projects/{project_id}/report")
def report(request: Request, project_id: str) -> Any:
    return _guarded(request, "report", None, lambda: read_report(_project(request, project_id)))


@router.post("/api/projects/{project_id}/sample")
async def conditional_sample(request: Request, project_id: str) -> Any:
    body = await request.json()
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(
        _guarded, request, "where", None, lambda: _sample(request, project_id, body)
    )


def _sample(request: Request, project_id: str, body: dict[str, Any]) -> Any:
    from lookalike.io import write_table
    from lookalike.persistence import load
    from lookalike.where import parse_where

    project = _table_project(request, project_id)
    if not project.has("model.lookalike"):
        raise Invalid("train a model first (page 3).", "where")
    n = tasks._number(body.get("n"), "n", int)
    if not 0 < n <= SAMPLE_LIMIT:
        raise Invalid(f"-n must be between 1 and {SAMPLE_LIMIT:,} rows here, got {n}.", "n")
    lines = [line.strip() for line in str(body.get("where") or "").splitlines() if line.strip()]
    model = load(project.path("model.lookalike"))
    conditions = parse_where(lines)
    seed = tasks._number(body.get("seed"), "seed", int, none_ok=True)
    rows = model.sample(n, conditions=conditions or None, random_state=seed)
    write_table(rows, project.path("sample.csv"))
    return {"rows": len(rows), "preview": preview(rows, 20), "file": "sample.csv"}


@router.get("/api/projects/{project_id}/files/{name}")
def download(request: Request, project_id: str, name: str) -> Any:
    def work() -> Any:
        project = _project(request, project_id)
        if name not in OUTPUTS:
            raise Invalid(f"no file named {name!r} here.", "download")
        file, media = OUTPUTS[name]
        if not project.has(file):
            raise Invalid(f"{name} is not made yet; train a model first (page 3).", "download")
        stem = Path(project.name).stem or "table"
        inline = request.query_params.get("inline") == "1" and name == "report.html"
        return FileResponse(
            project.path(file),
            media_type=media,
            filename=None if inline else f"{stem}-{name}",
            content_disposition_type="inline" if inline else "attachment",
            headers={"Content-Security-Policy": SHOWN_FILE_CSP},
        )

    return _guarded(request, "download", None, work)
