"""The report header's facts: which tables were compared (fingerprints, never values), which model
made the synthetic rows, the lookalike version and the date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from lookalike.evaluation.inputs import Prepared


def describe_inputs(
    sources: dict[str, Any], data: Prepared, model: Any, extra: dict[str, Any] | None
) -> dict[str, Any]:
    """{"real", "synthetic", "holdout", "model", "lookalike_version", "evaluated_at"}."""
    from lookalike._version import __version__
    from lookalike.io.provenance import describe_source, now

    tables = {"real": data.real, "synthetic": data.synthetic, "holdout": data.holdout}
    out: dict[str, Any] = {}
    for key, source in sources.items():
        if source is None:
            continue
        frame = source if isinstance(source, pd.DataFrame) else None
        path = source if isinstance(source, str | Path) else None
        described = describe_source(path, frame)
        table = tables[key]
        if table is not None:
            described.setdefault("rows", table.n)
        described.setdefault("columns", len(data.columns) + len(data.skipped))
        out[key] = described
    out["model"] = _model(model)
    out["lookalike_version"] = __version__
    out["evaluated_at"] = now()
    for key, value in (extra or {}).items():  # caller's facts win (e.g. file names, a card's model)
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _model(model: Any) -> dict[str, Any] | None:
    if model is None or isinstance(model, dict):
        return model
    if isinstance(model, str | Path):
        from lookalike.persistence import load

        path, model = model, load(model)
    else:
        path = None
    from lookalike.models.provenance import describe_model

    return describe_model(model, path)
