"""What the verb modules share: printing (URLs masked), the provenance card, and each typer
option that several verbs take, defined once (as `Annotated` aliases, or `writes_output` for the
options of every verb that writes a table).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from lookalike.masking import mask_url
from lookalike.table_jobs import TableJob

TABLE = ".csv, .parquet or a database URL (sqlite:///x.db?table=NAME)"


def _echo(message: str, err: bool = False) -> None:
    """Every line the command prints goes through here: URLs have their passwords masked."""
    typer.echo(mask_url(message), err=err)


def _say(message: str, quiet: bool = False) -> None:
    """A line on stderr that --quiet hides (summaries, notes)."""
    if not quiet:
        _echo(message, err=True)


def _expires(value: str | None) -> str | None:
    from lookalike.records import parse_expires

    return parse_expires(value, allow_past=False)  # checked before any work starts


def _purpose(value: str | None) -> str | None:
    from lookalike.records import clean_purpose

    return clean_purpose(value)


RealTable = Annotated[str, typer.Argument(help=f"The real table: {TABLE}.")]
TableOutput = Annotated[
    str, typer.Option("--output", "-o", help="Output .csv, .parquet or a database URL.")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or summaries.")]
Seed = Annotated[int | None, typer.Option("--seed", help="Seed: same seed, same output.")]
MetadataOpt = Annotated[
    Path | None,
    typer.Option(
        "--metadata",
        help="Metadata JSON (from `lookalike inspect -o`) to override detected column kinds.",
    ),
]
Check = Annotated[
    bool, typer.Option("--check", help="Measure on held-out real rows whether it helps.")
]
AllowFormulas = Annotated[
    bool,
    typer.Option(
        "--allow-formulas",
        help="Write CSV text cells starting with = + - @ as they are (by default they get a ' "
        "prefix so spreadsheets do not run them as formulas).",
    ),
]
Purpose = Annotated[
    str | None,
    typer.Option("--purpose", callback=_purpose, help="What the output is for (kept in its card)."),
]
Expires = Annotated[
    str | None,
    typer.Option(
        "--expires", callback=_expires, help="Delete-by date YYYY-MM-DD (kept in its card)."
    ),
]
Records = Annotated[
    Path | None,
    typer.Option("--records", help="Folder for the provenance card of a database output."),
]


@dataclass(frozen=True)
class Written:
    """The options of a verb that writes a table (`writes_output`), and its card."""

    allow_formulas: bool = False
    purpose: str | None = None
    expires: str | None = None
    records: Path | None = None
    quiet: bool = False

    def say(self, message: str) -> None:
        """A line on stderr unless --quiet."""
        _say(message, self.quiet)

    def finish(self, output: Any, command: str, seed: int | None, job: TableJob) -> None:
        """Show what a table job did (a --check result, its table, its summary); write its card."""
        if job.report:
            _echo(job.report)
        for line in [] if self.quiet else job.details:
            _echo(line)
        self.say(job.summary)
        self.card(output, command, job.rows, seed, job.facts)

    def card(
        self, output: Any, command: str, rows: dict[str, int], seed: int | None, facts: Any
    ) -> None:
        """Write OUTPUT's provenance card (lookalike.records.write_card) and say where."""
        from lookalike.records import write_card

        path = write_card(
            output,
            command=command,
            rows=rows,
            seed=seed,
            purpose=self.purpose,
            expires=self.expires,
            records=self.records,
            **facts,
        )
        self.say(
            f"wrote card {path}"
            if path
            else "note: no card: give --records DIR for a database output"
        )


# the options `writes_output` adds, in the order --help lists them (after the verb's own)
_WRITTEN: list[tuple[str, Any, Any]] = [
    ("allow_formulas", AllowFormulas, False),
    ("purpose", Purpose, None),
    ("expires", Expires, None),
    ("records", Records, None),
    ("quiet", Quiet, False),
]


def writes_output(*, records: bool = True) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a verb the options of every verb that writes a table (--allow-formulas, --purpose,
    --expires, --records unless `records=False`, --quiet), handed to it as `written: Written`.
    """
    added = [row for row in _WRITTEN if records or row[0] != "records"]

    def decorate(verb: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(verb, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "written"]
        extra = [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind
            )
            for name, kind, default in added
        ]

        @functools.wraps(verb)
        def run(*args: Any, **kwargs: Any) -> None:
            given = {name: kwargs.pop(name) for name, _, _ in added if name in kwargs}
            verb(*args, written=Written(**given), **kwargs)

        parameters = own + extra
        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters}
        return run

    return decorate
