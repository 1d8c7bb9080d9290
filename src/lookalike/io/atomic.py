"""Atomic writes: a temp file beside the output, renamed over it only when complete.

Temp files are named `.NAME.lookalike-PID-RANDOM.tmp`. A run that is killed (`kill -9`, a power
cut) cannot remove its temp file, so the next write to the same output removes every temp file of
that output whose process is gone: no hidden file stays forever, and a concurrent writer's live
temp file is left alone. Any `OSError` (full disk, read-only folder, an output that is a folder or
under a file, ...) becomes one `DataError` that names the output (`lookalike.os_errors`).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from lookalike.errors import DataError
from lookalike.os_errors import os_data_error

_TEMP = re.compile(r"^\.(?P<name>.+)\.lookalike-(?P<pid>\d+)-[0-9a-f]+\.tmp$")


def temp_name(path: Path) -> Path:
    """A fresh temp path beside `path`, named so that a later run can tell whose it is."""
    return path.with_name(f".{path.name}.lookalike-{os.getpid()}-{secrets.token_hex(4)}.tmp")


def remove_stale_temps(path: Path) -> list[Path]:
    """Remove temp files of `path` left by processes that no longer run; returns them."""
    removed: list[Path] = []
    folder = path.parent
    with contextlib.suppress(OSError):
        for entry in folder.glob(f".{glob_escape(path.name)}.lookalike-*.tmp"):
            match = _TEMP.match(entry.name)
            if match and match["name"] == path.name and not _alive(int(match["pid"])):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed.append(entry)
    return removed


def glob_escape(name: str) -> str:
    """`name` with glob characters escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def check_writable_target(path: Path) -> None:
    """Refuse, before any work, an output that is a folder or whose parent is a file."""
    if path.is_dir():
        raise DataError(f"{path} is a folder; give a file name (e.g. {path / 'out.csv'}).")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise DataError(f"cannot write {path}: {parent} is a file, not a folder.")
            break


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temp path beside `path`; on success rename it to `path`, on failure remove it.

    Example:
        >>> with atomic_path("scores.json") as tmp:
        ...     _ = tmp.write_text("{}")
    """
    path = Path(path)
    check_writable_target(path)
    tmp = temp_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(path)
        tmp.touch(mode=0o666)  # created as a plain open() would (the umask applies)
    except OSError as error:
        raise os_data_error(error, path, "write") from None
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        if isinstance(error, OSError):
            raise os_data_error(error, path, "write") from None
        raise
