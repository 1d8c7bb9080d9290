"""What the `lookalike` verbs do with linked tables (a folder or a multi-table database URL).

`lookalike.verbs` calls these for `inspect`, `fit`, `sample` and `evaluate` when their input
is a folder, a database URL without `?table=`, or a linked-tables model file.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import typer

from lookalike.errors import DataError
from lookalike.io.sql import mask_url
from lookalike.linked.io import detect_schema, is_linked_source, read_tables, write_tables
from lookalike.linked.schema import Schema

__all__ = ["evaluate_linked", "fit_linked", "inspect_linked", "is_linked_source", "sample_linked"]


def _say(message: str, quiet: bool) -> None:
    if not quiet:
        typer.echo(message, err=True)


def inspect_linked(source: str, output: Path | None) -> None:
    """Print tables, keys, order columns, orphans and column kinds; optionally write the JSON."""
    from lookalike.linked.summary import describe

    tables = read_tables(source)
    found = describe(detect_schema(source, tables), tables)
    typer.echo(f"{mask_url(str(source))}: {len(tables)} tables")
    for table in found["tables"]:
        typer.echo(f"\n{table['name']}: {table['rows']} rows x {table['columns']} columns")
        typer.echo(f"  primary key: {', '.join(table['primary_key']) or '(none)'}")
        if table["order_by"]:
            typer.echo(f"  ordered by: {table['order_by']} (within each parent)")
        for label in table["foreign_keys"]:
            typer.echo(f"  foreign key: {label}")
        typer.echo("  " + str(table["metadata"]).replace("\n", "\n  "))
    if found["unrelated"]:
        typer.echo(f"\nnot linked to any other table: {', '.join(found['unrelated'])}")
    for note in found["notes"]:
        typer.echo(f"note: {note}")
    if output is not None:
        found["schema"].to_json(output)
        typer.echo(f"wrote {output} (edit it and pass it to `lookalike fit --schema`)")


def fit_linked(
    source: str,
    output: Path,
    *,
    schema_path: Path | None,
    model: str,
    params: dict[str, Any],
    seed: int | None,
    quiet: bool,
) -> None:
    """Fit a LinkedModel on every table of SOURCE and save it as one model file."""
    from lookalike.linked.model import LinkedModel

    start = time.perf_counter()
    tables = read_tables(source)
    schema = (
        Schema.from_json(schema_path) if schema_path is not None else detect_schema(source, tables)
    )
    fitted = LinkedModel(schema, model=model, params=params, random_state=seed).fit(tables)
    fitted.save(output)
    rows = sum(len(t) for t in tables.values())
    _say(
        f"fitted {model} on {len(tables)} linked tables ({rows:,} rows) in "
        f"{time.perf_counter() - start:.1f} s; wrote {output}",
        quiet,
    )


def sample_linked(
    fitted: Any,
    output: str,
    *,
    scale: float | None,
    seed: int | None,
    conditions: dict[str, Any],
    quiet: bool,
) -> None:
    """Sample a whole synthetic set of tables and write it to a folder or a database."""
    start = time.perf_counter()
    by_table: dict[str, dict[str, Any]] = {}
    for key, value in conditions.items():
        table, dot, column = key.partition(".")
        if not dot:
            raise DataError(f"--where {key!r}: name the table too, e.g. players.{key}=VALUE.")
        by_table.setdefault(table, {})[column] = value
    from lookalike.linked.sampling import check_conditions, iter_sample

    check_conditions(fitted, by_table)  # before any output is made

    scale = 1.0 if scale is None else scale
    chunks = iter_sample(fitted, scale, seed, by_table or None)  # tables stream to the files
    suffix = ".parquet" if str(output).endswith("parquet") else ".csv"
    written = write_tables(chunks, output, fitted.schema_, suffix=suffix)
    rows = ", ".join(f"{name} {count:,}" for name, count in written.items())
    _say(
        f"wrote {rows} rows to {mask_url(str(output))} in {time.perf_counter() - start:.1f} s",
        quiet,
    )


def evaluate_linked(
    real: str, synthetic: str, *, holdout: str | None, seed: int, schema_path: Path | None = None
) -> Any:
    """Score a synthetic set of tables against the real one: a LinkedReport."""
    from lookalike.linked.evaluate import evaluate_tables

    if not is_linked_source(synthetic):
        raise DataError(
            f"{synthetic} is not a folder or database of tables; give the synthetic "
            "tables in the same form as the real ones."
        )
    real_tables = read_tables(real)
    schema = (
        Schema.from_json(schema_path)
        if schema_path is not None
        else detect_schema(real, real_tables)
    )
    return evaluate_tables(
        real_tables,
        read_tables(synthetic),
        schema,
        holdout=read_tables(holdout) if holdout else None,
        random_state=seed,
    )
