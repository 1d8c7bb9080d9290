"""lookalike: synthetic tabular data. Learn from a real table, fake from rules, protect, evaluate.

Modules, one line each, grouped by layer (bottom first; a module imports only its own layer or
lower ones; tests/test_layers.py checks it, and its table is the one below):
  0 base
    errors        LookalikeError and its children (one `error:` line each in the CLI)
    _progress     progress bars and quiet mode
    _version      __version__
    masking       mask_url: the one place that hides passwords in URLs before anything is shown
    os_errors     an OSError (full disk, read-only folder, ...) as one sentence that says what to do
  1 values
    values        value rules: category keys, missing, dates -> seconds, JSON values, CHUNK_ROWS
    kinds         the column kinds (ColumnKind) and the named groups code asks about
    relatedness   Pearson, Cramér's V and the "related pair" thresholds (scores and epoch pick)
  2 io
    io            read_table / write_table: io.files (.csv, .parquet), io.atomic (temp + rename),
                  io.sql (database tables; io.sql_connect: URLs, drivers, friendly errors),
                  io.json_files (JSON files a person edits), io.provenance (SHA-256 fingerprints)
  3 kinds of values
    pii           personal data: pii.detect (which columns), pii.fakes (fast fakes of a kind),
                  pii.column_fakes (fakes in a real column's shapes; pii.names, pii.value_filter),
                  pii.codes (code columns: tickets, cabins)
    ids           id columns: keys that stay unique across chunks and workers
    expressions   safe arithmetic over columns (ast whitelist), for specs and constraints
  4 metadata
    metadata      Metadata: the column kinds of a table; validate against data, JSON
    column        Column: one column's kind and the facts generation needs (min, format, ...)
    column_detect detect_column: a column's kind from its values (dates with a few junk cells
                  stay dates: the junk is missing)
    column_fields types and ranges of a column's metadata fields, checked when JSON is read
  5 encoding
    codecs        one codec per column kind: fit, encode into numbers, decode back
    transform     reversible encoding of a table into numbers that models learn from
    conditions    what `sample(conditions=...)` accepts: values, ranges (Interval), partial rows
    where         `--where "age>=60"` texts -> conditions (parse_where)
  6 constraints
    constraints   rules every sampled row obeys: checks (ranges, ...), inequality, combinations,
                  formula (learned through a transform), apply, detect
  7 rules
    rules         fake tables from a YAML/JSON spec; rules.infer: a spec from a table
  8 models
    models        the registry (get_model, list_models), one module per model; base (the contract),
                  params (declared parameters: parse_params reads `-p KEY=VALUE`), sampling, state;
                  neural/ (torch models; neural.arguments declares their keyword arguments once)
    persistence   save()/load() model files: JSON + numeric arrays in one zip, never pickle
  9 scale
    rules.hybrid  generate(): a spec whose learned: block names a fitted model (loads it)
    scale         scale.large_fit: tables larger than memory; scale.parallel: parallel sampling
                  (scale.dask_engine on a cluster, scale.chunks what both share);
                  scale.child_processes: workers that die with their parent
 10 evaluation
    evaluation    evaluate(): fidelity, utility and privacy scores (plain data, no HTML)
 11 report
    report        evaluation scores -> one self-contained HTML page (plots, svg, templates)
 12 verbs
    pii.anonymize anonymize(): pseudonymise the PII columns of a real table, same rows
    balance       balance(): more rows of the rare classes of a target
    balance_check check_balance(): a learner before vs after balance, on held-out real rows
    augment       augment(): real + synthetic rows; check_augmentation(): does it help?
    anomalies     anomalies(): normal rows mixed with labelled synthetic anomalies
    bench         the `bench` verb: models side by side on one table
    bench_rank    how bench ranks: fidelity and privacy together, a reason per model
    demo          the `demo` verb: the default model on the bundled diabetes table
    jobs          fit_file / sample_to: whole jobs from a source to an output (CLI and web app)
    table_jobs    anonymize_file, balance_file, augment_file, anomalies_file, generate_file,
                  spec_file: read a table (or spec), write one, return its card's facts
    records       provenance cards beside every output (write_card, read_card)
    record_list   the `records` verb: list cards under a folder, delete expired outputs
    anonymize     old import path: re-exports pii.anonymize
    files         old import path: re-exports io.files
    sources       old import path: re-exports io.sql
    scan          old import path (README): re-exports scale.large_fit
 13 top
    linked        linked tables: Schema (keys), LinkedModel (a whole database in one file)
    sequences     ordered rows per entity: SequenceModel (length, first step, each next step
                  given the last; gaps of the order column), sequences.evaluate (coherence, ...)
    verbs         inspect / fit / sample / evaluate / bench of any input: one table, linked
                  tables or sequences (which job runs for it); the models listing
    cli           the `lookalike` command: cli/__init__ (app, main), one module per verb group
                  (apps, data, fit, evaluate, rules, usecases), cli.shared (options, printing)
    exits         how a command ends: exit codes, one `error:` line, SIGINT/SIGTERM
    ui            the `ui` verb: a local web app (FastAPI; the `ui` extra), pages to download
"""

from __future__ import annotations

from typing import Any

from lookalike._progress import quiet_mode, set_quiet
from lookalike._version import __version__
from lookalike.anonymize import anonymize  # the shim module first, so the name stays the function
from lookalike.balance import balance  # the function; `import lookalike.balance` still works
from lookalike.conditions import Interval
from lookalike.errors import LookalikeError
from lookalike.io.files import read_table, write_table
from lookalike.jobs import fit_file, sample_to
from lookalike.masking import mask_url
from lookalike.metadata import Column, Metadata
from lookalike.models import DEFAULT_MODEL, get_model, list_models
from lookalike.models.base import Model
from lookalike.persistence import load, save
from lookalike.rules.hybrid import generate
from lookalike.where import parse_where


def synthesize(
    data: Any,
    n: int | None = None,
    *,
    model: str = DEFAULT_MODEL,
    random_state: int | None = None,
    **params: Any,
) -> Any:
    """Fit `model` on `data` and return `n` synthetic rows (as many as the data by default).

    Example:
        >>> import lookalike, pandas as pd
        >>> real = pd.DataFrame({"x": range(50), "y": ["a", "b"] * 25})
        >>> len(lookalike.synthesize(real, 10, random_state=0))
        10
    """
    fitted = get_model(model, random_state=random_state, **params).fit(data)
    rows = len(data) if n is None and hasattr(data, "__len__") else n
    return fitted.sample(rows if rows is not None else 1000)


def __getattr__(name: str) -> Any:
    # `evaluate` pulls in scikit-learn and matplotlib: import it on first use only
    if name == "evaluate":
        from lookalike.evaluation import evaluate

        return evaluate
    if name in ("Schema", "LinkedModel"):  # linked tables: lookalike.linked
        import lookalike.linked

        return getattr(lookalike.linked, name)
    raise AttributeError(f"module 'lookalike' has no attribute {name!r}")


__all__ = [
    "DEFAULT_MODEL",
    "Column",
    "Interval",
    "LinkedModel",
    "LookalikeError",
    "Metadata",
    "Model",
    "Schema",
    "__version__",
    "anonymize",
    "balance",
    "evaluate",
    "fit_file",
    "generate",
    "get_model",
    "list_models",
    "load",
    "mask_url",
    "parse_where",
    "quiet_mode",
    "read_table",
    "sample_to",
    "save",
    "set_quiet",
    "synthesize",
    "write_table",
]
