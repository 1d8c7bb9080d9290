"""lookalike: synthetic tabular data. Learn from a real table, fake from rules, protect, evaluate.

Modules, one line each, grouped by layer (bottom first; a module imports only its own layer or
lower ones; tests/test_layers.py checks it, and its table is the one below):
  0 base
    errors        LookalikeError and its children (one `error:` line each in the CLI)
    _progress     progress bars and quiet mode
    _version      __version__
  1 values
    values        value rules: category keys, missing, dates -> seconds, JSON values, CHUNK_ROWS
    relatedness   Pearson, Cramér's V and the "related pair" thresholds (scores and epoch pick)
  2 io
    io            read_table / write_table: io.files (.csv, .parquet, atomic), io.sql (databases)
  3 kinds of values
    pii           personal data: pii.detect (which columns), pii.fakes (fast fakes of a kind)
    ids           id columns: keys that stay unique across chunks and workers
    expressions   safe arithmetic over columns (ast whitelist), for specs and constraints
  4 metadata
    metadata      column kinds: detect, validate, JSON
    column_fields types and ranges of a column's metadata fields, checked when JSON is read
  5 encoding
    transform     reversible encoding of a table into numbers that models learn from
    conditions    what `sample(conditions=...)` accepts: values, ranges (Interval), partial rows
  6 constraints
    constraints   rules every sampled row obeys (ranges, inequalities, formulas, ...)
  7 rules
    rules         generate(): fake tables from a YAML/JSON spec; rules.infer: a spec from a table
  8 models
    models        the registry (get_model, list_models) and one module per model
    persistence   save()/load() model files: JSON + numeric arrays in one zip, never pickle
  9 scale
    scale         scale.large_fit: tables larger than memory; scale.parallel: parallel sampling
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
    demo          the `demo` verb: the default model on the bundled diabetes table
    anonymize     old import path: re-exports pii.anonymize
    files         old import path: re-exports io.files
    sources       old import path: re-exports io.sql
    scan          old import path (README): re-exports scale.large_fit
 13 top
    linked        linked tables: Schema (keys), LinkedModel (a whole database in one file)
    cli           the `lookalike` command
    ui            the `ui` verb: a local web app (FastAPI; the `ui` extra), pages to download
"""

from __future__ import annotations

from typing import Any

from lookalike._version import __version__
from lookalike.anonymize import anonymize  # the shim module first, so the name stays the function
from lookalike.errors import LookalikeError
from lookalike.io.files import read_table, write_table
from lookalike.metadata import Column, Metadata
from lookalike.models import DEFAULT_MODEL, get_model, list_models
from lookalike.models.base import Model
from lookalike.persistence import load, save
from lookalike.rules import generate


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
    "LinkedModel",
    "LookalikeError",
    "Metadata",
    "Model",
    "Schema",
    "__version__",
    "anonymize",
    "evaluate",
    "generate",
    "get_model",
    "list_models",
    "load",
    "read_table",
    "save",
    "synthesize",
    "write_table",
]
