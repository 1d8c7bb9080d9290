"""What the project pages show beyond the project itself: model choices, report, files."""

from __future__ import annotations

import importlib.util
import json
from typing import Any

from lookalike.ui import tasks
from lookalike.ui.columns import column_rows, preview
from lookalike.ui.workspace import OUTPUTS, Project

RECOMMENDED_WHY = (
    "cart (decision trees, one column after another) kept the statistics and relations of real "
    "tables best among the fast models in our benchmarks, fits in seconds on a laptop and needs "
    "no extra package."
)
KIND_NAMES = {
    "numerical": "number",
    "categorical": "category",
    "boolean": "yes/no",
    "datetime": "date/time",
    "id": "key",
    "pii": "personal data",
    "constant": "one value",
}


def model_choices() -> list[dict[str, Any]]:
    """The registered models for the model picker (default first)."""
    from lookalike.models import DEFAULT_MODEL, MODELS, model_class

    out = []
    for name, entry in MODELS.items():
        ready = not entry.extra or importlib.util.find_spec(entry.extra) is not None
        params = model_class(name)().get_params() if ready else {}
        out.append(
            {
                "name": name,
                "summary": entry.summary,
                "ready": ready,
                "extra": entry.extra,
                "recommended": name == DEFAULT_MODEL,
                "params": {k: v for k, v in params.items() if k != "random_state"},
                "neural": bool(entry.extra == "torch"),
            }
        )
    return sorted(out, key=lambda m: not m["recommended"])  # the recommended one first


def guess_target(project: Project) -> str | None:
    """The last column with a few values (a class to predict), else None."""
    columns = project.state["metadata"]["columns"]
    for name in reversed(project.state["columns"]):
        spec = columns[name]
        if spec["kind"] == "boolean" or (
            spec["kind"] == "categorical" and (spec.get("n_categories") or 99) <= 20
        ):
            return str(name)
    return None


def read_report(project: Project) -> dict[str, Any] | None:
    """The saved report data of a project, or None before one exists."""
    if not project.has("report.json"):
        return None
    return json.loads(project.path("report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def files(project: Project) -> list[dict[str, Any]]:
    """The project's files to download, with their sizes."""
    out = []
    for name, (file, _) in OUTPUTS.items():
        path = project.folder / file
        if path.is_file():
            out.append({"name": name, "size": path.stat().st_size})
    return out


def page_context(project: Project, page: str) -> dict[str, Any]:
    """What a project page's template needs beyond the project itself."""
    from lookalike.metadata import KINDS
    from lookalike.pii.fakes import KINDS as PII_KINDS

    if page == "data":
        frame = tasks.load_table(project)
        metadata = tasks.project_metadata(project)
        chosen = project.state.get("chosen", {})
        return {
            "preview": preview(frame),
            "columns": column_rows(frame, metadata, chosen),
            "kinds": KINDS,
            "kind_names": KIND_NAMES,
            "pii_kinds": PII_KINDS,
        }
    if page == "model":
        return {
            "models": model_choices(),
            "why": RECOMMENDED_WHY,
            "target": (project.state.get("settings") or {}).get("target", guess_target(project)),
            "settings": project.state.get("settings") or {},
        }
    if page == "review":
        return {"report": read_report(project), "has_model": project.has("model.lookalike")}
    if page == "download":
        return {"files": files(project), "report": read_report(project)}
    return {}
