"""Sampling on a Dask cluster into a folder of Parquet parts (`--engine dask`).

    sample_dask(model, n, "out/", seed=1)

Without `scheduler` it starts a `dask.distributed.LocalCluster`; with an address such as
`tcp://10.0.0.5:8786` it runs on that cluster, whose workers need lookalike installed and the output
folder on a file system they share with the client. Partition p is drawn with the same derived
chunk seeds as the local engine (`scale.chunks`), so the parts in order are `model.sample(n, seed)`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lookalike._progress import progress
from lookalike.errors import DataError
from lookalike.io.files import atomic_path, write_chunks
from lookalike.io.sql import is_url
from lookalike.masking import mask_url
from lookalike.models.base import Conditions, Model
from lookalike.scale.chunks import (
    draw,
    model_bytes,
    model_from_bytes,
    render,
    resolve_seed,
    unique_columns,
    unique_message,
)
from lookalike.values import CHUNK_ROWS, check_whole

PARTITION_ROWS = 1_000_000  # rows per Dask partition (one Parquet part each)
SCHEDULER_TIMEOUT = 10  # seconds to wait for a scheduler to answer
_MANIFEST = "_lookalike.json"


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
    if unique_columns(model) and parts > 1:
        raise DataError(unique_message(unique_columns(model), "--engine local --workers 1"))
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
    model = model_from_bytes(payload)
    start = part * partition_rows
    size = min(partition_rows, n - start)
    first = start // chunk_rows
    chunks = (
        render(draw(model, first + i, n, entropy, conditions, chunk_rows), "arrow", first + i)
        for i in range(math.ceil(size / chunk_rows))
    )
    return write_chunks(chunks, Path(staging) / _part_name(part))
