"""Hybrid tables: a rules spec whose `learned:` block names a fitted model for some columns.

    learned: {model: patients.lookalike, columns: [Glucose, BMI, Outcome]}
    columns:
      Age:      {kind: uniform, low: 21, high: 81, round: 0}   # a model column: the rule wins,
                                                              # the model is sampled given it
      risk:     {kind: computed, expr: "Glucose / 10 + BMI / 5"}
      followup: {kind: categorical, by: Outcome, values: [none, yearly],
                 cases: {1: {values: {yearly: 0.9, none: 0.1}}}}

`load` reads the spec, loads the model file (relative to the spec's folder; a missing or changed
file is a ModelFileError) and checks the whole spec against the model's columns
(`rules.validate`, `rules.learned`); `generate` (or `rules.chunks_of` on what `load` returns)
then draws rule columns and learned columns in dependency order, the learned ones given the
rule columns (`rules.given`).
A spec without `learned:` is a plain rules spec and goes through the same functions.

This module sits above the models (it loads model files), so the rules layer stays free of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from lookalike.errors import ModelFileError
from lookalike.rules import chunks_of
from lookalike.rules.learned import read_block
from lookalike.rules.validate import read_spec, spec_folder, validate_spec


def load(spec: dict[str, Any] | str | Path, *, folder: str | Path | None = None) -> dict[str, Any]:
    """A spec read and checked, its model (if any) loaded; `folder` resolves a relative model
    path when the spec is a dict or text (default: the spec file's folder, else the working one).
    """
    data = read_spec(spec)
    if not isinstance(data, dict) or "learned" not in data:
        return validate_spec(data)
    block = read_block(data["learned"])
    base = Path(folder) if folder is not None else spec_folder(spec) or Path.cwd()
    path = Path(block["model"]).expanduser()
    if not path.is_absolute():
        path = base / path
    return validate_spec(data, _learned(path, block["model"]))


def _learned(path: Path, source: str) -> Any:
    from lookalike.models.base import Model
    from lookalike.persistence import load as load_model
    from lookalike.rules.given import learned_model

    model = load_model(path)
    if not isinstance(model, Model):
        raise ModelFileError(
            f"{path} is a {type(model).__name__}, not a table model; fit one with "
            "`lookalike fit TABLE -o MODEL` for a learned: block."
        )
    return learned_model(model, source)


def generate(
    spec: dict[str, Any] | str | Path,
    n: int | None = None,
    *,
    random_state: int | None = None,
    folder: str | Path | None = None,
) -> pd.DataFrame:
    """Generate `n` rows from a spec (a dict, or a YAML/JSON path or text), learned: included;
    rows stream in chunks with `rules.chunks_of(load(spec), n)`.

    Example:
        >>> spec = {"columns": {"x": {"kind": "uniform", "low": 0, "high": 1}}}
        >>> len(generate(spec, 5, random_state=0))
        5
    """
    frames = list(chunks_of(load(spec, folder=folder), n, random_state=random_state))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
