"""Start the web app: check the extra, pick the workspace, print the one line, open the browser."""

from __future__ import annotations

import ipaddress
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

from lookalike.errors import DataError, MissingDependencyError

NEEDS = ("fastapi", "uvicorn", "multipart")
LOOPBACK_NAMES = ("localhost",)


def check_installed() -> None:
    """MissingDependencyError naming the extra when FastAPI, uvicorn or python-multipart lack."""
    import importlib.util

    missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingDependencyError(
            f"the web app needs {', '.join(missing)}; install it with "
            "`pip install 'lookalike[ui]'`."
        )


def is_loopback(host: str) -> bool:
    """True for a loopback address or name (localhost, 127.x, ::1)."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> list[str]:
    """Host headers a browser sends for this address (loopback names only when bound there)."""
    names = {host, "127.0.0.1", "localhost", "[::1]"} if is_loopback(host) else {host}
    return [f"{name}:{port}" for name in sorted(names)]


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    open_browser: bool = True,
    workspace: str | Path | None = None,
    max_upload_mb: int = 200,
    any_host: bool = False,
) -> None:
    """Run the app until Ctrl-C; prints exactly one line to stdout: the address with its token."""
    check_installed()
    import uvicorn

    from lookalike.ui.app import create_app
    from lookalike.ui.workspace import Workspace

    if not 0 < port < 65536:
        raise DataError(f"--port must be between 1 and 65535, got {port}.")
    if max_upload_mb <= 0:
        raise DataError(f"--max-upload-mb must be positive, got {max_upload_mb}.")
    _check_free(host, port)
    root = Path(workspace) if workspace else Path(tempfile.mkdtemp(prefix="lookalike-ui-"))
    space = Workspace(root, upload_limit=max_upload_mb * 1024 * 1024)
    token = secrets.token_urlsafe(24)
    hosts = None if any_host or not is_loopback(host) else allowed_hosts(host, port)
    if not is_loopback(host):
        print(
            f"warning: --host {host} lets other machines on the network reach the app; anyone "
            "with the link and token can read your tables.",
            file=sys.stderr,
        )
    app = create_app(space, token, hosts=hosts)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/?token={token}"
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    _announce(server, url, open_browser)
    server.run()


def _has_desktop() -> bool:
    """False on a Linux machine without a display, where `webbrowser` could start a text browser
    in this terminal; the printed address is enough there.
    """
    import os

    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _check_free(host: str, port: int) -> None:
    """DataError now when the port is taken (uvicorn would log a traceback-like line and exit 1)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise DataError(
                f"cannot listen on {host}:{port} ({error.strerror}); choose another --port "
                "(or --host)."
            ) from None


def _announce(server: Any, url: str, open_browser: bool) -> None:
    """Print the address (and open the browser) once the socket listens."""
    startup = server.startup

    async def started(*args: Any, **kwargs: Any) -> None:
        await startup(*args, **kwargs)
        if not server.started:
            return
        print(url, flush=True)
        if open_browser and _has_desktop():
            import webbrowser

            webbrowser.open(url)

    server.startup = started
