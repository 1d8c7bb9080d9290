"""Helpers to tamper with model files and sign them again, as an attacker who read the code can."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from lookalike.persistence import _npz_bytes, _signature

Edit = Callable[[dict[str, Any], dict[str, np.ndarray]], None]


def read_parts(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    with zipfile.ZipFile(path) as archive:
        header = json.loads(archive.read("model.json"))
        payload = archive.read("arrays.npz")
    with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
        arrays = {k: npz[k].copy() for k in npz.files}
    header.pop("sha256", None)
    return header, arrays


def resign(path: Path, edit: Edit) -> None:
    """Apply `edit` to the header and arrays of the model file at `path`, then sign it again."""
    header, arrays = read_parts(path)
    edit(header, arrays)
    payload = _npz_bytes(arrays)
    header["sha256"] = _signature(header, payload)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", json.dumps(header))
        archive.writestr("arrays.npz", payload)
