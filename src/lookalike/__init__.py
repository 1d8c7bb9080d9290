"""lookalike: synthetic tabular data. Learn from a real table, fake from rules, protect, evaluate.

Modules (dependencies point down):
    cli          the `lookalike` command
    linked       linked tables: Schema (keys), LinkedModel (a whole database in one model file)
    report       evaluation scores -> one self-contained HTML page
    evaluation   evaluate(): fidelity, utility and privacy scores of synthetic data
    persistence  save()/load() model files: JSON + numeric arrays in one zip, never pickle
    models       the registry (get_model, list_models) and one module per model
    anonymize    anonymize(): pseudonymise the PII columns of a real table, same rows
    rules        generate(): fake tables from a YAML/JSON spec; spec: a spec from a real table
    constraints  rules every sampled row obeys (ranges, inequalities, formulas, ...)
    conditions   what `sample(conditions=...)` accepts: values, ranges (Interval), partial rows
    transform    reversible encoding of a table into numbers that models learn from
    metadata     column kinds: detect, validate, JSON
    pii          detect personal data and make fakes of the same kind (fakes: pools, fast)
    expressions  safe arithmetic over columns (ast whitelist), for specs and constraints
    files        read_table / write_table (.csv, .parquet), atomic writes
    errors       LookalikeError and its children
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from lookalike.anonymize import anonymize
from lookalike.errors import LookalikeError
from lookalike.files import read_table, write_table
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
