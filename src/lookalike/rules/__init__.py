"""Fake tables from rules: a YAML/JSON spec of columns in, rows out; no real data, no fitting.

A spec names each column's kind and parameters (see the README for a complete example):

    columns:
      age:    {kind: normal, mean: 40, sd: 12, min: 18, max: 90, round: 0}
      smoker: {kind: categorical, values: {yes: 0.2, no: 0.8}, by: sex,
               cases: {F: {values: {yes: 0.15, no: 0.85}}}}
      bmi:    {kind: computed, expr: "weight / (height / 100) ** 2", round: 1}
      email:  {kind: email, locale: en_GB, missing: 0.05}
    correlations:
      - {columns: [height, weight], r: 0.7}

`validate_spec` checks everything up front and raises SpecError naming the column and the problem
(unknown kind, bad parameters, weights that do not sum to 1 or 100, unknown columns in expressions,
cycles). `generate_chunks` streams rows in chunks, each drawn from a seed derived from (seed,
chunk index), so memory stays flat and the rows for a seed do not depend on the chunk size.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import SpecError
from lookalike.rules.draw import draw_chunk
from lookalike.rules.patterns import pattern_slots, pattern_space
from lookalike.rules.validate import load_spec, validate_spec

CHUNK_ROWS = 100_000


# ---------------------------------------------------------------------- generation
def generate(
    spec: dict[str, Any] | str | Path, n: int | None = None, *, random_state: int | None = None
) -> pd.DataFrame:
    """Generate `n` rows from a spec (a dict, or a YAML/JSON path or text).

    Example:
        >>> spec = {"columns": {"x": {"kind": "uniform", "low": 0, "high": 1}}}
        >>> len(generate(spec, 5, random_state=0))
        5
    """
    frames = list(generate_chunks(spec, n, random_state=random_state))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def generate_chunks(
    spec: dict[str, Any] | str | Path,
    n: int | None = None,
    *,
    random_state: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[pd.DataFrame]:
    """Yield rows in chunks of `chunk_rows`; chunk i is drawn from a seed derived from (seed, i)."""
    return chunks_of(load_spec(spec), n, random_state=random_state, chunk_rows=chunk_rows)


def chunks_of(
    checked: dict[str, Any],
    n: int | None = None,
    *,
    random_state: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> Iterator[pd.DataFrame]:
    """`generate_chunks` for a spec already checked (`validate_spec`, `rules.hybrid.load`)."""
    n = checked["rows"] if n is None else n
    if n is None:
        raise SpecError("say how many rows to make: pass n (or -n), or set rows in the spec.")
    if not isinstance(n, int | np.integer) or n < 0:
        raise SpecError(f"n must be a whole number >= 0, got {n!r}.")
    seed = checked["seed"] if random_state is None else random_state
    entropy = int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]
    _check_capacity(checked, int(n))
    if n == 0:
        yield draw_chunk(checked, 0, 0, entropy, np.random.default_rng(entropy))
        return
    for index, start in enumerate(range(0, int(n), chunk_rows)):
        size = min(chunk_rows, int(n) - start)
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(index,)))
        yield draw_chunk(checked, start, size, entropy, rng)


def chunk_count(n: int, chunk_rows: int = CHUNK_ROWS) -> int:
    """How many chunks `generate_chunks` yields for `n` rows."""
    return max(1, math.ceil(n / chunk_rows))


def _check_capacity(checked: dict[str, Any], n: int) -> None:
    for name, column in checked["columns"].items():
        pattern = column["params"].get("pattern")
        if column["kind"] == "id":
            space = pattern_space(pattern)
            if space < n:
                raise SpecError(
                    f"column {name!r}: pattern {pattern!r} has only {space} distinct values, "
                    f"fewer than the {n} rows asked for; add more # or ? characters."
                )
        elif column["kind"] == "sequence" and pattern is not None:
            start = column["params"].get("start", 1)
            step = column["params"].get("step", 1)
            last = max(abs(start), abs(start + step * max(n - 1, 0)))
            if last >= 10 ** len(pattern_slots(pattern)) or start + step * (n - 1) < 0:
                raise SpecError(
                    f"column {name!r}: pattern {pattern!r} cannot hold the sequence up to "
                    f"{start + step * (n - 1)}; add more # characters."
                )


def write_spec_file(spec: dict[str, Any], path: str | Path) -> None:
    """Write a spec as YAML (or JSON for a .json path), atomically."""
    from lookalike.io.files import atomic_path

    path = Path(path)
    if path.suffix.lower() == ".json":
        text = json.dumps(spec, indent=2, default=str) + "\n"
    else:
        import yaml

        text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=100)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")


__all__ = [
    "CHUNK_ROWS",
    "chunk_count",
    "generate",
    "generate_chunks",
    "load_spec",
    "validate_spec",
    "write_spec_file",
]
