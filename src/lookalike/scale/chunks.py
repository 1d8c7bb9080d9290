"""What every sampling engine shares: the model as bytes for workers, one chunk's rows, and the
form a chunk is written in.

Chunk i of a call is drawn from a seed derived from (seed, i) (`Model.sample_chunks`), so the
rows for a seed are the same whatever the engine, the process and the number of workers.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from lookalike.io.files import TextChunk, csv_text
from lookalike.io.sql import is_url
from lookalike.models.base import Conditions, Model
from lookalike.models.sampling import entropy


def model_bytes(model: Model) -> bytes:
    """The fitted model as the bytes of its model file (what workers receive)."""
    from lookalike.persistence import save

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.lookalike"
        save(model, path)
        return path.read_bytes()


_LOADED: dict[str, Model] = {}  # per worker process: model file digest -> loaded model


def model_from_bytes(payload: bytes) -> Model:
    """The model a model file's bytes hold, loaded once per worker process."""
    digest = hashlib.sha256(payload).hexdigest()
    if digest not in _LOADED:
        from lookalike.persistence import load

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.lookalike"
            path.write_bytes(payload)
            _LOADED.clear()  # one model at a time per worker
            _LOADED[digest] = load(path)
    return _LOADED[digest]


def resolve_seed(model: Model, seed: int | None) -> int:
    """The integer seed a call uses: `seed`, else the model's own, else a fresh random one."""
    return entropy(seed if seed is not None else model.random_state)


def draw(
    model: Model,
    index: int,
    n: int,
    entropy: int,
    conditions: Conditions | None,
    chunk_rows: int,
) -> pd.DataFrame:
    """Chunk `index` of a call for `n` rows: the same rows in any process."""
    size = min(chunk_rows, n - index * chunk_rows)
    return next(
        model.sample_chunks(
            size,
            conditions=conditions,
            random_state=entropy,
            chunk_rows=chunk_rows,
            start_chunk=index,
        )
    )


def unique_columns(model: Model) -> list[str]:
    """The columns under a unique constraint: their chunks cannot be drawn apart."""
    constraints = getattr(model, "constraints_", None)
    return list(getattr(constraints, "unique_columns", None) or [])


def unique_message(columns: list[str], instead: str) -> str:
    """Why a sample with unique columns cannot be split over workers, and `instead`."""
    return (
        f"the model has a unique constraint on {', '.join(map(repr, columns))}: every chunk must "
        f"know the values drawn before it, so it cannot be split over workers; use {instead}."
    )


def render_kind(output: str | Path, allow_formulas: bool = False) -> str:
    """The form chunks for `output` take (a key of `RENDERERS`); workers learn it from this."""
    if is_url(output):
        return "frame"
    suffix = Path(output).suffix.lower()
    csv = "csv-formulas" if allow_formulas else "csv"
    return {".csv": csv, ".parquet": "arrow", ".pq": "arrow"}.get(suffix, "frame")


def _arrow(frame: pd.DataFrame, index: int) -> Any:
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


# a chunk in the form its writer takes fastest: CSV text (header on the first), Arrow, the frame
RENDERERS: dict[str, Callable[[pd.DataFrame, int], Any]] = {
    "csv": lambda frame, index: TextChunk(
        csv_text(frame, index == 0, allow_formulas=False), len(frame)
    ),
    "csv-formulas": lambda frame, index: TextChunk(
        csv_text(frame, index == 0, allow_formulas=True), len(frame)
    ),
    "arrow": _arrow,
    "frame": lambda frame, index: frame,
}


def render(frame: pd.DataFrame, kind: str, index: int) -> Any:
    """Chunk `index` in the form `kind` (see `RENDERERS`)."""
    return RENDERERS[kind](frame, index)
