"""The Rules page: a spec editor with a live preview and errors at the spec line they concern."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

from lookalike.errors import LookalikeError

router = APIRouter()
PREVIEW_ROWS = 20
MAX_ROWS = 1_000_000
MAX_SPEC = 200_000  # characters
EXAMPLE = """\
# A fake customer table: edit it and watch the preview.
rows: 1000
seed: 7
columns:
  customer_id: {kind: id, pattern: "CUS-??#####"}
  name:        {kind: name}
  email:       {kind: email, missing: 0.05}
  sex:         {kind: categorical, values: {F: 0.5, M: 0.5}}
  age:         {kind: normal, mean: 45, sd: 15, min: 18, max: 95, round: 0}
  height:      {kind: normal, mean: 170, sd: 8, round: 1, by: sex,
                cases: {F: {mean: 164}, M: {mean: 177}}}
  weight:      {kind: normal, mean: "height - 100", sd: 9, min: 40, round: 1}
  bmi:         {kind: computed, expr: "weight / (height / 100) ** 2", round: 1}
  joined:      {kind: date, start: 2020-01-01, end: 2024-12-31, format: "%d/%m/%Y"}
"""
_AT_LINE = re.compile(r"at line (\d+)")


def error_line(spec: str, message: str) -> int | None:
    """The 1-based spec line a SpecError message is about, when it can be told."""
    found = _AT_LINE.search(message)
    if found:
        return int(found.group(1))
    names = re.findall(r"'([^']+)'", message)
    keys = [*names[:1], "correlations"] if "correlation" in message else names[:1]
    for key in keys:
        pattern = re.compile(rf"^\s*['\"]?{re.escape(key)}['\"]?\s*:")
        for number, line in enumerate(spec.splitlines(), start=1):
            if pattern.match(line):
                return number
    return None


def _failure(spec: str, error: LookalikeError, field: str = "spec") -> Any:
    message = " ".join(str(error).split())
    return JSONResponse(
        {"error": f"error: {message}", "field": field, "line": error_line(spec, message)},
        status_code=400,
    )


def _checked(spec: str) -> Any:
    from lookalike.errors import SpecError

    if len(spec) > MAX_SPEC:
        raise SpecError(f"the spec is longer than {MAX_SPEC:,} characters.")
    if not spec.strip():
        raise SpecError("the spec is empty; start from the example.")
    return spec if "\n" in spec else spec + "\n"  # always read as text, never as a file name


@router.post("/api/rules/preview")
async def rules_preview(request: Request) -> Any:
    from starlette.concurrency import run_in_threadpool

    body = await request.json()
    spec = str(body.get("spec", ""))

    def work() -> Any:
        from lookalike.rules import generate
        from lookalike.ui.columns import preview

        try:
            seed = body.get("seed")
            seed = seed if isinstance(seed, int) and not isinstance(seed, bool) else None
            rows = generate(_checked(spec), PREVIEW_ROWS, random_state=seed)
        except LookalikeError as error:
            return _failure(spec, error)
        return preview(rows, PREVIEW_ROWS)

    return await run_in_threadpool(work)


@router.post("/api/rules/download")
def rules_download(
    request: Request,
    spec: str = Form(...),
    n: int = Form(1000),
    format: str = Form("csv"),
    seed: str = Form(""),
) -> Any:
    from lookalike.errors import DataError
    from lookalike.io import write_chunks
    from lookalike.rules import generate_chunks

    if format not in ("csv", "parquet"):
        return _failure(spec, DataError("choose csv or parquet."), "format")
    if not 0 < n <= MAX_ROWS:
        return _failure(
            spec, DataError(f"-n must be between 1 and {MAX_ROWS:,} rows here, got {n}."), "n"
        )
    if seed.strip() and not re.fullmatch(r"-?\d+", seed.strip()):
        return _failure(spec, DataError(f"the seed must be a whole number, got {seed!r}."), "seed")
    scratch = request.app.state.workspace.root / "scratch"
    scratch.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="rules-", dir=scratch))
    out = folder / f"fake.{format}"
    try:
        random_state = int(seed) if seed.strip() else None
        write_chunks(generate_chunks(_checked(spec), n, random_state=random_state), out)
    except LookalikeError as error:
        _remove(folder)
        return _failure(spec, error)
    return FileResponse(out, filename=f"fake.{format}", background=BackgroundTask(_remove, folder))


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
