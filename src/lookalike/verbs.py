"""The verbs whose input may be one table, linked tables or sequences: which job runs for it.

    inspect_source("real.csv", None)                 -> lines to show
    fit_source("real.csv", "m.lookalike")            -> Fitted
    sample_source("m.lookalike", "out.csv", n=100)   -> Sampled
    evaluate_sources("real.csv", ["synth.csv"])      -> the scores (Report, Comparison, ...)
    model_lines(None)                                -> the `models` listing

The top layer (tests/test_layers.py) because `linked` and `sequences` are: one table goes to
`jobs` and `evaluation`, a folder or multi-table database URL to `linked.cli`, metadata with a
`sequence_key` / `order_by` (or a sequence model file) to `sequences.files`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lookalike.errors import DataError
from lookalike.jobs import fit_file, model_params, read_metadata, refuse_overwriting, sample_to
from lookalike.linked.io import is_linked_source
from lookalike.models import DEFAULT_MODEL


def _silent(message: str) -> None:
    """The default `say` of the jobs below: show nothing."""


# ---------------------------------------------------------------------- inspect, models
def inspect_source(data: str, output: Path | None = None) -> list[str]:
    """The detected column kinds of `data` (and likely constraints, sequences), as lines.

    `output` also gets the metadata JSON (the schema JSON for linked tables, which
    `linked.cli.inspect_linked` prints itself: then the list is empty).
    """
    if is_linked_source(data):
        from lookalike.linked.cli import inspect_linked

        inspect_linked(data, output)
        return []
    from lookalike.constraints import suggest
    from lookalike.io.files import read_table
    from lookalike.metadata import Metadata
    from lookalike.sequences.suggest import suggest_sequence

    if output is not None:
        refuse_overwriting([data], output)
    frame = read_table(data)
    metadata = Metadata.detect(frame)
    lines = [f"{data}: {len(frame)} rows x {frame.shape[1]} columns", str(metadata)]
    metadata.suggested_constraints = suggest(frame, metadata)
    if metadata.suggested_constraints:
        lines.append('\nLikely constraints (not applied; move them to "constraints" to use them):')
        lines += [f"  - {spec['note']}" for spec in metadata.suggested_constraints]
    sequence = suggest_sequence(frame, metadata)
    if sequence:
        fields = ", ".join(f'"{k}": "{v}"' for k, v in sequence.items())
        lines.append(f"\nLooks like sequences (not applied; add {fields} to the metadata JSON)")
    if output is not None:
        metadata.to_json(output)
        lines.append(f"wrote {output} (edit it and pass it to --metadata)")
    return lines


def model_lines(params: str | None = None) -> list[str]:
    """The registered models, one line each; or, given a name, that model's parameters."""
    from lookalike.models import MODELS, describe_params

    if params is not None:
        rows = describe_params(params)  # from the model's declared parameters
        lines = [f"{params}: {MODELS[params].summary}"]
        settings = [f"{key} = {default!r}" for key, _, default in rows]
        width = max(len(setting) for setting in settings)
        for setting, (_, takes, _) in zip(settings, rows, strict=True):
            lines.append(f"  {setting:<{width}}  {takes}")
        holds = MODELS[params].training_values or "no training rows or cell values"
        return [
            *lines,
            f"set them with: lookalike fit DATA -o MODEL -m {params} -p KEY=VALUE",
            f"its model file holds: {holds} (beyond category names)",
        ]
    width = max(len(name) for name in MODELS)
    lines = []
    for name, entry in MODELS.items():
        mark = " (default)" if name == DEFAULT_MODEL else ""
        extra = f" [needs lookalike[{entry.extra}]]" if entry.extra else ""
        lines.append(f"{name:<{width}}  {entry.summary}{mark}{extra}")
    holding = ", ".join(name for name, entry in MODELS.items() if entry.training_values)
    return [
        *lines,
        f"model files that hold real training values (share samples, not them): {holding}",
    ]


# ---------------------------------------------------------------------- fit
@dataclass(frozen=True)
class Fitted:
    """What `fit_source` did, for the user."""

    summary: str = ""  # the closing line; "" when the linked-tables fit has said it already
    warnings: list[str] = field(default_factory=list)  # shown even with --quiet
    interrupted: bool = False  # Ctrl-C stopped training; the model trained so far is saved


def fit_source(
    data: str,
    output: Path,
    *,
    model: str = DEFAULT_MODEL,
    metadata: Path | None = None,
    schema: Path | None = None,
    seed: int | None = None,
    epochs: int | None = None,
    max_time: float | None = None,
    sample_rows: int | None = None,
    params: Sequence[str] = (),
    where: Sequence[str] = (),
    quiet: bool = False,
    say: Callable[[str], None] = _silent,
) -> Fitted:
    """Fit `model` on `data` (a table, linked tables, or sequences by its metadata) to `output`.

    `params` are `-p KEY=VALUE` texts; `say` gets the notes (e.g. a flag the model ignores).
    """
    from lookalike.sequences.files import is_sequence_metadata

    meta = read_metadata(metadata)
    if meta is not None and is_sequence_metadata(meta):  # ordered rows per entity: a sequence
        from lookalike.sequences.files import fit_file as fit_sequences

        chosen = sequence_params(model, params, epochs=epochs)
        return Fitted(
            fit_sequences(data, meta, output, seed=seed, max_time=max_time, params=chosen)
        )
    chosen, notes = model_params(model, params, epochs=epochs, max_time=max_time)
    for note in notes:
        say(f"note: {note}")
    if is_linked_source(data):
        from lookalike.linked.cli import fit_linked

        fit_linked(
            data, output, schema_path=schema, model=model, params=chosen, seed=seed, quiet=quiet
        )
        return Fitted()
    done = fit_file(
        data,
        output,
        model=model,
        metadata=metadata,
        seed=seed,
        params=chosen,
        sample_rows=sample_rows,
        where=list(where) or None,
    )
    summary = f"fitted {model} on {done.rows} in {done.seconds:.1f} s; wrote {output}"
    check = getattr(done.model, "privacy_check_", None)  # cart(privacy=...): what fit chose
    if check and check["shares"]:
        summary += (
            f"\nprivacy check: {check['knob']}={check['level']} (DCR share on held-out folds "
            f"{check['shares'][0]:.3f} -> {check['shares'][-1]:.3f}, {check['rows']} rows)"
        )
    return Fitted(summary, done.notes, done.interrupted)


def sequence_params(model: str, items: Iterable[str], *, epochs: int | None) -> dict[str, Any]:
    """`-p` texts for a sequence model: its own options (`sequences.files.OPTIONS`) read as
    numbers, the rest as parameters of `model` (the per-step model).
    """
    from lookalike.sequences.files import OPTIONS

    given = list(items)
    texts = [item for item in given if item.split("=", 1)[0].strip() not in OPTIONS]
    params, _ = model_params(model, texts, epochs=epochs)
    for item in given:
        if item not in texts:  # the sequence model's own options, read as JSON-ish numbers
            key, _, value = item.partition("=")
            params[key.strip()] = float(value) if "." in value else int(value)
    return params


# ---------------------------------------------------------------------- sample
@dataclass(frozen=True)
class Sampled:
    """What `sample_source` wrote: a line for the user and what the output's card records."""

    summary: str = ""  # "" when the linked-tables sampler has said it already
    rows: dict[str, int] | None = None  # None: no card (a sequence model's output)
    facts: dict[str, Any] = field(default_factory=dict)


def sample_source(
    model_file: Path,
    output: str,
    *,
    n: int | None = None,
    scale: float | None = None,
    seed: int | None = None,
    where: Sequence[str] = (),
    quiet: bool = False,
    **options: Any,
) -> Sampled:
    """Sample a fitted model file to `output`: rows, sequences, or a whole set of linked tables.

    `options` go to `jobs.sample_to` (engine, workers, scheduler, allow_formulas).
    """
    from lookalike.persistence import load
    from lookalike.records import restore_fit_times

    refuse_overwriting([model_file], output)
    fitted = load(model_file)
    restore_fit_times(fitted, model_file)  # `lookalike fit` keeps them in the model's card
    job = _SampleJob(model_file, output, n, scale, seed, list(where), quiet, options)
    return _SAMPLERS.get(getattr(fitted, "name", ""), _sample_table)(fitted, job)


@dataclass(frozen=True)
class _SampleJob:
    """The arguments of `sample_source`, for the sampler of the model's kind."""

    model_file: Path
    output: str
    n: int | None
    scale: float | None
    seed: int | None
    where: list[str]
    quiet: bool
    options: dict[str, Any]


def _sample_table(fitted: Any, job: _SampleJob) -> Sampled:
    if job.n is None or job.scale is not None:
        raise DataError("say how many rows with -n ROWS (--scale is for linked tables).")
    done = sample_to(fitted, job.n, job.output, seed=job.seed, where=job.where, **job.options)
    facts = {"model": fitted, "model_file": job.model_file, "extra": {"conditions": job.where}}
    return Sampled(f"wrote {done.written} in {done.seconds:.1f} s", {"output": job.n}, facts)


def _sample_sequences(fitted: Any, job: _SampleJob) -> Sampled:
    from lookalike.sequences.files import sample_file

    if job.n is None or job.scale is not None:
        raise DataError("say how many sequences with -n N (or rows, for one series).")
    return Sampled(sample_file(fitted, job.n, job.output, seed=job.seed, where=job.where))


def _sample_linked(fitted: Any, job: _SampleJob) -> Sampled:
    from lookalike.linked.cli import sample_linked
    from lookalike.where import parse_where

    if job.n is not None:
        raise DataError("this model holds linked tables: say how many with --scale S, not -n.")
    conditions = parse_where(job.where)
    sample_linked(
        fitted, job.output, scale=job.scale, seed=job.seed, conditions=conditions, quiet=job.quiet
    )
    facts = {"model": fitted, "model_file": job.model_file, "extra": {"scale": job.scale or 1.0}}
    return Sampled("", {}, facts)


# a model file's `name` -> how it is sampled; any other model samples rows of one table
_SAMPLERS: dict[str, Callable[[Any, _SampleJob], Sampled]] = {
    "sequence": _sample_sequences,
    "linked": _sample_linked,
}


# ---------------------------------------------------------------------- evaluate
def evaluate_sources(
    real: str,
    synthetic: Sequence[str],
    *,
    holdout: str | None = None,
    target: str | None = None,
    metadata: Path | None = None,
    seed: int = 0,
    labels: str | None = None,
    json_path: Path | None = None,
    report: Path | None = None,
    where: Sequence[str] | None = None,
) -> Any:
    """Score the `synthetic` tables (several: compared; `labels` "a,b" names them) against `real`.

    `where` ("Outcome=1 and Age>=50") compares with that real subgroup only; without it, the
    conditions in the SYNTH cards (`sample --where`, `fit --where`) pick the subgroup.

    The scores go to `json_path` / `report` (HTML) when given, and each SYNTH's card (if any)
    gets its privacy scores. Folders or databases of linked tables are scored one SYNTH at a time.
    """
    from lookalike.evaluation import evaluate
    from lookalike.io.files import read_table
    from lookalike.records import evaluation_facts, record_privacy, subgroup_from_cards

    for target_file in (json_path, report):
        if target_file is not None:
            refuse_overwriting([real, *synthetic, holdout, metadata], target_file)
    names = [x.strip() for x in labels.split(",")] if labels is not None else None
    several = len(synthetic) > 1 or names is not None
    if is_linked_source(real):
        from lookalike.linked.cli import evaluate_linked

        if several or where:
            raise DataError(
                "linked tables are evaluated one SYNTH at a time, whole: drop --labels/--where."
            )
        result: Any = evaluate_linked(real, synthetic[0], holdout=holdout, seed=seed)
    else:
        facts = [evaluation_facts(real, path) for path in synthetic]
        subgroup, why = (list(where), None) if where else subgroup_from_cards(list(synthetic))
        result = evaluate(
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
            one.notes[:0] = [why] if why else []
    if json_path is not None:
        result.to_json(json_path)
    if report is not None:
        result.to_html(report)
    return result
