"""`lookalike inspect` and `lookalike models`: what a table holds, which models there are."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lookalike.cli.shared import TABLE, _echo


def inspect(
    data: Annotated[str, typer.Argument(help=f"A table: {TABLE}.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the metadata JSON here.")
    ] = None,
) -> None:
    """Show the detected column kinds of DATA as a table; optionally save them as JSON.

    DATA may also be a folder of tables or a database URL without ?table=: then the tables,
    their keys, orphans and column kinds are shown, and -o writes the schema JSON.
    """
    from lookalike.verbs import inspect_source

    for line in inspect_source(data, output):
        _echo(line)


def models(
    params: Annotated[
        str | None,
        typer.Option("--params", metavar="NAME", help="List one model's parameters and defaults."),
    ] = None,
) -> None:
    """List the registered models, one line each (or one model's parameters)."""
    from lookalike.verbs import model_lines

    for line in model_lines(params):
        _echo(line)
