"""The `lookalike` command: the typer `app`, its root options and `main`, the entry point.

Each verb is a few lines in the module of its group, over a library function (`jobs`,
`table_jobs`, `verbs`, ...); they are registered below in the order `lookalike --help` lists them:

    apps       demo, ui            the bundled example, the local web app
    data       inspect, models     what a table holds, which models there are
    fit        fit, sample         learn a model file, sample it
    evaluate   evaluate, bench, records
    rules      generate, spec, anonymize
    usecases   balance, augment, anomalies
    shared     printing (URLs masked), the card, the typer options several verbs take
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Annotated, Any

import typer

from lookalike.cli import apps, data, evaluate, fit, rules, usecases
from lookalike.cli.shared import _echo
from lookalike.where import parse_where as parse_where  # its old home; scripts import it here

__all__ = ["app", "main", "parse_where"]

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Fit, sample and check synthetic tabular data.",
)

# the verbs, in the order --help lists them
VERBS = (
    apps.demo,
    data.inspect,
    data.models,
    fit.fit,
    fit.sample,
    evaluate.evaluate,
    rules.generate,
    rules.spec,
    rules.anonymize,
    usecases.balance,
    usecases.augment,
    usecases.anomalies,
    evaluate.bench,
    evaluate.records,
    apps.ui,
)
for _verb in VERBS:
    app.command()(_verb)


def _version(value: bool) -> None:
    if value:
        from lookalike._version import __version__

        _echo(f"lookalike {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Fit, sample and check synthetic tabular data."""


_PYTHON_SHOWWARNING = warnings.showwarning


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    """DataWarnings (a guess about the input) as one `warning:` line; others as Python does."""
    from lookalike.errors import DataWarning

    if issubclass(category, DataWarning):
        typer.echo(f"warning: {' '.join(str(message).split())}", err=True)
    else:
        _PYTHON_SHOWWARNING(message, category, *args, **kwargs)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: one `error:` line and exit 2 for any mistake; bugs exit 1 (lookalike.exits)."""
    from lookalike.exits import run
    from lookalike.scale.child_processes import end_after_stopped_pool, pools_stopped

    warnings.showwarning = _show_warning
    stopped = pools_stopped()
    code = run(app, argv)
    end_after_stopped_pool(code, stopped)  # a killed pool: end now, not in a hanging exit hook
    raise SystemExit(code)
