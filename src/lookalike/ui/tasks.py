"""The work behind the Train and Model pages, run by the job worker (never in a request).

train:   fit the chosen model on the table (minus a holdout share kept to measure privacy), save
         the model file, sample the synthetic table, evaluate it and write the report.
compare: the `bench` leaderboard of several models under one time budget each.
Settings come from the page as plain values, checked here before any work starts; nothing in
them is ever run as code (parameters are JSON values, checked against the model's parameters).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError
from lookalike.metadata import Metadata
from lookalike.ui.jobs import Watch
from lookalike.ui.workspace import Project

MAX_ROWS = 1_000_000  # synthetic rows one training job writes
MIN_HOLDOUT_ROWS = 50  # below this every row trains the model and privacy is not measured


@dataclass
class TrainSettings:
    """What the train form asked for, checked."""

    model: str
    time_budget: float | None = 60.0
    target: str | None = None
    rows: int | None = None  # synthetic rows (default: as many as the real table)
    holdout: bool = True
    seed: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    report: bool = True  # evaluate and draw the report (the slow part on a small table)

    @classmethod
    def from_form(cls, form: dict[str, Any], project: Project) -> TrainSettings:
        """Checked settings from the Model page; DataError naming the field otherwise."""
        from lookalike.models import model_class

        name = str(form.get("model") or "")
        accepted = set(model_class(name)().get_params())
        budget = _number(form.get("time_budget"), "time_budget", float, none_ok=True)
        if budget is not None and budget <= 0:
            raise DataError(f"--max-time must be positive, got {budget}.")
        rows = _number(form.get("rows"), "rows", int, none_ok=True)
        if rows is not None and not 0 < rows <= MAX_ROWS:
            raise DataError(f"-n must be between 1 and {MAX_ROWS:,} rows here, got {rows}.")
        target = form.get("target") or None
        if target is not None and target not in project.state["columns"]:
            raise DataError(f"--target {target!r} is not a column of {project.name}.")
        from lookalike.models import parse_params  # typed as the CLI's -p

        lines = [line.strip() for line in str(form.get("params") or "").splitlines()]
        params = parse_params(name, [line for line in lines if line])
        seed = _number(form.get("seed"), "seed", int, none_ok=True)
        return cls(
            name,
            budget if "max_time" in accepted else None,
            target,
            rows,
            bool(form.get("holdout", True)),
            0 if seed is None else seed,
            params,
            bool(form.get("report", True)),
        )


def _number(raw: Any, name: str, kind: type, none_ok: bool = False) -> Any:
    if raw is None or raw == "":
        if none_ok:
            return None
        raise DataError(f"{name} is required.")
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a number, got {raw!r}.") from None
    if isinstance(value, float) and not np.isfinite(value):
        raise DataError(f"{name} must be a finite number, got {raw!r}.")
    return value


def load_table(project: Project) -> pd.DataFrame:
    """The project's uploaded table."""
    from lookalike.io import read_table

    if project.state.get("linked"):
        raise DataError(f"{project.name} holds linked tables; its pages are under Data (page 1).")

    return read_table(project.table_path)


def project_metadata(project: Project) -> Metadata:
    """The project's column kinds, as the user left them."""
    return Metadata.from_dict(project.state["metadata"])


def split(
    frame: pd.DataFrame, target: str | None, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(train, holdout): 20% held out (per class of the target when there is one)."""
    if len(frame) < MIN_HOLDOUT_ROWS:
        return frame, None
    from lookalike.bench import HOLDOUT_SHARE, split_holdout

    if target is not None:
        return split_holdout(frame, target, seed)
    order = np.random.default_rng(seed).permutation(len(frame))
    cut = max(1, round(len(frame) * HOLDOUT_SHARE))
    test, train = np.sort(order[:cut]), np.sort(order[cut:])
    return frame.iloc[train].reset_index(drop=True), frame.iloc[test].reset_index(drop=True)


def train(project: Project, settings: TrainSettings, watch: Watch) -> dict[str, Any]:
    """Fit, save, sample, evaluate, report; see the module docstring."""
    from lookalike.io import write_table
    from lookalike.models import get_model
    from lookalike.persistence import save

    watch.set_stage("reading the table")
    frame = load_table(project)
    metadata = project_metadata(project)
    fit_rows, holdout = (
        split(frame, settings.target, settings.seed)
        if settings.holdout
        else (
            frame,
            None,
        )
    )
    params = {"random_state": settings.seed, **settings.params}
    if settings.time_budget is not None:
        params.setdefault("max_time", settings.time_budget)
    watch.set_stage(f"training {settings.model}", params.get("max_time"))
    model = get_model(settings.model, **params).fit(fit_rows, metadata)
    stopped_early = watch.cancel.is_set()
    history = getattr(model, "history_", {}) or {}
    save(model, project.path("model.lookalike"))
    result: dict[str, Any] = {
        "model": settings.model,
        "fit_rows": len(fit_rows),
        "holdout_rows": 0 if holdout is None else len(holdout),
        "stopped_early": stopped_early or history.get("stopped") in ("max_time", "interrupted"),
        "epochs": history.get("epochs"),
    }
    watch.cancel.clear()  # a cancel during training stops training only: the rest is quick
    watch.set_stage("sampling")
    synthetic = model.sample(settings.rows or len(frame), random_state=settings.seed)
    write_table(synthetic, project.path("synthetic.csv"))
    write_table(synthetic, project.path("synthetic.parquet"))
    result["rows"] = len(synthetic)
    for stale in ("report.json", "report.html"):  # a report of an earlier model would mislead
        project.path(stale).unlink(missing_ok=True)
    project.update(trained={"model": settings.model, "target": settings.target})
    if watch.cancel.is_set():
        return {**result, "cancelled": True}
    if not settings.report:
        return result
    watch.set_stage("evaluating")
    report = _evaluate(fit_rows, synthetic, holdout, settings, metadata)
    if watch.cancel.is_set():
        return {**result, "cancelled": True}
    watch.set_stage("drawing the report")
    report.to_html(project.path("report.html"))
    summary = {
        "scores": report.scores,
        "verdicts": report.verdicts,
        "notes": report.notes,
        **result,
    }
    from lookalike.io import atomic_path

    with atomic_path(project.path("report.json")) as tmp:
        tmp.write_text(json.dumps(summary, default=str), encoding="utf-8")
    return result


def _evaluate(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame | None,
    settings: TrainSettings,
    metadata: Metadata,
) -> Any:
    from lookalike.evaluation import evaluate

    return evaluate(
        real,
        synthetic,
        holdout=holdout,
        target=settings.target,
        metadata=metadata,
        random_state=settings.seed,
    )


def compare(
    project: Project, models: list[str], target: str, budget: float, watch: Watch
) -> dict[str, Any]:
    """The leaderboard rows (best first on fidelity and privacy, `lookalike.bench_rank`), reported
    model by model.
    """
    from lookalike.bench import run_bench

    if not target:
        raise DataError("choose the column to predict (--target) to compare models.")
    frame = load_table(project)
    finished: list[str] = []

    def one_done(row: dict[str, Any]) -> None:
        finished.append(str(row["model"]))
        watch.set_stage(f"compared {len(finished)} of {len(models)} models", budget)
        watch.step("models", len(finished), len(models))

    watch.set_stage(f"comparing {len(models)} models", budget)
    table = run_bench(frame, target, models, time_budget=budget, random_state=0, on_result=one_done)
    rows = json.loads(table.to_json(orient="records"))
    return {"leaderboard": rows}
