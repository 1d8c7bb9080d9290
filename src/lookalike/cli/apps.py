"""`lookalike demo` and `lookalike ui`: the bundled example, and the local web app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lookalike._progress import set_quiet
from lookalike.cli.shared import Quiet, Seed


def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the outputs.")] = Path("out"),
    seed: Seed = 0,
    quiet: Quiet = False,
) -> None:
    """Fit the default model on the bundled diabetes table and write DIR/synthetic.csv."""
    set_quiet(quiet)
    from lookalike.demo import run_demo

    run_demo(out, seed=seed, quiet=quiet)


def ui(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback only by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace", help="Folder for uploads and results (default: a new temp folder)."
        ),
    ] = None,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", help="Largest upload, in MB.")
    ] = 200,
) -> None:
    """Start the local web app (needs `pip install 'lookalike[ui]'`); prints its address."""
    from lookalike.ui.serve import serve

    serve(host, port, open_browser=not no_browser, workspace=workspace, max_upload_mb=max_upload_mb)
