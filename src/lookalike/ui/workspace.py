"""The web app's workspace: one folder per project, server-chosen names, nothing outside it.

A project is a table the user uploaded (or read once from a database), its metadata with the
user's changes, and what training made from it (or a set of linked tables: several CSV/Parquet
files or a zip of them, stored as tables/<safe name>.csv|.parquet, with their schema):

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
    "synthetic.zip": ("synthetic.zip", "application/zip"),  # linked tables + their report
}
TABLE_NAME = re.compile(r"[^A-Za-z0-9_]+")  # a linked table's name: from its file name, made safe


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


# ---------------------------------------------------------------------- linked tables
def table_name(file_name: str) -> str:
    """A linked table's name from its file name: the stem, letters, digits and _ only."""
    stem = Path(display_name(file_name)).stem
    return TABLE_NAME.sub("_", stem).strip("_")[:60] or "table"


def receive_tables(ws: Workspace, files: list[tuple[str, BinaryIO]]) -> Project:
    """A new linked-tables project from several uploaded files (CSV/Parquet, or zips of them),
    each stored under tables/ by its safe table name, all together within the upload limit.
    Files sent with a folder path (a chosen folder) that are not tables are skipped, as in a zip.
    """
    project = ws.new_project(f"{len(files)} files", ".csv")
    project.state.update(linked=True, table_file=None)
    folder = project.folder / "tables"
    folder.mkdir()
    stored: dict[str, int] = {}  # table name -> bytes
    try:
        for name, stream in files:
            shown = display_name(name)
            suffix = Path(shown).suffix.lower()
            if suffix == ".zip":
                _unzip(ws, shown, stream, folder, stored)
            elif suffix in UPLOAD_SUFFIXES or not re.search(r"[\\/]", name):
                _store(ws, shown, stream, folder, stored)
            # else: a file of a chosen folder (FOLDER/README.md) that is not a table: skipped
        if len(stored) < 2:
            raise DataError(
                "linked tables need at least two tables: choose several CSV or Parquet files, "
                "a folder of them, or one zip."
            )
        one = display_name(files[0][0]) if len(files) == 1 else None  # a zip: its name
        project.state["name"] = one or display_name(", ".join(stored))
        project.save()
    except BaseException:
        ws.remove(project)
        raise
    return project


def _store(
    ws: Workspace, shown: str, stream: BinaryIO, folder: Path, stored: dict[str, int]
) -> None:
    suffix = Path(shown).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise DataError(
            f"{shown}: unsupported file type {suffix or '(none)'!r}; use .csv or .parquet files "
            "(or a .zip of them)."
        )
    name = table_name(shown)
    if name in stored:
        raise DataError(f"two files make table {name!r}; rename or drop one of them.")
    written = 0
    with (folder / f"{name}{UPLOAD_SUFFIXES[suffix]}").open("wb") as out:
        while block := stream.read(_BLOCK):
            written += len(block)
            if sum(stored.values()) + written > ws.upload_limit:
                raise DataError(
                    f"the tables are larger than the upload limit of "
                    f"{ws.upload_limit // (1024 * 1024)} MB; start the app with a larger "
                    "--max-upload-mb."
                )
            out.write(block)
    if written == 0:
        raise DataError(f"{shown} is empty; every table needs a header row.")
    stored[name] = written


def _unzip(
    ws: Workspace, shown: str, stream: BinaryIO, folder: Path, stored: dict[str, int]
) -> None:
    """The tables of a zip (in any of its folders); other entries (README, spec.json, macOS
    metadata) are skipped; names inside are only ever used through `table_name`.
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        raise DataError(f"{shown} is not a zip file that can be read.") from None
    with archive:
        for entry in archive.infolist():
            base = re.split(r"[\\/]", entry.filename)[-1]
            if entry.is_dir() or base.startswith(".") or "__MACOSX" in entry.filename:
                continue
            if Path(base).suffix.lower() not in UPLOAD_SUFFIXES:
                continue
            try:
                with archive.open(entry) as member:
                    _store(ws, base, member, folder, stored)  # type: ignore[arg-type]
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
                raise DataError(f"{shown}: cannot read {display_name(base)} ({error}).") from None
