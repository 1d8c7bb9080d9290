"""`lookalike ui`: the one printed line, the token, loopback by default, the missing extra."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lookalike.ui.serve import allowed_hosts, is_loopback
from tests.ui.conftest import _free_port


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert "localhost:8765" in allowed_hosts("127.0.0.1", 8765)
    assert allowed_hosts("10.0.0.2", 80) == ["10.0.0.2:80"]


def _ui(*args: str, tmp_path: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    command = [sys.executable, "-m", "lookalike.cli", "ui", "--no-browser", *args]
    command += ["--workspace", str(tmp_path / "ws")]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )


def test_prints_one_line_and_needs_its_token(tmp_path: Path) -> None:
    port = _free_port()
    process = _ui("--port", str(port), tmp_path=tmp_path)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith(f"http://127.0.0.1:{port}/?token=")
        token = line.split("?token=")[1]
        assert len(token) >= 32
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(line) as page:  # the token link sets a cookie and drops the token
            assert page.status == 200 and page.url == line.split("?")[0]
            assert b"Your table" in page.read()
        for url in (line.split("?")[0], line.split("?")[0] + "?token=" + "x" * len(token)):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url)
            assert refused.value.code == 403
            refused.value.close()
    finally:
        process.terminate()
        out, err = process.communicate(timeout=10)
    assert out == "" and "warning" not in err  # nothing more on stdout; loopback: no warning


def test_wider_host_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    from lookalike.ui.serve import serve

    monkeypatch.setattr(uvicorn.Server, "run", lambda self: None)  # everything but listening
    serve("0.0.0.0", _free_port(), open_browser=False, workspace=tmp_path)
    assert capsys.readouterr().err.startswith(
        "warning: --host 0.0.0.0 lets other machines on the network reach the app"
    )
    serve("127.0.0.1", _free_port(), open_browser=False, workspace=tmp_path)
    assert capsys.readouterr().err == ""


def test_without_the_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    from lookalike import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a)
    )
    monkeypatch.setattr(sys, "argv", ["lookalike", "ui", "--no-browser"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err == "error: the web app needs fastapi; install it with `pip install 'lookalike[ui]'`."


def test_bad_port(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from lookalike import cli

    monkeypatch.setattr(sys, "argv", ["lookalike", "ui", "--no-browser", "--port", "70000"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 2
    assert (
        capsys.readouterr().err.strip() == "error: --port must be between 1 and 65535, got 70000."
    )


def test_port_in_use(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from lookalike import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(sys, "argv", ["lookalike", "ui", "--no-browser", "--port", str(port)])
        with pytest.raises(SystemExit) as done:
            cli.main()
    assert done.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port} (") and "--port" in err
