"""The `records` verb: list the provenance cards under a folder, delete expired outputs.

find_cards(folder)                  every card under a folder
list_records(folder, expired=...)   the cards and the text table `lookalike records` prints
delete_records(records)             remove each output and its card, all or nothing
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lookalike.errors import DataError
from lookalike.records import CARD_SUFFIX, clean_purpose, read_card


@dataclass(frozen=True)
class Record:
    """One card found on disk, with the facts `records` lists."""

    card_path: Path
    card: dict[str, Any]

    @property
    def output(self) -> Path | None:
        """The output the card describes (None for a database output)."""
        if self.card.get("output", {}).get("kind") == "database":
            return None
        return self.card_path.with_name(self.card_path.name[: -len(CARD_SUFFIX)])

    def age_days(self, today: dt.date) -> int | None:
        """Days since the card was written (None when its date cannot be read)."""
        created = str(self.card.get("created") or "")[:10]
        with contextlib.suppress(ValueError):
            return (today - dt.date.fromisoformat(created)).days
        return None

    def is_expired(self, today: dt.date) -> bool:
        """True when the card's --expires date has passed."""
        expires = self.card.get("expires")
        return bool(expires) and dt.date.fromisoformat(str(expires)) < today

    def privacy_verdict(self) -> str:
        """The privacy verdict in words, or "not evaluated"."""
        privacy = self.card.get("privacy") or {}
        return str(privacy.get("verdict") or "not evaluated")


def find_cards(folder: str | Path) -> tuple[list[Record], list[str]]:
    """Every card under `folder` (recursively), oldest first, and a note per unreadable card."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder} is not a folder; give the folder that holds the outputs.")
    found, problems = [], []
    for path in sorted(folder.rglob(f"*{CARD_SUFFIX}")):
        if path.name.startswith("."):
            continue  # a temp file of a write or delete in progress
        try:
            found.append(Record(path, read_card(path)))
        except DataError as error:
            problems.append(str(error))
    found.sort(key=lambda r: str(r.card.get("created") or ""))
    return found, problems


def format_records(records: list[Record], folder: Path, today: dt.date) -> str:
    """The cards as an aligned text table: output, command, purpose, age, expiry, privacy."""
    header = ["output", "made by", "purpose", "age", "expires", "privacy"]
    rows = [header]
    for record in records:
        age = record.age_days(today)
        expires = str(record.card.get("expires") or "-")
        rows.append(
            [
                _shown_output(record, folder),
                str(record.card.get("command") or "?"),
                _short(clean_purpose(str(record.card.get("purpose") or "-")) or "-", 40),
                f"{age} d" if age is not None else "?",
                expires + (" (expired)" if record.is_expired(today) else ""),
                record.privacy_verdict(),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def delete_output(record: Record) -> list[Path]:
    """Remove the output and its card, all or nothing: both are renamed aside first (a failure
    puts them back), then deleted. Returns what was removed. A database output is not dropped:
    DataError says so and the card stays.
    """
    output = record.output
    if output is None:
        name = record.card.get("output", {}).get("name")
        raise DataError(
            f"{name} is a database table: drop it with your database tools; its card "
            f"{record.card_path} is kept until then."
        )
    moved: list[tuple[Path, Path]] = []
    try:
        for path in (output, record.card_path):
            if path.exists() or path.is_symlink():
                aside = path.with_name(f".{path.name}.deleting-{os.getpid()}")
                os.replace(path, aside)
                moved.append((path, aside))
    except OSError as error:
        for path, aside in reversed(moved):
            with contextlib.suppress(OSError):
                os.replace(aside, path)
        raise DataError(f"cannot remove {output}: {error}; nothing was removed.") from None
    for _, aside in moved:
        if aside.is_dir() and not aside.is_symlink():
            shutil.rmtree(aside)
        else:
            aside.unlink()
    return [path for path, _ in moved]


def _shown_output(record: Record, folder: Path) -> str:
    output = record.output
    if output is None:
        return str(record.card.get("output", {}).get("name"))
    with contextlib.suppress(ValueError):
        return str(output.relative_to(folder))
    return str(output)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def list_records(folder: str | Path, *, expired: bool) -> tuple[list[Record], list[str], str]:
    """The cards under `folder` (only the expired ones if `expired`), notes on unreadable cards,
    and the text table `lookalike records` prints.
    """
    today = dt.date.today()
    found, problems = find_cards(folder)
    shown = [r for r in found if r.is_expired(today)] if expired else found
    if not shown:
        return shown, problems, "no expired outputs." if expired else f"no cards under {folder}."
    return shown, problems, format_records(shown, Path(folder), today)


def delete_records(records: list[Record]) -> list[str]:
    """Delete each record's output and card (each all or nothing); one line per output."""
    lines = []
    for record in records:
        try:
            removed = delete_output(record)
        except DataError as error:  # a database table, or a file that will not move: kept
            lines.append(f"note: {error}")
            continue
        lines.append("removed " + " and ".join(str(path) for path in removed))
    return lines
