"""Model files: one zip holding model.json (format, model name, parameters, JSON state) and
arrays.npz (numeric arrays and tensor weights). Never pickle: loading a file runs no code from it.

A hostile file is refused with a ModelFileError before it costs time or memory:
- one SHA-256 signs the JSON and the arrays together, so an edited parameter fails to load;
- sizes are checked before inflating (declared sizes, a total cap, a compression-ratio cap),
  and members are read in bounded chunks, so a zip bomb fails fast;
- the JSON may hold no NaN/Infinity, and nesting too deep to parse is refused;
- every array is checked for dtype and finiteness, and each model's structure (trees acyclic,
  indices in range, correlation matrices valid, tables consistent) by `models.state_checks`.

Files are byte-identical for the same seed and data: fixed zip timestamps, no wall-clock times.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path
from typing import IO, Any

import numpy as np

from lookalike.errors import LookalikeError, ModelFileError, NotFittedError
from lookalike.models import get_model
from lookalike.models.base import Model

FORMAT = "lookalike-model"
FORMAT_VERSION = 2  # 2: the checksum covers the JSON as well as the arrays
# model files that hold several table models (namespaced state keys), by header "model" name;
# imported only when such a file is loaded
CONTAINERS = {"linked": "lookalike.linked.model:LinkedModel"}
MEMBERS = ("model.json", "arrays.npz")
MAX_BYTES_ENV = "LOOKALIKE_MAX_MODEL_BYTES"
MAX_BYTES = 2 << 30  # uncompressed size of a whole model file, unless MAX_BYTES_ENV says more
MAX_RATIO = 500  # inflating more than this (above RATIO_FLOOR bytes) is a zip bomb: real model
# files inflate 1-10x (float pools and weights hardly compress); zeros inflate ~1000x
RATIO_FLOOR = 256 << 20
_CHUNK = 1 << 20
_STAMP = (1980, 1, 1, 0, 0, 0)  # zip timestamps: fixed, so same model -> same bytes
_ARRAY_KINDS = "biuf"  # bool, int, uint, float: nothing else is stored


def save(model: Model, path: str | Path) -> None:
    """Write a fitted model to `path` atomically (a temp file, then a rename)."""
    from lookalike._version import __version__
    from lookalike.io.files import atomic_path

    if not model.is_fitted:
        raise NotFittedError(f"{type(model).__name__} is not fitted; call .fit(data) first.")
    state = model.get_state()
    arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
    for key, array in arrays.items():
        if array.dtype.kind not in _ARRAY_KINDS:
            raise TypeError(f"state array {key!r} has dtype {array.dtype}; store numbers or JSON")
    payload = _npz_bytes(arrays)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lookalike_version": __version__,
        "model": model.name,
        "params": model.get_params(),
        "state": {k: v for k, v in state.items() if k not in arrays},
    }
    header["sha256"] = _signature(header, payload)
    text = json.dumps(header, default=_json_default)
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(_info("model.json", zipfile.ZIP_DEFLATED), text)
        archive.writestr(_info("arrays.npz", zipfile.ZIP_DEFLATED), payload)


def load(path: str | Path) -> Model:
    """Read a model written by `save` (a LinkedModel for a linked-tables file); raises
    ModelFileError on anything else.
    """
    from lookalike.models.state_checks import check_state

    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"model file {path} does not exist; fit one with `lookalike fit`.")
    damaged = ModelFileError(
        f"{path} is not a lookalike model file, or it is truncated or damaged; "
        "fit the model again with `lookalike fit`."
    )
    try:
        with zipfile.ZipFile(path) as archive:
            members = _checked_members(archive, path)
            text, payload = (_read(archive, members[name]) for name in MEMBERS)
        header = _parse_json(text, path)
    except (
        zipfile.BadZipFile,
        KeyError,
        UnicodeDecodeError,
        OSError,
        EOFError,
        zipfile.LargeZipFile,
        NotImplementedError,
        ValueError,
    ) as error:
        if isinstance(error, ModelFileError):
            raise
        raise damaged from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ModelFileError(f"{path} is not a lookalike model file.")
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{path} has model format {header.get('format_version')!r}; this lookalike reads "
            f"format {FORMAT_VERSION}. Fit the model again with this version."
        )
    try:
        name = str(header.get("model"))
        if name not in CONTAINERS:
            get_model(name)  # an unknown name says so, signed or not
        claimed = header.pop("sha256", None)
        if claimed != _signature(header, payload):
            raise ModelFileError(f"{path} was changed after it was written (checksum mismatch).")
        arrays = _read_npz(payload, path)
        if not isinstance(header.get("params"), dict) or not isinstance(header.get("state"), dict):
            raise ModelFileError(f"{path} is damaged: it has no parameters or state.")
        state = {**header["state"], **arrays}
        if name not in CONTAINERS:  # a container checks each of its models as it sets them
            check_state(name, state)
        model = _new_model(name, dict(header["params"]))
        return model.set_state(state)  # type: ignore[no-any-return]
    except ModelFileError as error:
        raise ModelFileError(_one_line(str(error))) from None
    except LookalikeError as error:
        raise ModelFileError(_one_line(f"{path} cannot be loaded: {error}")) from None
    except (
        KeyError,
        TypeError,
        ValueError,
        IndexError,
        AttributeError,
        ArithmeticError,
        RuntimeError,  # torch: weights of the wrong shape; RecursionError
        MemoryError,
    ) as error:
        raise ModelFileError(
            _one_line(
                f"{path} is damaged or was edited ({type(error).__name__}: {error}); "
                "fit the model again."
            )
        ) from None


def _new_model(name: str, params: dict[str, Any]) -> Any:
    """An empty model of a file's kind: a registry model, or a container such as LinkedModel."""
    if name in CONTAINERS:
        import importlib

        module, cls = CONTAINERS[name].split(":")
        return getattr(importlib.import_module(module), cls)(**params)
    return get_model(name, **params)


# ---------------------------------------------------------------------- writing
def _info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_STAMP)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz that `np.load` reads, with fixed timestamps (np.savez stamps the current time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as npz:
        for key, array in arrays.items():
            with npz.open(_info(f"{key}.npy", zipfile.ZIP_STORED), "w", force_zip64=True) as fp:
                np.lib.format.write_array(fp, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


def _signature(header: dict[str, Any], payload: bytes) -> str:
    """SHA-256 over the canonical JSON of everything but the signature, then the arrays."""
    canonical = json.dumps(header, default=_json_default, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8"))
    digest.update(b"\0")
    digest.update(payload)
    return digest.hexdigest()


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a model file")


# ---------------------------------------------------------------------- reading
def max_bytes() -> int:
    """The largest uncompressed model file accepted (LOOKALIKE_MAX_MODEL_BYTES raises it)."""
    value = os.environ.get(MAX_BYTES_ENV, "")
    return int(value) if value.isdigit() else MAX_BYTES


def _checked_members(archive: zipfile.ZipFile, path: Path) -> dict[str, zipfile.ZipInfo]:
    """The two members, refused before inflating when their declared sizes are too large."""
    members = {info.filename: info for info in archive.infolist() if info.filename in MEMBERS}
    if len(members) != len(MEMBERS) or len(archive.infolist()) > 16:
        raise KeyError("members")
    total = sum(info.file_size for info in members.values())
    packed = sum(info.compress_size for info in members.values())
    limit = max_bytes()
    if total > limit:
        raise ModelFileError(
            f"{path} would inflate to {total / 2**20:.0f} MiB, more than the "
            f"{limit / 2**20:.0f} MiB allowed; set {MAX_BYTES_ENV} to load a larger model."
        )
    trusted = MAX_BYTES_ENV in os.environ  # the user raised the cap for this file
    if not trusted and total > RATIO_FLOOR and total > MAX_RATIO * max(packed, 1):
        raise ModelFileError(
            f"{path} inflates {total / max(packed, 1):.0f}-fold ({total / 2**20:.0f} MiB), "
            "which model files do not (a zip bomb?); if you trust it, set "
            f"{MAX_BYTES_ENV} to a size above that and load it again."
        )
    return members


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, read in bounded chunks and never past its declared size."""
    parts: list[bytes] = []
    size = 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > info.file_size:
                raise zipfile.BadZipFile("member larger than declared")
            parts.append(chunk)
    return b"".join(parts)


def _parse_json(text: bytes, path: Path) -> Any:
    """JSON with no NaN/Infinity; nesting deep enough to exhaust the stack is refused."""
    try:
        return json.loads(text.decode("utf-8"), parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise ModelFileError(
            f"{path} is not a model file lookalike wrote: its JSON is nested too deeply."
        ) from None


def _no_constant(name: str) -> float:
    raise ModelFileError(f"a model file holds only finite numbers, but this one has {name}.")


def _finite(text: str) -> float:
    value = float(text)
    if not np.isfinite(value):
        raise ModelFileError(f"a model file holds only finite numbers, but this one has {text}.")
    return value


def _read_npz(payload: bytes, path: Path) -> dict[str, np.ndarray]:
    """The arrays of an uncompressed .npz, each checked for dtype, size and finite values."""
    arrays: dict[str, np.ndarray] = {}
    with zipfile.ZipFile(io.BytesIO(payload)) as npz:
        for info in npz.infolist():
            if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
                raise ModelFileError(f"{path} holds arrays lookalike did not write.")
            key = info.filename[:-4]
            with npz.open(info) as fp:
                arrays[key] = _read_array(fp, info.file_size, key, path)
    return arrays


def _read_array(fp: IO[bytes], size: int, key: str, path: Path) -> np.ndarray:
    version = np.lib.format.read_magic(fp)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
    else:
        raise ModelFileError(f"{path}: array {key!r} has an unknown .npy version {version}.")
    if dtype.kind not in _ARRAY_KINDS or dtype.hasobject or dtype.fields is not None:
        raise ModelFileError(
            f"{path}: array {key!r} has dtype {dtype}, which lookalike never stores."
        )
    count = int(np.prod(shape, dtype=np.float64))
    if count * dtype.itemsize > size:
        raise ModelFileError(f"{path}: array {key!r} declares more data than it holds.")
    raw = fp.read(count * dtype.itemsize)
    if len(raw) != count * dtype.itemsize:
        raise ModelFileError(f"{path}: array {key!r} is truncated; fit the model again.")
    array = np.frombuffer(bytearray(raw), dtype=dtype).reshape(shape, order="F" if fortran else "C")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ModelFileError(
            f"{path}: array {key!r} holds NaN or infinite numbers; fit the model again."
        )
    return array


def _one_line(message: str) -> str:
    line = " ".join(message.split())
    return line if len(line) <= 300 else line[:297] + "..."
