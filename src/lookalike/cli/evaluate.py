"""`lookalike evaluate`, `bench` and `records`: score outputs, rank models, list their cards."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from lookalike._progress import set_quiet
from lookalike.cli.shared import TABLE, MetadataOpt, Quiet, RealTable, _echo, _say
from lookalike.errors import DataError


def evaluate(
    real: Annotated[
        str,
        typer.Argument(metavar="REAL", help=f"The real (training) table: {TABLE}."),
    ],
    synthetic: Annotated[
        list[str],
        typer.Argument(
            metavar="SYNTH...", help="The synthetic table(s), same columns; several are compared."
        ),
    ],
    holdout: Annotated[
        str | None,
        typer.Option("--holdout", help="Real rows the generator never saw (for privacy, utility)."),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Column to predict for the utility scores.")
    ] = None,
    metadata: MetadataOpt = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the scores here (scores.json).")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the HTML report here (report.html).")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed for samples, splits and models.")] = 0,
    labels: Annotated[
        str | None,
        typer.Option("--labels", help="Names of the SYNTH tables, comma-separated: a,b,..."),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help='Compare with this real subgroup only, e.g. "Outcome=1 and Age>=50" (default: '
            "the conditions SYNTH was drawn for, from its card).",
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Score how real and how safe SYNTH is against REAL; print a score table.

    Several SYNTH (with --labels) are compared side by side; REAL and SYNTH may be folders or
    databases of linked tables.
    """
    set_quiet(quiet)
    from lookalike.verbs import evaluate_sources

    start = time.perf_counter()
    result = evaluate_sources(
        real,
        synthetic,
        holdout=holdout,
        target=target,
        metadata=metadata,
        seed=seed,
        labels=labels,
        json_path=json_path,
        report=report,
        where=where,
    )
    _echo(str(result))
    for note in result.notes:
        _say(f"note: {note}", quiet and not note.startswith("warning:"))  # warnings always
    written = [str(p) for p in (json_path, report) if p is not None]
    _say(
        f"evaluated in {time.perf_counter() - start:.1f} s"
        + (f"; wrote {', '.join(written)}" if written else ""),
        quiet,
    )


def bench(
    data: RealTable,
    target: Annotated[str, typer.Option("--target", "-t", help="Column to predict (utility).")],
    models: Annotated[
        str | None,
        typer.Option("--models", help="Comma-separated model names (default: the fast ones)."),
    ] = None,
    time_budget: Annotated[
        float, typer.Option("--time-budget", help="Seconds of training per model.")
    ] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the split and the models.")] = 0,
    report_path: Annotated[
        Path | None,
        typer.Option("--report", help="Also write the models side by side as one HTML report."),
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the ranked leaderboard as JSON.")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Fit several models on 80% of DATA and rank them on the other 20% by fidelity and privacy
    together (a near-copy ranks low); each model's `why` says what placed it there.
    """
    set_quiet(True)  # one line per model instead of nested progress bars
    from lookalike.table_jobs import bench_file

    _echo(
        bench_file(
            data,
            target,
            models,
            time_budget=time_budget,
            seed=seed,
            report=report_path,
            json_path=json_path,
            say=lambda line: _say(line, quiet),
        )
    )
    for written in (report_path, json_path):
        if written is not None:
            _say(f"wrote {written}", quiet)


def records(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder to search for cards.")
    ] = Path("."),
    expired: Annotated[
        bool, typer.Option("--expired", help="Only outputs past --expires.")
    ] = False,
    delete: Annotated[
        bool, typer.Option("--delete", help="With --expired: remove those outputs and cards.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Delete without asking.")] = False,
) -> None:
    """List the provenance cards under FOLDER: purpose, age, expiry, privacy verdict."""
    from lookalike.record_list import delete_records, list_records

    if delete and not expired:
        raise DataError("--delete removes expired outputs only; add --expired.")
    shown, problems, text = list_records(folder, expired=expired)
    for problem in problems:
        _say(f"note: {problem}")
    _echo(text)
    if not (delete and shown):
        return
    if not yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise DataError("--delete asks for confirmation; no terminal to ask: pass --yes.")
        typer.confirm(f"delete these {len(shown)} output(s) and their cards?", abort=True)
    for line in delete_records(shown):
        _echo(line)
