"""Linked tables in the web app: several files (or a zip, or a folder) as one dataset.

The user uploads the tables, checks the schema `lookalike.linked` detected (tables, keys, the
relation diagram, orphans, column kinds) and may edit its JSON; the train job fits a
`LinkedModel`, samples a whole synthetic set, scores it with `evaluate_tables` and writes the
linked report, and one zip holds the synthetic tables, the report and the schema. Every decision
is the library's; this module only moves files and calls it.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from lookalike.errors import DataError, LookalikeError
from lookalike.ui.api import Invalid, _guarded, _project, answer_error
from lookalike.ui.jobs import Watch
from lookalike.ui.tasks import _number
from lookalike.ui.workspace import Project, receive_tables

router = APIRouter()
TEMPLATES = {"data": "linked_data", "model": "linked_model", "review": "linked_review"}
MAX_FILES = 500  # files one upload may hold (a folder of tables)
MAX_SCALE = 20.0  # the most parent rows one job makes, as a multiple of the real ones


def is_linked(project: Project) -> bool:
    """True for a project of linked tables."""
    return bool(project.state.get("linked"))


def load_tables(project: Project) -> dict[str, pd.DataFrame]:
    """The project's tables, by name."""
    from lookalike.linked.io import read_tables

    return read_tables(project.folder / "tables")


def project_schema(project: Project) -> Any:
    """The schema as the user left it."""
    from lookalike.linked import Schema

    return Schema.from_dict(project.state["schema"])


def _open(project: Project) -> dict[str, Any]:
    from lookalike.linked import Schema

    tables = load_tables(project)
    schema = Schema.detect(tables).with_metadata(tables)
    _keep(project, schema, tables)
    return {"id": project.id, "next": f"/p/{project.id}/data"}


def _keep(project: Project, schema: Any, tables: dict[str, pd.DataFrame]) -> None:
    project.state.update(
        schema=schema.to_dict(),
        rows=sum(len(t) for t in tables.values()),
        columns=[f"{n}.{c}" for n, t in tables.items() for c in t.columns],
        tables={n: len(t) for n, t in tables.items()},
    )
    project.save()


def page_context(project: Project, page: str) -> dict[str, Any]:
    """What a linked project's page needs: the schema described, or the report and files."""
    from lookalike.linked.report import schema_diagram
    from lookalike.linked.summary import describe
    from lookalike.ui.pages import files, read_report

    if page == "data":
        found = describe(project_schema(project), load_tables(project))
        return {
            "found": found,
            "diagram": schema_diagram(found["schema"]),
            "schema_json": json.dumps(project.state["schema"], indent=2),
        }
    if page == "model":
        from lookalike.ui.pages import model_choices

        return {"models": model_choices(), "settings": project.state.get("settings") or {}}
    if page == "review":
        return {"report": read_report(project), "has_model": project.has("model.lookalike")}
    if page == "download":
        made = sorted(files(project), key=lambda f: f["name"] != "synthetic.zip")  # the zip first
        return {"files": made, "report": read_report(project)}
    return {}


# ---------------------------------------------------------------------- routes
@router.post("/api/linked")
async def upload_tables(request: Request) -> Any:
    """Several files in one multipart form (`files`): tables, or zips of tables. The size is
    checked before the form is read; each file again as it is stored.
    """
    from starlette.concurrency import run_in_threadpool

    ws = request.app.state.workspace
    size = int(request.headers.get("content-length") or 0)
    if size > ws.upload_limit + 64 * 1024:  # the form's own bytes beside the files
        limit = ws.upload_limit // (1024 * 1024)
        error = DataError(f"the files are larger than the upload limit of {limit} MB.")
        return answer_error(error, "files", None, ws)
    project = None
    form = await request.form(max_files=MAX_FILES, max_fields=10)
    try:
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        if not files:
            raise DataError("choose the files of the linked tables (CSV, Parquet or a zip).")
        named = [(f.filename or "table", f.file) for f in files]
        project = await run_in_threadpool(receive_tables, ws, named)
        return await run_in_threadpool(_open, project)
    except LookalikeError as error:
        if project is not None:
            ws.remove(project)
        return answer_error(error, "files", project, ws)
    finally:
        await form.close()  # the spooled temp files


@router.post("/api/projects/{project_id}/schema")
async def change_schema(request: Request, project_id: str) -> Any:
    """The schema JSON the user edited: checked against the tables, then kept."""
    body = await request.json()

    def work() -> Any:
        from lookalike.linked import Schema
        from lookalike.linked.frames import check_metadata

        project = _project(request, project_id)
        tables = load_tables(project)
        try:  # JSON text only: a path typed here is never opened
            schema = Schema.from_dict(json.loads(str(body.get("schema") or "")))
        except (json.JSONDecodeError, RecursionError) as error:
            raise Invalid(f"the schema is not valid JSON ({error}).", "schema") from None
        try:
            schema.validate(tables)
            schema = schema.with_metadata(tables)
            check_metadata(schema, tables)  # kinds that do not fit the values: said now
        except LookalikeError as error:
            raise Invalid(str(error), "schema") from None
        _keep(project, schema, tables)
        return {"next": f"/p/{project.id}/data"}

    return _guarded(request, "schema", None, work)


@router.post("/api/projects/{project_id}/linked/train")
async def start_linked_training(request: Request, project_id: str) -> Any:
    """Queue the train job of a linked dataset (model, scale, seed from the Model page)."""
    form = await request.json()

    def work() -> Any:
        from lookalike.models import model_class

        project = _project(request, project_id)
        if request.app.state.jobs.busy(project.id) is not None:
            raise Invalid("this dataset already has a job running; wait for it.", "go")
        name = str(form.get("model") or "cart")
        model_class(name)
        scale = _number(form.get("scale"), "scale", float, none_ok=True)
        scale = 1.0 if scale is None else scale
        if not 0 < scale <= MAX_SCALE:
            raise Invalid(
                f"--scale must be above 0 and at most {MAX_SCALE:g}, got {scale}.", "scale"
            )
        seed = _number(form.get("seed"), "seed", int, none_ok=True) or 0
        report = bool(form.get("report", True))
        project.state["settings"] = {"model": name, "scale": scale, "seed": seed, "report": report}
        project.save()
        job = request.app.state.jobs.submit(
            "train", project.id, lambda watch: train(project, name, scale, seed, watch, report)
        )
        return job.to_dict(request.app.state.jobs.position(job))

    return _guarded(request, "settings", None, work)


# ---------------------------------------------------------------------- the job
def train(
    project: Project, model: str, scale: float, seed: int, watch: Watch, report: bool = True
) -> dict[str, Any]:
    """Fit, save, sample, evaluate, report and zip (run by the job worker); without `report`
    the zip holds the tables and the schema only.
    """
    from lookalike.io import atomic_path
    from lookalike.linked import LinkedModel
    from lookalike.linked.evaluate import evaluate_tables
    from lookalike.linked.io import write_zip

    watch.set_stage("reading the tables")
    tables = load_tables(project)
    schema = project_schema(project)
    for stale in ("report.json", "report.html", "synthetic.zip"):
        project.path(stale).unlink(missing_ok=True)
    watch.set_stage(f"training {model} on {len(tables)} linked tables")
    fitted = LinkedModel(schema, model=model, random_state=seed).fit(tables)
    fitted.save(project.path("model.lookalike"))
    watch.set_stage("sampling")
    synthetic = fitted.sample(scale, seed=seed)
    result: dict[str, Any] = {
        "model": model,
        "linked": True,
        "fit_rows": sum(len(t) for t in tables.values()),
        "rows": sum(len(t) for t in synthetic.values()),
        "tables": {name: [len(tables[name]), len(frame)] for name, frame in synthetic.items()},
    }
    extras = {"schema.json": schema.to_json() + "\n"}
    project.update(trained={"model": model})
    if watch.cancel.is_set() or not report:
        write_zip(synthetic, project.path("synthetic.zip"), extras)
        return {**result, "cancelled": True} if watch.cancel.is_set() else result
    watch.set_stage("evaluating")
    scored = evaluate_tables(tables, synthetic, schema, random_state=seed)
    watch.set_stage("drawing the report")
    extras["report.html"] = scored.to_html(project.path("report.html"))
    write_zip(synthetic, project.path("synthetic.zip"), extras)
    summary = {"scores": scored.scores, "notes": scored.notes, **result}
    with atomic_path(project.path("report.json")) as tmp:
        tmp.write_text(json.dumps(summary, default=str), encoding="utf-8")
    return result
