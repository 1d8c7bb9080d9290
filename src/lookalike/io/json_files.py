"""JSON files a person edits (metadata, a linked-tables schema): read from a path or from text,
written atomically.

Both readers take either a file path or the JSON text itself (text starting with "{"), and every
problem (no file, unreadable, not JSON, nested too deeply) is one MetadataError naming the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lookalike.errors import MetadataError
from lookalike.io.atomic import atomic_path


def read_json(path_or_text: str | Path, what: str) -> Any:
    """The JSON value in a file (or in `path_or_text` itself, when it starts with "{").

    `what` names the document in messages: "metadata file m.json does not exist."

    Example:
        >>> read_json('{"columns": {}}', "metadata")
        {'columns': {}}
    """
    text = str(path_or_text)
    if not text.lstrip().startswith("{"):
        path = Path(path_or_text)
        if not path.exists():
            raise MetadataError(f"{what} file {path} does not exist.")
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise MetadataError(f"{what} file {path} cannot be read ({error}).") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise MetadataError(
            f"{what} is not valid JSON ({error.msg} at line {error.lineno})."
        ) from None
    except RecursionError:
        raise MetadataError(f"{what} JSON is nested too deeply to be {what}.") from None


def write_json(
    data: Any, path: str | Path | None = None, default: Callable[[Any], Any] | None = None
) -> str:
    """`data` as indented JSON text; also written atomically to `path` when given."""
    text = json.dumps(data, indent=2, default=default)
    if path is not None:
        with atomic_path(path) as tmp:
            Path(tmp).write_text(text + "\n", encoding="utf-8")
    return text
