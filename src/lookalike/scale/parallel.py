"""Where sampling runs: a local process pool, or a Dask cluster.

Every engine draws chunk i of a call from a seed derived from (seed, i) (`Model.sample_chunks`), so
the rows for a seed are the same whatever the engine and the number of workers. Workers get the
fitted model as its model file bytes (`lookalike.persistence`: JSON + arrays, never a pickle).

    sample_local(model, n, "out.parquet", seed=1, workers=2)   one file or database table
    sample_dask(model, n, "out/", seed=1)                       a folder of Parquet parts

The local engine is here; the Dask engine is `scale.dask_engine` (re-exported here), and what both
share (model bytes, one chunk's draw, its written form) is `scale.chunks`.

`sample_dask` without `scheduler` starts a `dask.distributed.LocalCluster`; with an address such as
`tcp://10.0.0.5:8786` it runs on that cluster, whose workers need lookalike installed and the output
folder on a file system they share with the client.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lookalike._progress import progress
from lookalike.errors import DataError
from lookalike.io.files import write_chunks
from lookalike.models.base import Conditions, Model
from lookalike.scale.child_processes import become_worker, shielded_children, stop_pool
from lookalike.scale.chunks import (
    draw,
    model_bytes,
    model_from_bytes,
    render,
    render_kind,
    resolve_seed,
    unique_columns,
    unique_message,
)
from lookalike.scale.dask_engine import PARTITION_ROWS, SCHEDULER_TIMEOUT, sample_dask
from lookalike.values import CHUNK_ROWS, check_whole

POOL_FROM_CHUNKS = 20  # without --workers, calls of fewer chunks run in this process

__all__ = [
    "PARTITION_ROWS",
    "POOL_FROM_CHUNKS",
    "SCHEDULER_TIMEOUT",
    "model_bytes",
    "resolve_seed",
    "sample_dask",
    "sample_local",
]


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
    unique = unique_columns(model)
    if workers is None:  # a pool costs a few seconds to start: worth it from ~1M rows
        workers = _default_workers() if chunks >= POOL_FROM_CHUNKS and not unique else 1
    check_whole(workers, "--workers")
    if unique and workers > 1 and chunks > 1:
        raise DataError(unique_message(unique, "--workers 1"))
    kind = render_kind(output, allow_formulas)
    if workers == 1 or chunks < 2:  # one call, so unique constraints hold across chunks
        frames = model.sample_chunks(
            n, conditions=conditions, random_state=entropy, chunk_rows=chunk_rows
        )
        stream: Iterator[Any] = (render(frame, kind, i) for i, frame in enumerate(frames))
    else:
        stream = _pool_stream(model, n, entropy, conditions, chunk_rows, min(workers, chunks), kind)
    bar = progress(stream, total=chunks, desc="sampling", unit="chunk")
    return write_chunks(bar, output, allow_formulas=allow_formulas)


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


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
    _WORKER_MODEL[:] = [model_from_bytes(payload)]


def _pool_chunk(
    index: int, n: int, entropy: int, conditions: Conditions | None, chunk_rows: int, kind: str
) -> Any:
    frame = draw(_WORKER_MODEL[0], index, n, entropy, conditions, chunk_rows)
    return render(frame, kind, index)
