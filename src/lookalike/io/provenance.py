"""Where a table came from, without its data: name, rows, columns and a SHA-256 fingerprint.

A file is fingerprinted by its bytes (the same file gives the same hash on any machine); a frame
held in memory by its column names, dtypes and cell values (pandas' per-row hashes, then SHA-256).
A database URL is kept with its password masked. Nothing here stores a value of the table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

_BLOCK = 1 << 20


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, read in 1 MiB blocks (a folder: of its files, in order).

    Example:
        >>> len(file_sha256(__file__))
        64
    """
    path = Path(path)
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for item in files:
        if path.is_dir():
            digest.update(str(item.relative_to(path)).encode("utf-8"))
        with item.open("rb") as handle:
            while block := handle.read(_BLOCK):
                digest.update(block)
    return digest.hexdigest()


def frame_sha256(frame: pd.DataFrame) -> str:
    """A SHA-256 over column names, dtypes and values: equal frames give equal hashes.

    Example:
        >>> frame_sha256(pd.DataFrame({"x": [1, 2]})) == frame_sha256(pd.DataFrame({"x": [1, 2]}))
        True
    """
    digest = hashlib.sha256()
    for name, dtype in frame.dtypes.items():
        digest.update(f"{name}\x1f{dtype}\x1e".encode())
    try:
        rows = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        digest.update(rows.tobytes())
    except TypeError:  # unhashable cells (lists, dicts): hash their text instead
        digest.update(frame.astype(str).to_csv(index=False).encode("utf-8"))
    return digest.hexdigest()


def describe_source(source: Any, frame: pd.DataFrame | None = None) -> dict[str, Any]:
    """{"name", "rows", "columns", "sha256", "hashed"} for a path, a database URL or a frame.

    `hashed` says what the fingerprint covers: "file" (its bytes) or "frame" (the values read).
    """
    from lookalike.io.sql import is_url, mask_url

    out: dict[str, Any] = {"name": None}
    if isinstance(source, str | Path) and not is_url(str(source)):
        out["name"] = Path(source).name
        if Path(source).exists():
            out.update(sha256=file_sha256(source), hashed="file")
    elif isinstance(source, str):
        out["name"] = mask_url(source)
    if frame is not None:
        out["rows"], out["columns"] = int(frame.shape[0]), int(frame.shape[1])
        if "sha256" not in out:
            out.update(sha256=frame_sha256(frame), hashed="frame")
    return out


def now() -> str:
    """The current UTC time as ISO 8601 to the second, e.g. "2026-12-01T22:30:00Z"."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fit_info(frame: pd.DataFrame, seconds: float) -> dict[str, Any]:
    """What a model file records about its fit: when, how long, and the training frame's shape
    and fingerprint (never a value); `lookalike fit` adds the source file's name and hash.
    """
    from lookalike._version import __version__

    return {
        "fitted_at": now(),
        "seconds": round(float(seconds), 3),
        "lookalike_version": __version__,
        "training": describe_source(None, frame),
    }
