"""Where sampling runs: a local process pool, or a Dask cluster.

Every engine draws chunk i of a call from a seed derived from (seed, i) (`Model.sample_chunks`), so
the rows for a seed are the same whatever the engine and the number of workers. Workers get the
fitted model as its model file bytes (`lookalike.persistence`: JSON + arrays, never a pickle).

    sample_local(model, n, "out.parquet", seed=1, workers=2)   one file or database table
    sample_dask(model, n, "out/", seed=1)                       a folder of Parquet parts

`sample_dask` without `scheduler` starts a `dask.distributed.LocalCluster`; with an address such as
`tcp://10.0.0.5:8786` it runs on that cluster, whose workers need lookalike installed and the output
folder on a file system they share with the client.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lookalike._progress import progress
from lookalike.errors import DataError
from lookalike.io.files import TextChunk, atomic_path, csv_text, write_chunks
from lookalike.io.sql import is_url
from lookalike.masking import mask_url
from lookalike.models.base import Conditions, Model
from lookalike.scale.child_processes import become_worker, shielded_children, stop_pool
from lookalike.values import CHUNK_ROWS, check_whole

PARTITION_ROWS = 1_000_000  # rows per Dask partition (one Parquet part each)
POOL_FROM_CHUNKS = 20  # without --workers, calls of fewer chunks run in this process
SCHEDULER_TIMEOUT = 10  # seconds to wait for a scheduler to answer
_MANIFEST = "_lookalike.json"


# ---------------------------------------------------------------------- shared
def model_bytes(model: Model) -> bytes:
    """The fitted model as the bytes of its model file (what workers receive)."""
    from lookalike.persistence import save

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.lookalike"
        save(model, path)
        return path.read_bytes()


_LOADED: dict[str, Model] = {}  # per worker process: model file digest -> loaded model


def _model_from_bytes(payload: bytes) -> Model:
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
    chosen = seed if seed is not None else model.random_state
    if chosen is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    return int(chosen)


def _draw(
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


# ---------------------------------------------------------------------- local engine
def sample_local(
    model: Model,
    n: int,
    output: str | Path,
    *,
    seed: int | None = None,
    conditions: Conditions | None = None,
    workers: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
    allow_formulas: bool = False,
) -> int:
    """Stream `n` rows to a .csv, .parquet or database table, sampling on `workers` processes.

    Memory stays flat: at most two chunks per worker are in flight. The rows equal
    `model.sample(n, random_state=seed)` for any number of workers. `workers=None` uses every
    core (up to 8) from `POOL_FROM_CHUNKS` chunks on, else this process. Returns the rows written.

    Example:
        >>> sample_local(model, 10_000_000, "synthetic.parquet", seed=1, workers=2)
        10000000
    """
    if n <= 0:
        raise DataError(f"the number of rows must be positive, got {n}.")
    entropy = resolve_seed(model, seed)
    chunks = math.ceil(n / chunk_rows)
    unique = _unique_columns(model)
    if workers is None:  # a pool costs a few seconds to start: worth it from ~1M rows
        workers = _default_workers() if chunks >= POOL_FROM_CHUNKS and not unique else 1
    check_whole(workers, "--workers")
    if unique and workers > 1 and chunks > 1:
        raise DataError(_unique_message(unique, "--workers 1"))
    kind = _render_kind(output, allow_formulas)
    if workers == 1 or chunks < 2:  # one call, so unique constraints hold across chunks
        frames = model.sample_chunks(
            n, conditions=conditions, random_state=entropy, chunk_rows=chunk_rows
        )
        stream: Iterator[Any] = (_render(frame, kind, i) for i, frame in enumerate(frames))
    else:
        stream = _pool_stream(model, n, entropy, conditions, chunk_rows, min(workers, chunks), kind)
    bar = progress(stream, total=chunks, desc="sampling", unit="chunk")
    return write_chunks(bar, output, allow_formulas=allow_formulas)


def _unique_columns(model: Model) -> list[str]:
    constraints = getattr(model, "constraints_", None)
    return list(getattr(constraints, "unique_columns", None) or [])


def _unique_message(columns: list[str], instead: str) -> str:
    return (
        f"the model has a unique constraint on {', '.join(map(repr, columns))}: every chunk must "
        f"know the values drawn before it, so it cannot be split over workers; use {instead}."
    )


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _render_kind(output: str | Path, allow_formulas: bool = False) -> str:
    if is_url(output):
        return "frame"
    suffix = Path(output).suffix.lower()
    csv = "csv-formulas" if allow_formulas else "csv"  # workers learn it from the kind
    return {".csv": csv, ".parquet": "arrow", ".pq": "arrow"}.get(suffix, "frame")


def _render(frame: pd.DataFrame, kind: str, index: int) -> Any:
    """A chunk in the form the writer takes fastest (CSV text, an Arrow table or the frame)."""
    if kind in ("csv", "csv-formulas"):
        text = csv_text(frame, index == 0, allow_formulas=kind == "csv-formulas")
        return TextChunk(text, len(frame))
    if kind == "arrow":
        import pyarrow as pa

        return pa.Table.from_pandas(frame, preserve_index=False)
    return frame


def _pool_stream(
    model: Model,
    n: int,
    entropy: int,
    conditions: Conditions | None,
    chunk_rows: int,
    workers: int,
    kind: str,
) -> Iterator[Any]:
    """Chunks in order from a process pool, with at most 2 x workers in flight."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # not "fork": forking a process that runs threads (BLAS, Arrow, progress bars) can deadlock
    context: Any = multiprocessing.get_context("spawn")
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["lookalike.scale.parallel", "lookalike.persistence"])
    chunks = math.ceil(n / chunk_rows)
    payload = model_bytes(model)
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(payload, os.getpid())
    )
    pending: deque[Any] = deque()
    try:
        following = iter(range(chunks))
        with shielded_children():  # the first submits start the forkserver and the workers
            for index in following:
                pending.append(
                    pool.submit(_pool_chunk, index, n, entropy, conditions, chunk_rows, kind)
                )
                if len(pending) >= 2 * workers:
                    break
        while pending:
            result = pending.popleft().result()
            for index in following:
                pending.append(
                    pool.submit(_pool_chunk, index, n, entropy, conditions, chunk_rows, kind)
                )
                break
            yield result
    except BrokenProcessPool:
        raise DataError(
            "a sampling worker process died (out of memory or killed); nothing was written. "
            "Run again, with fewer --workers if memory is short."
        ) from None
    except BaseException:  # an interrupt or a failed write: do not wait for running chunks
        stop_pool(pool)
        raise
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


_WORKER_MODEL: list[Model] = []


def _init_worker(payload: bytes, parent_pid: int) -> None:
    from lookalike._progress import set_quiet

    become_worker(parent_pid)
    set_quiet(True)
    _WORKER_MODEL[:] = [_model_from_bytes(payload)]


def _pool_chunk(
    index: int, n: int, entropy: int, conditions: Conditions | None, chunk_rows: int, kind: str
) -> Any:
    frame = _draw(_WORKER_MODEL[0], index, n, entropy, conditions, chunk_rows)
    return _render(frame, kind, index)


# ---------------------------------------------------------------------- dask engine
def sample_dask(
    model: Model,
    n: int,
    folder: str | Path,
    *,
    seed: int | None = None,
    conditions: Conditions | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    processes: bool = True,
    partition_rows: int = PARTITION_ROWS,
    chunk_rows: int = CHUNK_ROWS,
) -> list[Path]:
    """Sample `n` rows on a Dask cluster into `folder`/part-NNNNN.parquet; returns the parts.

    Partition p holds rows [p * partition_rows, ...) drawn with the same derived chunk seeds as
    the local engine, so reading the parts in order gives exactly `model.sample(n, seed)`. Parts
    are written under a hidden `.NAME.partial` folder that becomes `folder` once all are done; if
    the run fails, finished parts stay there and the same command again only draws the rest.

    Example:
        >>> sample_dask(model, 100_000_000, "synthetic/", seed=1, scheduler="tcp://10.0.0.5:8786")
    """
    if n <= 0:
        raise DataError(f"the number of rows must be positive, got {n}.")
    if is_url(folder) or Path(folder).suffix.lower() in (".csv", ".parquet", ".pq"):
        raise DataError(
            f"with --engine dask, -o is a folder for Parquet parts (e.g. out/), got "
            f"{mask_url(str(folder))}."
        )
    from lookalike.errors import require

    require("distributed", "dask")
    folder = Path(folder).absolute()
    _check_replaceable(folder)
    partition_rows = max(chunk_rows, partition_rows // chunk_rows * chunk_rows)
    payload = model_bytes(model)
    entropy = resolve_seed(model, seed)
    parts = math.ceil(n / partition_rows)
    if _unique_columns(model) and parts > 1:
        raise DataError(_unique_message(_unique_columns(model), "--engine local --workers 1"))
    job = {
        "model_sha256": hashlib.sha256(payload).hexdigest(),
        "rows": n,
        "seed": entropy,
        "conditions": repr(sorted((conditions or {}).items())),
        "partition_rows": partition_rows,
        "chunk_rows": chunk_rows,
        "parts": parts,
    }
    staging = folder.parent / f".{folder.name}.partial"
    todo = _prepare_staging(staging, job)
    with _client(scheduler, workers, processes) as client:
        if todo:
            _run_parts(
                client, payload, todo, n, entropy, conditions, partition_rows, chunk_rows, staging
            )
    for leftover in staging.glob(".*.tmp"):
        leftover.unlink()
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(staging, folder)
    return sorted(folder.glob("part-*.parquet"))


def _part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def _check_replaceable(folder: Path) -> None:
    """An existing output folder may be replaced only if it is an earlier output of ours."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise DataError(f"{folder} exists and is not a folder; choose another -o.")
    foreign = [p.name for p in folder.iterdir() if not _ours(p.name)]
    if foreign:
        raise DataError(
            f"{folder} exists and holds files lookalike did not write ({', '.join(foreign[:3])}); "
            "choose another -o or empty it."
        )


def _ours(name: str) -> bool:
    return name == _MANIFEST or (name.startswith("part-") and name.endswith(".parquet"))


def _prepare_staging(staging: Path, job: dict[str, Any]) -> list[int]:
    """Reuse the parts of an interrupted run of the same job; returns the parts still to draw."""
    manifest = staging / _MANIFEST
    same = False
    if manifest.is_file():
        with contextlib.suppress(ValueError, OSError):
            same = json.loads(manifest.read_text(encoding="utf-8")) == job
    if not same:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        with atomic_path(manifest) as tmp:
            tmp.write_text(json.dumps(job), encoding="utf-8")
    return [p for p in range(job["parts"]) if not (staging / _part_name(p)).is_file()]


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int, processes: bool) -> Iterator[Any]:
    import logging

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # we report failures ourselves
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as error:
            raise DataError(
                f"cannot reach the Dask scheduler at {scheduler} ({error}); check the address "
                "(tcp://HOST:8786) and that the scheduler is running."
            ) from None
        with client:
            yield client
        return
    check_whole(workers, "--workers")
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _run_parts(
    client: Any,
    payload: bytes,
    todo: list[int],
    n: int,
    entropy: int,
    conditions: Conditions | None,
    partition_rows: int,
    chunk_rows: int,
    staging: Path,
) -> None:
    from distributed import as_completed

    shipped = client.scatter(payload, broadcast=True, hash=False)  # a fresh key per run
    futures = client.map(
        _sample_part,
        todo,
        payload=shipped,
        n=n,
        entropy=entropy,
        conditions=conditions,
        partition_rows=partition_rows,
        chunk_rows=chunk_rows,
        staging=str(staging),
        pure=False,
    )
    bar = progress(total=len(todo), desc="sampling on dask", unit="part")
    failure: BaseException | None = None
    try:
        for future in as_completed(futures):
            if future.status == "error":
                failure = future.exception()
                break
            bar.update(1)
    except Exception as error:  # a lost scheduler connection
        failure = error
    finally:
        bar.close()
    if failure is not None:
        client.cancel(futures)
        kept = len(list(staging.glob("part-*.parquet")))
        from lookalike.errors import LookalikeError

        name = "" if isinstance(failure, LookalikeError) else f"{type(failure).__name__}: "
        detail = mask_url(f"{name}{failure}".splitlines()[0]).rstrip(".")
        raise DataError(
            f"the Dask run stopped ({detail}); the {kept} finished part(s) are kept in "
            f"{staging}; run the same command again to draw the rest."
        )


def _sample_part(
    part: int,
    *,
    payload: bytes,
    n: int,
    entropy: int,
    conditions: Conditions | None,
    partition_rows: int,
    chunk_rows: int,
    staging: str,
) -> int:
    """On a worker: draw partition `part` and write it as one Parquet part (temp, then rename)."""
    from lookalike._progress import set_quiet

    set_quiet(True)
    model = _model_from_bytes(payload)
    start = part * partition_rows
    size = min(partition_rows, n - start)
    first = start // chunk_rows
    chunks = (
        _render(_draw(model, first + i, n, entropy, conditions, chunk_rows), "arrow", first + i)
        for i in range(math.ceil(size / chunk_rows))
    )
    return write_chunks(chunks, Path(staging) / _part_name(part))
