"""The FastAPI application: the token gate, the six pages, and the JSON routes (ui.api).

Every request needs the server's token: as `?token=` once (the answer sets an HttpOnly,
SameSite=Strict cookie and redirects to the same page without it), then the cookie, or the
`X-Lookalike-Token` header. Anything else gets 403. When `hosts` is given, requests naming
another Host are refused too (a page on another site cannot reach the app through DNS tricks).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from lookalike.ui.jobs import Jobs
from lookalike.ui.workspace import Workspace

COOKIE = "lookalike_token"
HEADER = "x-lookalike-token"
HERE = Path(__file__).parent
# Everything comes from this app: no other site is ever asked for a script, a style or a font.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'self'; "
    "form-action 'self'; base-uri 'none'"
)
STEPS = [  # (page, title shown in the step bar)
    ("data", "1 Data"),
    ("model", "2 Model"),
    ("train", "3 Train"),
    ("review", "4 Review"),
    ("download", "5 Download"),
]


def create_app(
    workspace: Workspace, token: str, *, hosts: list[str] | None = None, jobs: Jobs | None = None
) -> Any:
    """The app for one workspace and token (tests pass their own; `lookalike ui` makes both)."""
    from lookalike._version import __version__
    from lookalike.ui import api, linked, pages, rules

    app = FastAPI(title="lookalike", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.workspace = workspace
    app.state.jobs = jobs or Jobs()
    app.state.token = token
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    @app.middleware("http")
    async def gate(request: Request, call_next: Any) -> Any:
        if hosts is not None and request.headers.get("host", "") not in hosts:
            return PlainTextResponse("forbidden: unknown Host header.", status_code=403)
        given = request.query_params.get("token")
        if given is not None:
            if not secrets.compare_digest(given, token):
                return _refused()
            plain = request.url.remove_query_params("token")
            response = RedirectResponse(plain.path + (f"?{plain.query}" if plain.query else ""))
            response.set_cookie(
                COOKIE, token, httponly=True, samesite="strict", path="/", secure=False
            )
            return response
        sent = request.cookies.get(COOKIE) or request.headers.get(HEADER) or ""
        if not secrets.compare_digest(sent, token):
            return _refused()
        response = await call_next(request)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(rules.router)
    app.include_router(linked.router)

    def page(request: Request, name: str, project: Any = None, **extra: Any) -> Any:
        context = {"project": project, "steps": STEPS, "page": name, "version": __version__}
        template = name
        if project is not None and linked.is_linked(project):  # linked tables: their own pages
            template = linked.TEMPLATES.get(name, name)
        return templates.TemplateResponse(request, f"{template}.html", {**context, **extra})

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Any:
        return page(request, "data", None, projects=workspace.projects()[:10])

    @app.get("/rules", response_class=HTMLResponse)
    def rules_page(request: Request) -> Any:
        return page(request, "rules", None, example=rules.EXAMPLE)

    @app.get("/p/{project_id}/{name}", response_class=HTMLResponse)
    def project_page(request: Request, project_id: str, name: str) -> Any:
        from lookalike.errors import DataError

        if name not in {step for step, _ in STEPS}:
            return PlainTextResponse("no such page.", status_code=404)
        try:
            project = workspace.project(project_id)
        except DataError:
            return RedirectResponse("/")
        about = linked if linked.is_linked(project) else pages
        return page(request, name, project, **about.page_context(project, name))

    return app


def _refused() -> Any:
    return HTMLResponse(
        "<!doctype html><title>lookalike: refused</title><h1>Refused</h1>"
        "<p>This address needs the link with its token that <code>lookalike ui</code> printed "
        "when it started. Open that link (or start the app again for a new one).</p>",
        status_code=403,
    )
