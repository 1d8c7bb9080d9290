"""Fixtures of the web-app tests: an app on a temp workspace (API tests) and a real server on a
free loopback port driven by Debian's Chromium through Playwright (browser tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web app needs the ui extra")

from lookalike.ui.app import COOKIE, create_app
from lookalike.ui.workspace import Workspace
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

DEMO = Path(__file__).parents[2] / "src" / "lookalike" / "data" / "diabetes.csv"
TOKEN = "test-token"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[Any]:
    """A TestClient holding the token cookie, on an app with a fresh workspace."""
    from fastapi.testclient import TestClient

    app = create_app(Workspace(tmp_path / "ws", upload_limit=2 * 1024 * 1024), TOKEN)
    with TestClient(app) as test_client:
        test_client.cookies.set(COOKIE, TOKEN)
        yield test_client
    app.state.jobs.close()


def upload_demo(client: Any) -> str:
    with DEMO.open("rb") as handle:
        answer = client.post("/api/upload?name=diabetes.csv", content=handle.read())
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def wait_job(client: Any, job_id: str, seconds: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] not in ("queued", "running"):
            return dict(job)
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still running after {seconds} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`lookalike ui --no-browser` on a free loopback port; yields the printed address."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    command = [sys.executable, "-m", "lookalike.cli", "ui", "--no-browser", "--port", str(port)]
    folder = tmp_path_factory.mktemp("ui")
    command += ["--workspace", str(folder / "ws")]
    with (folder / "stderr.txt").open("wb") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, env=env)
    assert process.stdout is not None
    try:
        line = process.stdout.readline().decode().strip()
        errors = (folder / "stderr.txt").read_text(errors="replace")
        assert line.startswith(f"http://127.0.0.1:{port}/?token="), (line, errors)
        yield line
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless; skipped without it (failed under CI=true)."""
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright (python) is not installed"
    if missing is None and not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} is missing (apt-get install chromium)"
    if missing is not None:
        if in_ci():
            pytest.fail(f"CI needs the browser tests: {missing} (see .ci/run).")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: str) -> Any:
    # Playwright's wait_for_function evaluates strings, which the app's CSP (no eval) forbids
    context = browser.new_context(accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(server)
    yield page
    context.close()
