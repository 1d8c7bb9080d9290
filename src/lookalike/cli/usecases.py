"""`lookalike balance`, `augment` and `anomalies`: real tables with synthetic rows added."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lookalike._progress import set_quiet
from lookalike.cli.shared import (
    TABLE,
    Check,
    MetadataOpt,
    RealTable,
    Seed,
    TableOutput,
    Written,
    writes_output,
)
from lookalike.models import DEFAULT_MODEL


@writes_output()
def balance(
    data: RealTable,
    target: Annotated[str, typer.Option("--target", "-t", help="The class column.")],
    output: TableOutput,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            "-m",
            help="smote, borderline-smote, adasyn, or a model name (sampled per class).",
        ),
    ] = "smote",
    ratio: Annotated[
        float, typer.Option("--ratio", help="Minority size wanted, as a share of the majority.")
    ] = 1.0,
    k_neighbors: Annotated[
        int, typer.Option("--k-neighbors", help="Neighbours for the SMOTE family.")
    ] = 5,
    check: Annotated[
        bool, typer.Option("--check", help="Print precision/recall/F1/PR-AUC before and after.")
    ] = False,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write that check as .json or .html.")
    ] = None,
    metadata: MetadataOpt = None,
    seed: Seed = None,
    *,
    written: Written,
) -> None:
    """Add synthetic rows of the minority classes of TARGET until each has RATIO x the majority."""
    set_quiet(written.quiet)
    from lookalike.table_jobs import balance_file

    done = balance_file(
        data,
        output,
        target=target,
        method=method,
        ratio=ratio,
        k_neighbors=k_neighbors,
        check=check,
        report=report,
        metadata=metadata,
        seed=seed,
        allow_formulas=written.allow_formulas,
    )
    written.finish(output, "balance", seed, done)


@writes_output()
def augment(
    data: RealTable,
    target: Annotated[str, typer.Option("--target", "-t", help="The column to predict.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output: real + synthetic rows.")],
    model: Annotated[str, typer.Option("--model", "-m", help="Model to fit.")] = DEFAULT_MODEL,
    rows: Annotated[
        int | None, typer.Option("--rows", "-n", help="Synthetic rows (default: as many as real).")
    ] = None,
    check: Check = False,
    metadata: MetadataOpt = None,
    seed: Seed = None,
    *,
    written: Written,
) -> None:
    """Write the real rows plus synthetic ones; --check says whether they help predict TARGET."""
    set_quiet(written.quiet)
    from lookalike.table_jobs import augment_file

    done = augment_file(
        data,
        output,
        target=target,
        model=model,
        rows=rows,
        check=check,
        metadata=metadata,
        seed=seed,
        allow_formulas=written.allow_formulas,
    )
    written.finish(output, "augment", seed, done)


@writes_output()
def anomalies(
    data: Annotated[str, typer.Argument(help=f"The real table (normal rows): {TABLE}.")],
    rows: Annotated[int, typer.Option("-n", "--rows", help="Rows to write in all.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output .csv, .parquet or URL.")],
    kinds: Annotated[
        str, typer.Option("--kinds", help="Comma list of: global, local, contextual, cluster.")
    ] = "global,local,contextual,cluster",
    share: Annotated[float, typer.Option("--share", help="Share of anomalous rows.")] = 0.05,
    model: Annotated[str, typer.Option("--model", "-m", help="Model for normal rows.")] = (
        DEFAULT_MODEL
    ),
    metadata: MetadataOpt = None,
    seed: Seed = None,
    *,
    written: Written,
) -> None:
    """Lookalike normal rows mixed with labelled anomalies; the `anomaly` column names the kind."""
    set_quiet(written.quiet)
    from lookalike.table_jobs import anomalies_file

    done = anomalies_file(
        data,
        output,
        rows=rows,
        kinds=kinds,
        share=share,
        model=model,
        metadata=metadata,
        seed=seed,
        allow_formulas=written.allow_formulas,
    )
    written.finish(output, "anomalies", seed, done)
