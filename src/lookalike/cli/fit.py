"""`lookalike fit` and `lookalike sample`: learn a model file from a table, then sample it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lookalike._progress import set_quiet
from lookalike.cli.shared import (
    TABLE,
    MetadataOpt,
    Quiet,
    Seed,
    Written,
    _echo,
    _say,
    writes_output,
)
from lookalike.models import DEFAULT_MODEL


def fit(
    data: Annotated[str, typer.Argument(help=f"The real table: {TABLE}.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model file to write.")],
    model: Annotated[
        str, typer.Option("--model", "-m", help="A name from `lookalike models`.")
    ] = DEFAULT_MODEL,
    metadata: MetadataOpt = None,
    schema: Annotated[
        Path | None,
        typer.Option("--schema", help="Linked tables: schema JSON from `lookalike inspect -o`."),
    ] = None,
    seed: Seed = None,
    epochs: Annotated[int | None, typer.Option(help="Training epochs (neural models).")] = None,
    max_time: Annotated[
        float | None, typer.Option("--max-time", help="Stop training after this many seconds.")
    ] = None,
    sample_rows: Annotated[
        int | None,
        typer.Option(
            "--sample-rows",
            help="Fit on a uniform random sample of this many rows, read in one streaming pass "
            "(default: 200000 when the table is larger, else the whole table).",
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="A model parameter as KEY=VALUE, repeatable (e.g. -p epsilon=1.0 -p "
            "min_leaf=20); `lookalike models --params NAME` lists them.",
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option("--where", help='Fit only on rows meeting this, e.g. "Class=1" (repeatable).'),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Fit a model on DATA and save it to OUTPUT (a .lookalike file); DATA may be a folder of
    linked tables or a database URL without ?table= (one model file for all the tables).
    """
    set_quiet(quiet)
    from lookalike.verbs import fit_source

    done = fit_source(
        data,
        output,
        model=model,
        metadata=metadata,
        schema=schema,
        seed=seed,
        epochs=epochs,
        max_time=max_time,
        sample_rows=sample_rows,
        params=param or [],
        where=where or [],
        quiet=quiet,
        say=lambda note: _say(note, quiet),
    )
    for note in done.warnings:
        _echo(note, err=True)  # warnings show also with --quiet
    if done.interrupted:  # the model trained so far is saved; still exit 130 for the Ctrl-C
        raise KeyboardInterrupt
    if done.summary:
        _say(done.summary, quiet)


@writes_output()
def sample(
    model_file: Annotated[Path, typer.Argument(metavar="MODEL", help="A fitted model file.")],
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Output .csv, .parquet or database URL (...?table=NAME); with --engine dask, "
            "a folder of Parquet parts.",
        ),
    ],
    n: Annotated[
        int | None,
        typer.Option(
            "-n",
            "--rows",
            help="Number of rows to write (a sequence model: sequences, or the "
            "rows of its one series).",
        ),
    ] = None,
    seed: Seed = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help='Condition such as "Class=1", "age>=60" or "age<70" (> and < are strict, '
            ">= and <= inclusive); repeatable, all must hold.",
        ),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="local (a process pool on this machine) or dask.")
    ] = "local",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", help="Worker processes (default: all cores; dask: LocalCluster size 2)."
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (--engine dask)."
        ),
    ] = None,
    scale: Annotated[
        float | None,
        typer.Option("--scale", help="Linked tables: parent rows as a multiple of the real ones."),
    ] = None,
    *,
    written: Written,
) -> None:
    """Sample N rows from a fitted MODEL and write them to OUTPUT, streaming in chunks (a
    linked-tables model: --scale S and OUTPUT a folder or a database URL).
    """
    set_quiet(written.quiet)
    from lookalike.verbs import sample_source

    done = sample_source(
        model_file,
        output,
        n=n,
        scale=scale,
        seed=seed,
        where=where or [],
        quiet=written.quiet,
        engine=engine,
        workers=workers,
        scheduler=scheduler,
        allow_formulas=written.allow_formulas,
    )
    if done.summary:
        written.say(done.summary)
    if done.rows is not None:
        written.card(output, "sample", done.rows, seed, done.facts)
