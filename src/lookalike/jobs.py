"""Whole jobs from a source to an output, as the `lookalike` command and the web app run them.

    fit_file("real.csv", "m.lookalike", model="cart", params=["min_leaf=20"])  -> FitResult
    sample_to("m.lookalike", 10_000, "synthetic.csv", where=["age>=60"])       -> SampleResult

They hold what used to live only in the CLI: the choice between fitting in memory and one
streaming pass over a large table, parameters given as text, the sampling engine, and the checks
that no output is written onto an input.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lookalike.errors import DataError
from lookalike.io.sql import is_url
from lookalike.masking import mask_url
from lookalike.metadata import Metadata
from lookalike.models import DEFAULT_MODEL, get_model, model_class, parse_params
from lookalike.models.base import Model
from lookalike.values import check_whole

FEW_ROWS = 5  # below this many training rows, fit warns that samples copy the real rows


@dataclass(frozen=True)
class FitResult:
    """What `fit_file` did: the fitted model, which rows it saw, and notes for the user."""

    model: Model
    rows: str  # "200 rows" or "a uniform sample of 200,000 of 3,000,000 rows"
    seconds: float
    notes: list[str] = field(default_factory=list)
    interrupted: bool = False  # Ctrl-C stopped neural training early; what was trained is kept


@dataclass(frozen=True)
class SampleResult:
    """What `sample_to` wrote."""

    rows: int
    written: str  # "1000 rows to out.csv", passwords masked
    seconds: float


# ---------------------------------------------------------------------- outputs vs inputs
def same_place(a: str | Path, b: str | Path) -> bool:
    """True when two sources name the same file, or the same table of the same SQLite file."""
    if is_url(a) or is_url(b):
        if not (is_url(a) and is_url(b)):
            return False
        return _url_key(str(a)) == _url_key(str(b))
    first, second = Path(a), Path(b)
    try:
        if first.exists() and second.exists():
            return os.path.samefile(first, second)
    except OSError:
        return False
    return first.resolve() == second.resolve()


def _url_key(url: str) -> tuple[str, ...]:
    from lookalike.io.sql import parse_source

    try:
        parsed = parse_source(url)
    except DataError:
        return (url,)
    database, table = parsed.url.database or "", parsed.table or ""
    backend = parsed.url.get_backend_name()
    if backend == "sqlite":  # a file, and table names that ignore case
        table = table.lower()
        if database not in ("", ":memory:"):
            database = str(Path(database).expanduser().resolve())
    where = (backend, parsed.url.host or "", str(parsed.url.port or ""))
    return (*where, database, parsed.schema or "", table)


def refuse_overwriting(
    inputs: Iterable[str | Path | None], output: str | Path, flag: str = ""
) -> None:
    """Raise DataError when `output` names one of `inputs`: an input is never replaced.

    `flag` names the option that allows it (anonymize's `--in-place`), for the message.
    """
    for source in inputs:
        if source is not None and same_place(source, output):
            allow = f", or pass {flag} to replace it on purpose" if flag else ""
            raise DataError(
                f"the output {mask_url(output)} is the input {mask_url(source)}; writing it "
                f"would destroy the input. Choose another -o{allow}."
            )


# ---------------------------------------------------------------------- fit
def model_params(
    model: str, items: Iterable[str] = (), **flags: Any
) -> tuple[dict[str, Any], list[str]]:
    """Parameters from `-p KEY=VALUE` texts and named flags (`epochs=10`), and notes for the user.

    A flag the model does not take is dropped with a note; a flag <= 0 is refused.
    """
    cls = model_class(model)
    accepted = set(cls().get_params())
    params: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in flags.items():
        if value is None:
            continue
        option = "--" + key.replace("_", "-")
        if key not in accepted:
            notes.append(f"{option} is ignored: model {model!r} does not take it.")
            continue
        if value <= 0:
            raise DataError(f"{option} must be more than 0, got {value}.")
        params[key] = value
    params.update(parse_params(model, list(items)))
    return params, notes


def fit_file(
    data: str | Path,
    output: str | Path | None = None,
    *,
    model: str = DEFAULT_MODEL,
    metadata: Metadata | str | Path | None = None,
    seed: int | None = None,
    params: Mapping[str, Any] | Iterable[str] | None = None,
    sample_rows: int | None = None,
    where: Mapping[str, Any] | Iterable[str] | None = None,
) -> FitResult:
    """Fit `model` on the table `data` and save it to `output` (when given).

    `where` (conditions, or `--where` texts such as "Class=1") fits on those rows only.

    A table larger than `sample_rows` (default `scale.large_fit.DEFAULT_SAMPLE_ROWS`), or any
    table when `sample_rows` is given, is read in one streaming pass and fitted on a uniform
    sample; a smaller one is read into memory. `params` is a dict, or `KEY=VALUE` texts typed by
    the model's parameters.

    Example:
        >>> result = fit_file("real.csv", "model.lookalike", model="cart", seed=0)
    """
    from lookalike.io.files import read_table
    from lookalike.persistence import save
    from lookalike.scale.large_fit import DEFAULT_SAMPLE_ROWS, fit_table, is_large

    if output is not None:
        refuse_overwriting([data, metadata if not isinstance(metadata, Metadata) else None], output)
    if params is None or isinstance(params, Mapping):
        chosen = dict(params or {})
    else:
        chosen, _ = model_params(model, params)
    if sample_rows is not None:
        check_whole(sample_rows, "--sample-rows")
    meta = read_metadata(metadata)
    start = time.perf_counter()
    if seed is not None or "random_state" not in chosen:
        chosen["random_state"] = seed
    fitted = get_model(model, **chosen)
    limit = DEFAULT_SAMPLE_ROWS if sample_rows is None else sample_rows
    if not where and (sample_rows is not None or is_large(data, limit)):  # streamed, sampled
        scan = fit_table(fitted, data, meta, sample_rows=limit)
        count, rows = scan.rows, f"{scan.rows} rows"
        if scan.sampled:
            rows = f"a uniform sample of {len(scan.sample):,} of {scan.rows:,} rows"
    else:
        frame = read_table(data)
        if where:  # a subgroup only (e.g. the fraud rows)
            from lookalike.conditions import select_rows
            from lookalike.where import parse_where

            wanted = dict(where) if isinstance(where, Mapping) else parse_where(where)
            frame = select_rows(frame, wanted, meta)
        fitted.fit(frame, meta)
        if where:  # kept with the fit, so `evaluate` compares its samples with that subgroup
            from lookalike.where import where_texts

            fitted.fit_info_["where"] = where_texts(where)
        count, rows = len(frame), f"{len(frame)} rows"
    notes = []
    # neural training keeps the epochs done on Ctrl-C (and logs a warning saying so)
    stopped = (getattr(fitted, "history_", None) or {}).get("stopped")
    if count < FEW_ROWS:
        notes.append(
            f"warning: {mask_url(data)} has only {count} row(s); synthetic rows will be copies or "
            "near-copies of them (no privacy). Fit on more rows."
        )
    if output is not None:
        from lookalike.io.provenance import describe_source

        if hasattr(fitted, "fit_info_"):  # the file's name and SHA-256 for the report header
            fitted.fit_info_["source"] = describe_source(data)
        save(fitted, output)  # no wall-clock times in the file: same seed, same bytes
        from lookalike.records import write_card

        # when and how long the fit ran travel in the model file's card (OUTPUT.card.json)
        write_card(output, command="fit", rows={"training": count}, model=fitted, seed=seed)
    return FitResult(fitted, rows, time.perf_counter() - start, notes, stopped == "interrupted")


def read_metadata(metadata: Metadata | str | Path | None) -> Metadata | None:
    """Metadata as given, or read from its JSON file (`lookalike inspect -o`); None stays None."""
    if metadata is None or isinstance(metadata, Metadata):
        return metadata
    return Metadata.from_json(metadata)


# ---------------------------------------------------------------------- sample
def sample_to(
    model: Model | str | Path,
    n: int,
    output: str | Path,
    *,
    seed: int | None = None,
    where: Mapping[str, Any] | Iterable[str] | None = None,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    allow_formulas: bool = False,
) -> SampleResult:
    """Sample `n` rows of a fitted model (or model file) and stream them to `output`.

    `where` is a conditions dict or `--where` texts ("age>=60"); `engine` is "local" (a process
    pool on this machine, one file or database table) or "dask" (a folder of Parquet parts).
    CSV text cells that a spreadsheet would run as formulas are neutralised unless
    `allow_formulas` (see `io.files.write_chunks`).

    Example:
        >>> sample_to("model.lookalike", 1000, "synthetic.csv", seed=1, where=["Class=1"])
    """
    from lookalike.persistence import load
    from lookalike.scale.parallel import sample_dask, sample_local
    from lookalike.where import parse_where

    check_whole(n, "-n (the number of rows)")
    if engine not in ("local", "dask"):
        raise DataError(f"--engine must be local or dask, got {engine!r}.")
    if scheduler and engine != "dask":
        raise DataError("--scheduler needs --engine dask.")
    if workers is not None:
        check_whole(workers, "--workers")
    if not isinstance(model, Model):
        refuse_overwriting([model], output)
        model = load(model)
    conditions = dict(where) if isinstance(where, Mapping) else parse_where(where or [])
    model.check_conditions(conditions)  # impossible conditions fail before any work starts
    if model.keeps_state_across_chunks:  # a unique constraint: one process, chunks in order
        if engine == "dask":
            raise DataError("this model has a unique constraint; sample it with --engine local.")
        workers = 1
    start = time.perf_counter()
    if engine == "dask":
        parts = sample_dask(
            model,
            n,
            output,
            seed=seed,
            conditions=conditions,
            scheduler=scheduler,
            workers=workers or 2,
        )
        return SampleResult(
            n,
            f"{n} rows as {len(parts)} Parquet part(s) in {mask_url(output)}",
            time.perf_counter() - start,
        )
    rows = sample_local(
        model,
        n,
        output,
        seed=seed,
        conditions=conditions,
        workers=workers,
        allow_formulas=allow_formulas,
    )
    return SampleResult(rows, f"{rows} rows to {mask_url(output)}", time.perf_counter() - start)
