"""What a fitted model is, for reports and provenance cards: name, parameters, seed, fit facts,
loss history (neural models) and which real training values its file holds (the registry says).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lookalike.models import EPSILON_BINS, MODELS
from lookalike.models.base import Model

NO_VALUES = "no training rows or cell values beyond category names and summary statistics"


def describe_model(model: Model, path: str | Path | None = None) -> dict[str, Any]:
    """A JSON-safe description of a fitted `model` (and of its file, when `path` is given).

    Example:
        >>> import pandas as pd
        >>> from lookalike.models import get_model
        >>> m = get_model("cart", random_state=1).fit(pd.DataFrame({"x": range(30)}))
        >>> describe_model(m)["stores_training_values"]
        True
    """
    from lookalike.io.provenance import file_sha256

    params = json.loads(json.dumps(model.get_params(), default=str))
    entry = MODELS.get(model.name)
    stored = entry.training_values if entry is not None else ""
    if model.name == "bayesnet" and params.get("epsilon") is not None:
        stored = EPSILON_BINS  # under epsilon the bins are equal-width: no within-bin quantiles
    if params.get("normalization") == "mode":
        stored = ""  # mode-specific normalisation keeps mode means and spreads, no quantile grid
    tables = getattr(model, "models_", None)  # linked tables: one model per table
    if isinstance(tables, dict) and tables:
        inner = {name: describe_model(part) for name, part in tables.items()}
        holding = [
            f"{name} ({d['name']})" for name, d in inner.items() if d["stores_training_values"]
        ]
        stored = (
            f"per-table models that hold training values: {', '.join(holding)}" if holding else ""
        )
    out: dict[str, Any] = {
        "name": model.name,
        "params": params,
        "seed": params.get("random_state"),
        "stores_training_values": bool(stored),
        "training_values": stored or NO_VALUES,
        "differential_privacy": _dp_bound(model.name, params),
        "fit": dict(getattr(model, "fit_info_", None) or {}),
    }
    check = getattr(model, "privacy_check_", None)  # cart(privacy=...): the level fit chose
    if check:
        out["privacy_check"] = json.loads(json.dumps(check))
    if path is not None and Path(path).is_file():
        out["file"] = Path(path).name
        out["file_sha256"] = file_sha256(path)
    history = getattr(model, "history_", None) or {}
    if history.get("losses"):
        out["loss"] = [dict(epoch) for epoch in history["losses"]]
        out["epochs"] = history.get("epochs")
        out["stopped"] = history.get("stopped")
    return out


def _dp_bound(name: str, params: dict[str, Any]) -> str | None:
    """The formal guarantee a model gives, if any: only bayesnet with epsilon set has one."""
    epsilon = params.get("epsilon")
    if name == "bayesnet" and epsilon is not None:
        return f"epsilon = {epsilon} (differential privacy of the fitted model)"
    return None
