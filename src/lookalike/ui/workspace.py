"""The web app's workspace: one folder per project, server-chosen names, nothing outside it.

A project is a table the user uploaded (or read once from a database), its metadata with the
user's changes, and what training made from it:

    ROOT/projects/<16 hex>/project.json     name shown, rows, columns, metadata, settings
                          table.csv|.parquet the upload, under a name the server chose
                          model.lookalike, synthetic.csv, synthetic.parquet, report.html,
                          report.json, sample.csv

File names a user sends are never used as paths: they are kept only as text to show. Every path
the app opens is `project_dir / <a fixed name>`, and project ids must match `^[0-9a-f]{16}$`.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from lookalike.errors import DataError

ID = re.compile(r"^[0-9a-f]{16}$")
UPLOAD_SUFFIXES = {".csv": ".csv", ".tsv": ".csv", ".txt": ".csv", ".parquet": ".parquet"}
UPLOAD_SUFFIXES[".pq"] = ".parquet"
DEFAULT_UPLOAD_LIMIT = 200 * 1024 * 1024  # bytes
_BLOCK = 1024 * 1024
OUTPUTS = {  # name in a download URL -> (file in the project folder, media type)
    "synthetic.csv": ("synthetic.csv", "text/csv"),
    "synthetic.parquet": ("synthetic.parquet", "application/vnd.apache.parquet"),
    "report.html": ("report.html", "text/html"),
    "model.lookalike": ("model.lookalike", "application/zip"),
    "sample.csv": ("sample.csv", "text/csv"),
}


def display_name(name: str | None) -> str:
    """A file name safe to show: its last part, printable characters only, at most 80."""
    base = re.split(r"[\\/]", name or "")[-1]
    shown = "".join(c for c in base if c.isprintable()).strip()
    return shown[:80] or "table"


@dataclass
class Project:
    """One table in the workspace; `state` is project.json."""

    folder: Path
    state: dict[str, Any]

    @property
    def id(self) -> str:
        """The project's folder name, used in URLs."""
        return self.folder.name

    @property
    def name(self) -> str:
        """The name the user gave the table."""
        return str(self.state.get("name", "table"))

    def path(self, name: str) -> Path:
        """A file of this project by one of the fixed names (never a user's)."""
        if name not in {"table.csv", "table.parquet", "project.json", "report.json"} and not any(
            name == file for file, _ in OUTPUTS.values()
        ):
            raise DataError(f"no project file named {name!r}.")
        return self.folder / name

    @property
    def table_path(self) -> Path:
        """Where the uploaded table is stored."""
        return self.folder / str(self.state["table_file"])

    def save(self) -> None:
        """Write the project state atomically."""
        from lookalike.io import atomic_path

        with atomic_path(self.folder / "project.json") as tmp:
            tmp.write_text(json.dumps(self.state, indent=1, default=str), encoding="utf-8")

    def update(self, **changes: Any) -> None:
        """Re-read project.json, apply `changes` and save: a job does not undo page edits made
        while it ran.
        """
        self.state = json.loads((self.folder / "project.json").read_text(encoding="utf-8"))
        self.state.update(changes)
        self.save()

    def has(self, name: str) -> bool:
        """True when the project holds the file `name`."""
        return self.path(name).is_file()


class Workspace:
    """Projects under `root`; created on first use."""

    def __init__(self, root: str | Path, upload_limit: int = DEFAULT_UPLOAD_LIMIT) -> None:
        self.root = Path(root).resolve()
        self.upload_limit = upload_limit
        (self.root / "projects").mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ projects
    def project(self, project_id: str) -> Project:
        """The project with this id; DataError when there is none (or the id is malformed)."""
        folder = self.root / "projects" / project_id
        if not ID.match(project_id) or not (folder / "project.json").is_file():
            raise DataError("this project does not exist (any more); upload the table again.")
        state = json.loads((folder / "project.json").read_text(encoding="utf-8"))
        return Project(folder, state)

    def projects(self) -> list[Project]:
        """Every project, newest first."""
        found = []
        for folder in (self.root / "projects").iterdir():
            if ID.match(folder.name) and (folder / "project.json").is_file():
                found.append(self.project(folder.name))
        return sorted(found, key=lambda p: p.state.get("created", 0), reverse=True)

    def new_project(self, name: str, suffix: str) -> Project:
        """A new, empty project folder for a table called `name`."""
        folder = self.root / "projects" / secrets.token_hex(8)
        folder.mkdir(parents=True)
        state = {"name": display_name(name), "table_file": "table" + suffix, "created": time.time()}
        return Project(folder, state)

    def remove(self, project: Project) -> None:
        """Delete a project folder of this workspace (never anything outside it)."""
        if project.folder.parent == self.root / "projects":
            shutil.rmtree(project.folder, ignore_errors=True)

    # ------------------------------------------------------------------ uploads
    def receive(self, name: str | None, stream: BinaryIO) -> Project:
        """`receive_stream` for an open file (the example table, tests); not in an event loop."""
        import asyncio

        async def blocks() -> AsyncIterator[bytes]:
            while block := stream.read(_BLOCK):
                yield block

        return asyncio.run(self.receive_stream(name, blocks()))

    async def receive_stream(self, name: str | None, chunks: AsyncIterator[bytes]) -> Project:
        """Copy an upload into a new project under a server-chosen name, block by block as it
        arrives, within the size limit (a larger file is never stored whole).
        """
        project = self._start(name)
        try:
            with project.table_path.open("wb") as out:
                written = 0
                async for block in chunks:
                    written = self._write(out, block, written, project)
            self._finish(written, project)
        except BaseException:
            self.remove(project)
            raise
        return project

    def _start(self, name: str | None) -> Project:
        shown = display_name(name)
        suffix = Path(shown).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise DataError(
                f"{shown}: unsupported file type {suffix or '(none)'!r}; use a .csv or .parquet "
                "file."
            )
        return self.new_project(shown, UPLOAD_SUFFIXES[suffix])

    def _write(self, out: BinaryIO, block: bytes, written: int, project: Project) -> int:
        written += len(block)
        if written > self.upload_limit:
            raise DataError(
                f"{project.name} is larger than the upload limit of "
                f"{self.upload_limit // (1024 * 1024)} MB; use a smaller file or start the app "
                "with a larger --max-upload-mb."
            )
        out.write(block)
        return written

    def _finish(self, written: int, project: Project) -> None:
        if written == 0:
            raise DataError(
                f"{project.name} is empty; choose a CSV or Parquet file with a header row."
            )
