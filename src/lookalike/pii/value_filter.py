"""A coarse hash filter of a column's real values, so that no fake equals one of them.

It keeps `bits`-bit salted hashes, about 1.5% of random strings match by chance: each stored hash
stands for many possible values, so the filter cannot be turned back into a list of real values.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import numpy as np


def normal(value: Any) -> str:
    """A value as the filter compares it: whitespace runs as one space, case folded."""
    return " ".join(str(value).split()).casefold()


def value_filter(values: list[str]) -> dict[str, Any]:
    """A coarse hash filter of real values: ~1.5% of random strings match it by chance."""
    distinct = {normal(v) for v in values}
    bits = int(min(40, max(12, math.ceil(math.log2(64 * max(len(distinct), 1))))))
    salt = hashlib.sha256("\x00".join(sorted(distinct)[:100]).encode()).hexdigest()[:16]
    hashes = sorted({_hash(v, salt, bits) for v in distinct})
    return {"filter_salt": salt, "filter_bits": bits, "filter": hashes}


def in_filter(state: dict[str, Any], values: np.ndarray) -> np.ndarray:
    """True where a value's hash is in the filter (real values always are)."""
    if "filter" not in state:
        return np.zeros(len(values), dtype=bool)
    salt, bits = state["filter_salt"], state["filter_bits"]
    taken = set(np.asarray(state["filter"]).tolist())
    return np.array([_hash(normal(v), salt, bits) in taken for v in values], dtype=bool)


def _hash(value: str, salt: str, bits: int) -> int:
    digest = hashlib.blake2b((salt + value).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> (64 - bits)
