"""`lookalike fit` / `sample` of one table holding sequences (metadata `sequence_key` and/or
`order_by`): the CLI's two small entry points (`lookalike.verbs` hands over to them).
"""

from __future__ import annotations

import time
from typing import Any

from lookalike.errors import DataError
from lookalike.metadata import Metadata
from lookalike.sequences.model import SequenceModel

# SequenceModel's own options that `--param` may set, besides cart's
OPTIONS = ("same_share", "batch_entities")


def is_sequence_metadata(metadata: Metadata | None) -> bool:
    return metadata is not None and bool(metadata.sequence_key or metadata.order_by)


def fit_file(
    data: str,
    metadata: Metadata,
    output: Any,
    *,
    seed: int | None,
    max_time: float | None,
    params: dict[str, Any],
) -> str:
    """Fit a SequenceModel on the table `data` and save it; returns a one-line summary."""
    from lookalike.io.files import read_table

    start = time.perf_counter()
    frame = read_table(data)
    options = {k: params.pop(k) for k in OPTIONS if k in params}
    model = SequenceModel(
        metadata.sequence_key,
        metadata.order_by,
        seed=seed,
        metadata=metadata,
        max_time=max_time,
        **options,
        **params,
    ).fit(frame)
    model.save(output)
    entities = frame[metadata.sequence_key].nunique() if metadata.sequence_key else 1
    return (
        f"fitted sequences on {len(frame)} rows of {entities} sequence(s) in "
        f"{time.perf_counter() - start:.1f} s; wrote {output}"
    )


def sample_file(
    model: SequenceModel, n: int, output: str, *, seed: int | None, where: list[str]
) -> str:
    """Write n sequences (a keyed table) or a series of n rows (one series) to `output`."""
    from lookalike.io.files import write_chunks

    if where:
        raise DataError("--where is not supported for sequence models yet; filter the output.")
    start = time.perf_counter()
    if model.key is None:
        batches = model.sample_batches(1, seed=seed, length=n)
        what = f"a series of {n} rows"
    else:
        batches = model.sample_batches(n, seed=seed)
        what = f"{n} sequences"
    rows = write_chunks(batches, output)
    return f"wrote {what} ({rows} rows) to {output} in {time.perf_counter() - start:.1f} s"
