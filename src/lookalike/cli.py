"""The `lookalike` command: a few lines per verb over the Python API."""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from lookalike._progress import set_quiet
from lookalike.errors import DataError
from lookalike.jobs import read_metadata, refuse_overwriting
from lookalike.masking import mask_url
from lookalike.models import DEFAULT_MODEL
from lookalike.values import check_whole
from lookalike.where import parse_where as parse_where  # its old home; scripts import it here

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Fit, sample and check synthetic tabular data.",
)

_TABLE = ".csv, .parquet or a database URL (sqlite:///x.db?table=NAME)"
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or summaries.")]
Seed = Annotated[int | None, typer.Option("--seed", help="Seed: same seed, same output.")]
AllowFormulas = Annotated[
    bool,
    typer.Option(
        "--allow-formulas",
        help="Write CSV text cells starting with = + - @ as they are (by default they get a ' "
        "prefix so spreadsheets do not run them as formulas).",
    ),
]
MetadataOpt = Annotated[
    Path | None,
    typer.Option(
        "--metadata",
        help="Metadata JSON (from `lookalike inspect -o`) to override detected column kinds.",
    ),
]


def _echo(message: str, err: bool = False) -> None:
    """Every line the command prints goes through here: URLs have their passwords masked."""
    typer.echo(mask_url(message), err=err)


def _expires(value: str | None) -> str | None:
    from lookalike.records import parse_expires

    return parse_expires(value, allow_past=False)  # checked before any work starts


def _purpose(value: str | None) -> str | None:
    from lookalike.records import clean_purpose

    return clean_purpose(value)


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


def _card(
    output: Any,
    command: str,
    rows: dict[str, int],
    seed: int | None,
    facts: dict[str, Any],
    purpose: str | None,
    expires: str | None,
    records: Path | None,
    quiet: bool,
) -> None:
    """Write OUTPUT's provenance card (lookalike.records.write_card) and say where."""
    from lookalike.records import write_card

    path = write_card(
        output,
        command=command,
        rows=rows,
        seed=seed,
        purpose=purpose,
        expires=expires,
        records=records,
        **facts,
    )
    _say(
        f"wrote card {path}" if path else "note: no card: give --records DIR for a database output",
        quiet,
    )


def _say(message: str, quiet: bool = False) -> None:
    if not quiet:
        _echo(message, err=True)


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


# ---------------------------------------------------------------------- demo
@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the outputs.")] = Path("out"),
    seed: Seed = 0,
    quiet: Quiet = False,
) -> None:
    """Fit the default model on the bundled diabetes table and write DIR/synthetic.csv."""
    set_quiet(quiet)
    from lookalike.demo import run_demo

    run_demo(out, seed=seed, quiet=quiet)


# ---------------------------------------------------------------------- inspect
@app.command()
def inspect(
    data: Annotated[str, typer.Argument(help=f"A table: {_TABLE}.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Also write the metadata JSON here.")
    ] = None,
) -> None:
    """Show the detected column kinds of DATA as a table; optionally save them as JSON.

    DATA may also be a folder of tables or a database URL without ?table=: then the tables,
    their keys, orphans and column kinds are shown, and -o writes the schema JSON.
    """
    from lookalike.linked.io import is_linked_source

    if is_linked_source(data):  # linked tables
        from lookalike.linked.cli import inspect_linked

        return inspect_linked(data, output)
    from lookalike.io.files import read_table
    from lookalike.metadata import Metadata

    if output is not None:
        refuse_overwriting([data], output)
    frame = read_table(data)
    metadata = Metadata.detect(frame)
    _echo(f"{data}: {len(frame)} rows x {frame.shape[1]} columns")
    _echo(str(metadata))
    from lookalike.constraints import suggest

    metadata.suggested_constraints = suggest(frame, metadata)
    if metadata.suggested_constraints:
        _echo('\nLikely constraints (not applied; move them to "constraints" to use them):')
        for spec in metadata.suggested_constraints:
            _echo(f"  - {spec['note']}")
    from lookalike.sequences.suggest import suggest_sequence

    sequence = suggest_sequence(frame, metadata)
    if sequence:
        fields = ", ".join(f'"{k}": "{v}"' for k, v in sequence.items())
        _echo(f"\nLooks like sequences (not applied; add {fields} to the metadata JSON)")
    if output is not None:
        metadata.to_json(output)
        _echo(f"wrote {output} (edit it and pass it to --metadata)")


# ---------------------------------------------------------------------- models
@app.command()
def models(
    params: Annotated[
        str | None,
        typer.Option("--params", metavar="NAME", help="List one model's parameters and defaults."),
    ] = None,
) -> None:
    """List the registered models, one line each (or one model's parameters)."""
    from lookalike.models import MODELS, describe_params

    if params is not None:
        rows = describe_params(params)  # from the model's declared parameters
        _echo(f"{params}: {MODELS[params].summary}")
        settings = [f"{key} = {default!r}" for key, _, default in rows]
        width = max(len(setting) for setting in settings)
        for setting, (_, takes, _) in zip(settings, rows, strict=True):
            _echo(f"  {setting:<{width}}  {takes}")
        _echo(f"set them with: lookalike fit DATA -o MODEL -m {params} -p KEY=VALUE")
        holds = MODELS[params].training_values or "no training rows or cell values"
        _echo(f"its model file holds: {holds} (beyond category names)")
        return
    width = max(len(name) for name in MODELS)
    for name, entry in MODELS.items():
        mark = " (default)" if name == DEFAULT_MODEL else ""
        extra = f" [needs lookalike[{entry.extra}]]" if entry.extra else ""
        _echo(f"{name:<{width}}  {entry.summary}{mark}{extra}")
    holding = ", ".join(name for name, entry in MODELS.items() if entry.training_values)
    _echo(f"model files that hold real training values (share samples, not them): {holding}")


# ---------------------------------------------------------------------- fit
@app.command()
def fit(
    data: Annotated[
        str,
        typer.Argument(help=f"The real table: {_TABLE}."),
    ],
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
    from lookalike.jobs import fit_file, model_params

    meta = read_metadata(metadata)
    from lookalike.sequences.files import OPTIONS, is_sequence_metadata

    if meta is not None and is_sequence_metadata(meta):  # ordered rows per entity: a sequence
        from lookalike.sequences.files import fit_file as fit_sequences

        texts = [item for item in param or [] if item.split("=", 1)[0].strip() not in OPTIONS]
        params, notes = model_params(model, texts, epochs=epochs)
        for item in param or []:
            if item not in texts:  # the sequence model's own options, read as JSON-ish numbers
                key, _, value = item.partition("=")
                params[key.strip()] = float(value) if "." in value else int(value)
        summary = fit_sequences(data, meta, output, seed=seed, max_time=max_time, params=params)
        _say(summary, quiet)
        return
    params, notes = model_params(model, param or [], epochs=epochs, max_time=max_time)
    for note in notes:
        _say(f"note: {note}", quiet)
    from lookalike.linked.io import is_linked_source

    if is_linked_source(data):  # linked tables
        from lookalike.linked.cli import fit_linked

        return fit_linked(
            data, output, schema_path=schema, model=model, params=params, seed=seed, quiet=quiet
        )
    done = fit_file(
        data,
        output,
        model=model,
        metadata=metadata,
        seed=seed,
        params=params,
        sample_rows=sample_rows,
        where=where or None,
    )
    for note in done.notes:
        _echo(note, err=True)  # warnings show also with --quiet
    if done.interrupted:  # the model trained so far is saved; still exit 130 for the Ctrl-C
        raise KeyboardInterrupt
    _say(f"fitted {model} on {done.rows} in {done.seconds:.1f} s; wrote {output}", quiet)


# ---------------------------------------------------------------------- sample
@app.command()
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
            "-n", "--rows", help="Number of rows to write (a sequence model: sequences, or the "
            "rows of its one series)."
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
    allow_formulas: AllowFormulas = False,
    purpose: Purpose = None,
    expires: Expires = None,
    records: Records = None,
    quiet: Quiet = False,
) -> None:
    """Sample N rows from a fitted MODEL and write them to OUTPUT, streaming in chunks (a
    linked-tables model: --scale S and OUTPUT a folder or a database URL).
    """
    set_quiet(quiet)
    from lookalike.jobs import sample_to
    from lookalike.persistence import load

    refuse_overwriting([model_file], output)
    fitted = load(model_file)
    from lookalike.records import restore_fit_times

    restore_fit_times(fitted, model_file)  # `lookalike fit` keeps them in the model's card
    if getattr(fitted, "name", "") == "sequence":  # lookalike.sequences: -n sequences
        from lookalike.sequences.files import sample_file

        if n is None or scale is not None:
            raise DataError("say how many sequences with -n N (or rows, for one series).")
        _say(sample_file(fitted, n, output, seed=seed, where=where or []), quiet)  # type: ignore[arg-type]
        return
    if getattr(fitted, "name", "") == "linked":  # linked tables
        from lookalike.linked.cli import sample_linked

        if n is not None:
            raise DataError("this model holds linked tables: say how many with --scale S, not -n.")
        sample_linked(
            fitted, output, scale=scale, seed=seed, conditions=parse_where(where or []), quiet=quiet
        )
        facts = {"model": fitted, "model_file": model_file, "extra": {"scale": scale or 1.0}}
        _card(output, "sample", {}, seed, facts, purpose, expires, records, quiet)
        return
    if n is None or scale is not None:
        raise DataError("say how many rows with -n ROWS (--scale is for linked tables).")
    done = sample_to(
        fitted,
        n,
        output,
        seed=seed,
        where=where or [],
        engine=engine,
        workers=workers,
        scheduler=scheduler,
        allow_formulas=allow_formulas,
    )
    _say(f"wrote {done.written} in {done.seconds:.1f} s", quiet)
    facts = {"model": fitted, "model_file": model_file, "extra": {"conditions": where or []}}
    _card(output, "sample", {"output": n}, seed, facts, purpose, expires, records, quiet)


# ---------------------------------------------------------------------- more commands
# (evaluate, balance, generate, spec, anonymize, bench are added below by their modules' owners)


# ---------------------------------------------------------------------- evaluate
@app.command()
def evaluate(
    real: Annotated[
        str,
        typer.Argument(metavar="REAL", help=f"The real (training) table: {_TABLE}."),
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
            "the conditions SYNTH was sampled with, from its card).",
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Score how real and how safe SYNTH is against REAL; print a score table.

    Several SYNTH (with --labels) are compared side by side; REAL and SYNTH may be folders or
    databases of linked tables.
    """
    set_quiet(quiet)
    from lookalike.evaluation import evaluate as run_evaluation
    from lookalike.io.files import read_table
    from lookalike.linked.io import is_linked_source
    from lookalike.records import evaluation_facts, record_privacy, subgroup_from_cards

    for target_file in (json_path, report):
        if target_file is not None:
            refuse_overwriting([real, *synthetic, holdout, metadata], target_file)
    start = time.perf_counter()
    names = [x.strip() for x in labels.split(",")] if labels is not None else None
    several = len(synthetic) > 1 or names is not None
    if is_linked_source(real):  # linked tables
        from lookalike.linked.cli import evaluate_linked

        if several or where:
            raise DataError(
                "linked tables are evaluated one SYNTH at a time, whole: drop --labels/--where."
            )
        result: Any = evaluate_linked(real, synthetic[0], holdout=holdout, seed=seed)
    else:
        facts = [evaluation_facts(real, path) for path in synthetic]
        subgroup, why = (where, None) if where else subgroup_from_cards(synthetic)
        if why:
            _say(f"note: {why}", quiet)
        result = run_evaluation(
            read_table(real),
            [read_table(path) for path in synthetic] if several else read_table(synthetic[0]),
            holdout=read_table(holdout) if holdout is not None else None,
            target=target,
            metadata=read_metadata(metadata),
            random_state=seed,
            labels=names,
            provenance=facts if several else facts[0],  # type: ignore[arg-type]
            where=subgroup or None,
        )
        for path, one in zip(synthetic, result.reports if several else [result], strict=True):
            record_privacy(path, one)  # the SYNTH's card (if any) gets its privacy scores
    if json_path is not None:
        result.to_json(json_path)
    if report is not None:
        result.to_html(report)
    _echo(str(result))
    for note in result.notes:
        _say(f"note: {note}", quiet)
    written = [str(p) for p in (json_path, report) if p is not None]
    _say(
        f"evaluated in {time.perf_counter() - start:.1f} s"
        + (f"; wrote {', '.join(written)}" if written else ""),
        quiet,
    )


# ---------------------------------------------------------------------- generate (rules)
@app.command()
def generate(
    spec: Annotated[Path, typer.Argument(help="A rules spec: .yaml, .yml or .json.")],
    n: Annotated[
        int | None, typer.Option("-n", "--rows", help="Rows to make (default: rows in the spec).")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output .csv or .parquet.")] = Path(
        "fake.csv"
    ),
    seed: Seed = None,
    allow_formulas: AllowFormulas = False,
    purpose: Purpose = None,
    expires: Expires = None,
    quiet: Quiet = False,
) -> None:
    """Make a fake table from the rules in SPEC (no real data), streaming it in chunks."""
    set_quiet(quiet)
    from lookalike._progress import progress
    from lookalike.io.files import write_chunks
    from lookalike.io.provenance import describe_source
    from lookalike.rules import chunk_count, generate_chunks, load_spec

    if n is not None:
        check_whole(n, "-n (the number of rows)")
    refuse_overwriting([spec], output)
    checked = load_spec(spec)
    rows_wanted = checked["rows"] if n is None else n
    if rows_wanted is None or rows_wanted <= 0:
        raise DataError("say how many rows to make with -n ROWS (or set rows: in the spec).")
    start = time.perf_counter()
    chunks = generate_chunks(spec, rows_wanted, random_state=seed)
    bar = progress(chunks, total=chunk_count(rows_wanted), desc="generating", unit="chunk")
    rows = write_chunks(bar, output, allow_formulas=allow_formulas)
    _say(f"wrote {rows} rows to {output} in {time.perf_counter() - start:.1f} s", quiet)
    facts = {"source": describe_source(spec), "extra": {"real_data": "none (rules only)"}}
    _card(output, "generate", {"output": rows}, seed, facts, purpose, expires, None, quiet)


# ---------------------------------------------------------------------- spec
@app.command()
def spec(
    data: Annotated[str, typer.Argument(help=f"A real table: {_TABLE}.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Spec to write: .yaml or .json.")],
    metadata: MetadataOpt = None,
) -> None:
    """Write a rules spec describing DATA (kinds, marginals, PII as fakes) to edit and generate."""
    from lookalike.io.files import read_table
    from lookalike.rules import write_spec_file
    from lookalike.rules.infer import spec_from_data

    refuse_overwriting([data, metadata], output)
    frame = read_table(data)
    write_spec_file(spec_from_data(frame, read_metadata(metadata)), output)
    _echo(f"wrote {output}; edit it, then: lookalike generate {output} -n 1000 -o fake.csv")


# ---------------------------------------------------------------------- anonymize
@app.command()
def anonymize(
    data: Annotated[str, typer.Argument(help=f"The real table: {_TABLE}.")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Output .csv, .parquet or a database URL.")
    ],
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
    allow_formulas: AllowFormulas = False,
    purpose: Purpose = None,
    expires: Expires = None,
    records: Records = None,
    quiet: Quiet = False,
) -> None:
    """Replace the PII columns of DATA by consistent keyed fakes; all other values are kept."""
    from lookalike.io.files import read_table, write_table
    from lookalike.io.provenance import describe_source
    from lookalike.pii.anonymize import anonymize as pseudonymise_table

    refuse_overwriting([metadata] if in_place else [data, metadata], output, "--in-place")
    frame = read_table(data)
    meta = read_metadata(metadata)
    out = pseudonymise_table(frame, metadata=meta, secret=secret, random_state=seed)
    write_table(out, output, allow_formulas=allow_formulas)
    changed = [str(c) for c in frame.columns if not out[c].equals(frame[c])]
    _say(
        f"replaced {len(changed)} column(s) ({', '.join(changed) or 'none'}); wrote {output}",
        quiet,
    )
    facts = {"source": describe_source(data, frame), "contains_real_rows": True}
    rows = {"real": len(frame), "output": len(out)}
    _card(output, "anonymize", rows, seed, facts, purpose, expires, records, quiet)


# ---------------------------------------------------------------------- balance
@app.command()
def balance(
    data: Annotated[str, typer.Argument(help=f"The real table: {_TABLE}.")],
    target: Annotated[str, typer.Option("--target", "-t", help="The class column.")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Output .csv, .parquet or a database URL.")
    ],
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
    allow_formulas: AllowFormulas = False,
    purpose: Purpose = None,
    expires: Expires = None,
    records: Records = None,
    quiet: Quiet = False,
) -> None:
    """Add synthetic rows of the minority classes of TARGET until each has RATIO x the majority."""
    set_quiet(quiet)
    from lookalike.balance import balance as rebalance
    from lookalike.io.files import read_table, write_table
    from lookalike.io.provenance import describe_source

    refuse_overwriting([data, metadata], output)
    start = time.perf_counter()
    if report is not None:
        from lookalike.balance_check import report_path

        report_path(report)  # a bad name fails before any work
    frame = read_table(data)
    out = rebalance(
        frame,
        target,
        method=method,
        ratio=ratio,
        random_state=seed,
        metadata=read_metadata(metadata),
        k_neighbors=k_neighbors,
    )
    if check or report is not None:  # learners on held-out real rows, before vs after
        from lookalike.balance_check import check_balance

        result = check_balance(frame, target, method=method, ratio=ratio, random_state=seed,
                               metadata=read_metadata(metadata), k_neighbors=k_neighbors)
        typer.echo(str(result))
        if report is not None:
            result.write(report)
    write_table(out, output, allow_formulas=allow_formulas)
    if not quiet:
        counts = out.attrs["class_counts"]
        width = max(len(str(c)) for c in counts["after"])
        _echo(f"{'class':<{width}}  {'before':>8}  {'after':>8}")
        for cls, after in counts["after"].items():
            _echo(f"{cls!s:<{width}}  {counts['before'].get(cls, 0):>8}  {after:>8}")
    _say(
        f"added {len(out) - len(frame)} rows ({method}) in {time.perf_counter() - start:.1f} s; "
        f"wrote {output}",
        quiet,
    )
    rows = {"real": len(frame), "added": len(out) - len(frame), "output": len(out)}
    facts = {
        "source": describe_source(data, frame),
        "contains_real_rows": True,
        "extra": {"method": method, "ratio": ratio, "target": target},
    }
    _card(output, "balance", rows, seed, facts, purpose, expires, records, quiet)


# ---------------------------------------------------------------------- augment
@app.command()
def augment(
    data: Annotated[str, typer.Argument(help=f"The real table: {_TABLE}.")],
    target: Annotated[str, typer.Option("--target", "-t", help="The column to predict.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output: real + synthetic rows.")],
    model: Annotated[str, typer.Option("--model", "-m", help="Model to fit.")] = DEFAULT_MODEL,
    rows: Annotated[
        int | None, typer.Option("--rows", "-n", help="Synthetic rows (default: as many as real).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Measure on held-out real rows whether it helps.")
    ] = False,
    metadata: MetadataOpt = None,
    seed: Seed = None,
    allow_formulas: AllowFormulas = False,
    purpose: Purpose = None,
    expires: Expires = None,
    records: Records = None,
    quiet: Quiet = False,
) -> None:
    """Write the real rows plus synthetic ones; --check says whether they help predict TARGET."""
    set_quiet(quiet)
    refuse_overwriting([data, metadata], output)
    from lookalike.augment import augment as add_rows
    from lookalike.augment import check_augmentation
    from lookalike.io.files import read_table, write_table

    frame, meta = read_table(data), read_metadata(metadata)
    out = add_rows(frame, target, model=model, rows=rows, random_state=seed, metadata=meta)
    if check:
        result = check_augmentation(
            frame, target, model=model, rows=rows, random_state=seed or 0, metadata=meta
        )
        typer.echo(str(result))
    write_table(out, output, allow_formulas=allow_formulas)
    _say(f"wrote {output}: {len(frame)} real + {len(out) - len(frame)} synthetic rows", quiet)
    from lookalike.io.provenance import describe_source

    counts = {"real": len(frame), "added": len(out) - len(frame), "output": len(out)}
    facts = {
        "source": describe_source(data, frame),
        "contains_real_rows": True,
        "extra": {"model": model, "target": target},
    }
    _card(output, "augment", counts, seed, facts, purpose, expires, records, quiet)


# ---------------------------------------------------------------------- anomalies
@app.command()
def anomalies(
    data: Annotated[str, typer.Argument(help=f"The real table (normal rows): {_TABLE}.")],
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
    allow_formulas: AllowFormulas = False,
    purpose: Purpose = None,
    expires: Expires = None,
    records: Records = None,
    quiet: Quiet = False,
) -> None:
    """Lookalike normal rows mixed with labelled anomalies; the `anomaly` column names the kind."""
    set_quiet(quiet)
    refuse_overwriting([data, metadata], output)
    from lookalike.anomalies import anomalies as make_anomalies
    from lookalike.io.files import read_table, write_table

    kind_list = [k.strip() for k in kinds.split(",") if k.strip()]
    frame = read_table(data)
    out = make_anomalies(
        frame,
        rows,
        kinds=kind_list,
        share=share,
        model=model,
        random_state=seed,
        metadata=read_metadata(metadata),
    )
    write_table(out, output, allow_formulas=allow_formulas)
    counts = out["anomaly"].value_counts().to_dict()
    _say(f"wrote {output}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), quiet)
    from lookalike.io.provenance import describe_source

    facts = {
        "source": describe_source(data, frame),
        "extra": {"model": model, "kinds": kind_list, "share": share, "anomalies": counts},
    }
    _card(output, "anomalies", {"output": len(out)}, seed, facts, purpose, expires, records, quiet)


# ---------------------------------------------------------------------- bench
@app.command()
def bench(
    data: Annotated[str, typer.Argument(help=f"The real table: {_TABLE}.")],
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
    from lookalike.bench import format_leaderboard, run_bench
    from lookalike.io.files import read_table

    names = [m.strip() for m in models.split(",") if m.strip()] if models else None
    for written in (json_path, report_path):
        if written is not None:
            refuse_overwriting([data], written)
    frame = read_table(data)

    def report(row: dict[str, Any]) -> None:
        done = row.get("error") or f"quality {row.get('quality', float('nan')):.3f}"
        _say(f"{row['model']}: {done} (fit {row.get('fit s', 0.0):.1f} s)", quiet)

    kept: dict[str, Any] | None = {} if report_path is not None else None
    table = run_bench(
        frame,
        target,
        names,
        time_budget=time_budget,
        random_state=seed,
        on_result=report,
        reports=kept,
    )
    _echo(format_leaderboard(table))
    if json_path is not None:
        from lookalike.bench import write_json

        write_json(table, json_path)
        _say(f"wrote {json_path}", quiet)
    if report_path is not None and kept is not None:
        from lookalike.bench import write_report

        write_report(kept, report_path)
        _say(f"wrote {report_path}", quiet)


# ---------------------------------------------------------------------- records
@app.command()
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
    from lookalike.records import delete_records, list_records

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


# ---------------------------------------------------------------------- ui
@app.command()
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

    warnings.showwarning = _show_warning

    raise SystemExit(run(app, argv))


if __name__ == "__main__":
    main()
