"""Model files: one zip holding model.json (format, model name, parameters, JSON state) and
arrays.npz (numeric arrays and tensor weights), with a checksum. Never pickle: loading a file
runs no code from it, and a truncated, tampered or foreign file fails with a ModelFileError.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from lookalike.errors import LookalikeError, ModelFileError, NotFittedError
from lookalike.models import get_model
from lookalike.models.base import Model

FORMAT = "lookalike-model"
FORMAT_VERSION = 1
# model files that hold several table models (namespaced state keys), by header "model" name;
# imported only when such a file is loaded
CONTAINERS = {"linked": "lookalike.linked.model:LinkedModel"}


def save(model: Model, path: str | Path) -> None:
    """Write a fitted model to `path` atomically (a temp file, then a rename)."""
    from lookalike._version import __version__
    from lookalike.io.files import atomic_path

    if not model.is_fitted:
        raise NotFittedError(f"{type(model).__name__} is not fitted; call .fit(data) first.")
    state = model.get_state()
    arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
    for key, array in arrays.items():
        if array.dtype == object:
            raise TypeError(f"state array {key!r} has dtype object; store numbers or JSON")
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    payload = buffer.getvalue()
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lookalike_version": __version__,
        "model": model.name,
        "params": model.get_params(),
        "state": {k: v for k, v in state.items() if k not in arrays},
        "arrays_sha256": hashlib.sha256(payload).hexdigest(),
    }
    if getattr(model, "fit_info_", None):  # provenance: when, how long, from what (no values)
        header["fit_info"] = model.fit_info_
    text = json.dumps(header, default=_json_default)
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", text)
        archive.writestr("arrays.npz", payload)


def load(path: str | Path) -> Model:
    """Read a model written by `save` (a LinkedModel for a linked-tables file); raises
    ModelFileError on anything else."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"model file {path} does not exist; fit one with `lookalike fit`.")
    try:
        with zipfile.ZipFile(path) as archive:
            header = json.loads(archive.read("model.json"))
            payload = archive.read("arrays.npz")
    except (
        zipfile.BadZipFile,
        KeyError,
        json.JSONDecodeError,
        UnicodeDecodeError,
        OSError,
        EOFError,
        zipfile.LargeZipFile,
        NotImplementedError,
    ):
        raise ModelFileError(
            f"{path} is not a lookalike model file, or it is truncated or damaged; "
            "fit the model again with `lookalike fit`."
        ) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(f"{path} is not a lookalike model file.")
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{path} has model format {header.get('format_version')!r}; this lookalike reads "
            f"format {FORMAT_VERSION}. Fit the model again with this version."
        )
    if hashlib.sha256(payload).hexdigest() != header.get("arrays_sha256"):
        raise ModelFileError(f"{path} was changed after it was written (checksum mismatch).")
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        model = _new_model(str(header["model"]), dict(header["params"]))
        model = model.set_state({**header["state"], **arrays})
        model.fit_info_ = dict(header.get("fit_info") or {})
        return model  # type: ignore[no-any-return]
    except LookalikeError as error:
        raise ModelFileError(f"{path} cannot be loaded: {error}") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise ModelFileError(
            f"{path} is damaged or was edited ({type(error).__name__}: {error}); "
            "fit the model again."
        ) from None


def _new_model(name: str, params: dict[str, Any]) -> Any:
    """An empty model of a file's kind: a registry model, or a container such as LinkedModel."""
    if name in CONTAINERS:
        import importlib

        module, cls = CONTAINERS[name].split(":")
        return getattr(importlib.import_module(module), cls)(**params)
    return get_model(name, **params)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a model file")
