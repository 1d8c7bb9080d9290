"""`lookalike generate`, `spec` and `anonymize`: tables from rules, and real tables made safe."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lookalike._progress import set_quiet
from lookalike.cli.shared import (
    TABLE,
    MetadataOpt,
    RealTable,
    Seed,
    TableOutput,
    Written,
    _echo,
    writes_output,
)


@writes_output()
def generate(
    spec: Annotated[Path, typer.Argument(help="A rules spec: .yaml, .yml or .json.")],
    n: Annotated[
        int | None, typer.Option("-n", "--rows", help="Rows to make (default: rows in the spec).")
    ] = None,
    output: TableOutput = "fake.csv",
    seed: Seed = None,
    *,
    written: Written,
) -> None:
    """Make a fake table from the rules in SPEC, streaming it in chunks; a learned: block in
    SPEC names a fitted model that draws some columns given the rule columns.
    """
    set_quiet(written.quiet)
    from lookalike.table_jobs import generate_file

    done = generate_file(spec, output, n=n, seed=seed, allow_formulas=written.allow_formulas)
    written.finish(output, "generate", seed, done)


def spec(
    data: Annotated[str, typer.Argument(help=f"A real table: {TABLE}.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Spec to write: .yaml or .json.")],
    metadata: MetadataOpt = None,
) -> None:
    """Write a rules spec describing DATA (kinds, marginals, PII as fakes) to edit and generate."""
    from lookalike.table_jobs import spec_file

    _echo(spec_file(data, output, metadata=metadata))


@writes_output()
def anonymize(
    data: RealTable,
    output: TableOutput,
    metadata: MetadataOpt = None,
    seed: Seed = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Allow OUTPUT to be DATA: replace the real table.")
    ] = False,
    secret: Annotated[
        str | None,
        typer.Option(
            "--secret",
            envvar="LOOKALIKE_SECRET",
            help="Key of the pseudonyms (or env LOOKALIKE_SECRET); same key, same pseudonyms.",
        ),
    ] = None,
    *,
    written: Written,
) -> None:
    """Replace the PII columns of DATA by consistent keyed fakes; all other values are kept."""
    from lookalike.table_jobs import anonymize_file

    done = anonymize_file(
        data,
        output,
        metadata=metadata,
        seed=seed,
        secret=secret,
        in_place=in_place,
        allow_formulas=written.allow_formulas,
    )
    written.finish(output, "anonymize", seed, done)
