"""Random draws for fakes: a numpy Generator, or KeyedRandom (equal keys give equal draws).

`KeyedRandom` gives every row the draws of its key, so rows with the same key (the same real value
under `anonymize`) get the same fake, and the fake depends only on (secret, value).
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

import numpy as np


class Draws(Protocol):
    """The part of `np.random.Generator` that fake makers use."""

    def integers(self, low: Any, high: Any = ..., size: Any = ...) -> Any:
        """Integers in [low, high)."""

    def random(self, size: Any = ...) -> Any:
        """Floats in [0, 1)."""


class KeyedRandom:
    """Random draws that are a function of per-row keys: equal keys give equal draws.

    Each call mixes the row key with a call counter through splitmix64, so successive calls give
    independent-looking numbers while staying reproducible from the keys alone.
    """

    def __init__(self, keys: np.ndarray, stream: int = 0) -> None:
        self.keys = np.asarray(keys, dtype=np.uint64)
        self.calls = stream * 1_000_003

    def _bits(self, size: Any) -> np.ndarray:
        shape = (size,) if isinstance(size, int | np.integer) else tuple(size)
        if shape[0] != len(self.keys):
            raise ValueError("KeyedRandom draws must have one row per key")
        width = int(np.prod(shape[1:])) if len(shape) > 1 else 1
        self.calls += 1
        lanes = np.arange(width, dtype=np.uint64) + np.uint64(self.calls) * np.uint64(1 << 20)
        x = self.keys[:, None] ^ (lanes[None, :] * np.uint64(0x9E3779B97F4A7C15))
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
        return x.reshape(shape)

    def random(self, size: Any = None) -> np.ndarray:
        """Floats in [0, 1), like `numpy.random.Generator.random`."""
        return (self._bits(size) >> np.uint64(11)).astype(np.float64) / float(1 << 53)

    def integers(self, low: Any, high: Any = None, size: Any = None) -> np.ndarray:
        """Integers in [low, high), like `numpy.random.Generator.integers`."""
        if high is None:
            low, high = 0, low
        span = np.asarray(high, dtype=np.float64) - np.asarray(low, dtype=np.float64)
        out = np.floor(self.random(size) * span) + np.asarray(low, dtype=np.float64)
        return out.astype(np.int64)


def row_keys(values: list[str], secret: bytes, label: str) -> np.ndarray:
    """64-bit HMAC-SHA256 keys of values under a secret, one per value."""
    prefix = label.encode() + b"\x00"
    out = np.empty(len(values), dtype=np.uint64)
    for i, value in enumerate(values):
        digest = hashlib.blake2b(prefix + value.encode(), key=secret[:64], digest_size=8).digest()
        out[i] = int.from_bytes(digest, "big")
    return out


def pick(values: np.ndarray, n: int, draw: Draws, weights: Any = None) -> np.ndarray:
    """`n` values drawn from `values` (uniform or by `weights`)."""
    if weights is None:
        return values[draw.integers(0, len(values), size=n)]
    cumulative = np.cumsum(np.asarray(weights, dtype=float))
    cumulative /= cumulative[-1]
    index = np.searchsorted(cumulative, draw.random(n), side="right")
    return values[np.minimum(index, len(values) - 1)]
