r"""Regenerated id columns: unique across every chunk of a call, stateless, never a real id.

An id is a function of the row's global number in the call, so chunks drawn by different
processes or Dask workers never repeat one another and need no shared state:
    "int"      start + row number (the real ids' first value onwards);
    "uuid"     random version-4 UUIDs (122 random bits: collisions are out of reach);
    a pattern  (`9` digit, `A` upper, `a` lower, `\\c` literal) the row number through a keyed
               pseudo-random permutation of the pattern's space (a Feistel network with cycle
               walking). Each row owns `spread` consecutive points of the permuted space and takes
               the first that is not a real id (real ids are kept as salted hashes only).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Container
from typing import Any

import numpy as np

from lookalike.errors import ConditionError

_ALPHABETS = {
    "9": "0123456789",
    "A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "a": "abcdefghijklmnopqrstuvwxyz",
}
_PERMUTED_SPACE = 2**62  # slots beyond this share of the space are filled at random


def hash_ids(values: list[str], salt: str) -> set[int]:
    """Salted 48-bit hashes of real ids: enough to avoid them, not enough to recover them."""
    return {_hash_id(v, salt) for v in values}


def _hash_id(value: str, salt: str) -> int:
    return int.from_bytes(hashlib.sha256((salt + value).encode()).digest()[:6], "big")


def make_ids(
    n: int,
    pattern: str | None,
    state: dict[str, Any],
    first_row: int,
    key: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """Ids for rows `first_row .. first_row + n - 1` of a call whose seed gave `key`."""
    if pattern == "int":
        return np.arange(state["start"] + first_row, state["start"] + first_row + n, dtype=np.int64)
    if pattern == "uuid" or pattern is None:
        raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
        raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
        raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
        hexes = [r.tobytes().hex() for r in raw]
        return np.array(
            [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" for h in hexes], dtype=object
        )
    return _pattern_ids(pattern, n, state, first_row, key, rng)


def permute(x: np.ndarray, space: int, key: np.ndarray) -> np.ndarray:
    """A keyed bijection of [0, space) (space <= 2**62): a Feistel network with cycle walking."""
    half = max(1, math.ceil(math.log2(max(space, 2)) / 2))
    mask = np.uint64((1 << half) - 1)
    shift = np.uint64(half)

    def feistel(values: np.ndarray) -> np.ndarray:
        left, right = values >> shift, values & mask
        for round_key in key:
            mixed = (right ^ round_key) * np.uint64(0x9E3779B97F4A7C15)
            mixed ^= mixed >> np.uint64(29)
            left, right = right, left ^ (mixed & mask)
        return (left << shift) | right

    out = feistel(np.asarray(x, dtype=np.uint64))
    outside = np.flatnonzero(out >= np.uint64(space))
    while len(outside):
        out[outside] = feistel(out[outside])
        outside = outside[out[outside] >= np.uint64(space)]
    return out


def pattern_tokens(pattern: str, slots: Container[str]) -> list[tuple[str, bool]]:
    """(character, is_free) pairs of a pattern whose free characters are `slots`; a backslash
    makes the next character literal.
    """
    tokens, escaped = [], False
    for char in pattern:
        if char == "\\" and not escaped:
            escaped = True
            continue
        tokens.append((char, not escaped and char in slots))
        escaped = False
    return tokens


def _pattern_ids(
    pattern: str,
    n: int,
    state: dict[str, Any],
    first_row: int,
    key: int,
    rng: np.random.Generator,
) -> np.ndarray:
    tokens = pattern_tokens(pattern, _ALPHABETS)
    free = [i for i, (_, is_free) in enumerate(tokens) if is_free]
    # the last slots (fastest digits) carry the permuted number; earlier ones, if the space is
    # larger than 2**62, are random
    permuted, space = [], 1
    for position in reversed(free):
        size = len(_ALPHABETS[tokens[position][0]])
        if space * size > _PERMUTED_SPACE:
            break
        permuted.append(position)
        space *= size
    taken = set(state.get("taken", []))
    spread = _spread(space, len(taken))
    last = (first_row + n) * spread
    if last > space:
        raise ConditionError(
            f"cannot make {first_row + n:,} unique ids in the pattern {pattern!r}: it has "
            f"{space:,} values{' and the real ids take some' if taken else ''}. Widen the "
            "pattern in the metadata or set the column's kind to 'categorical'."
        )
    keys = np.random.SeedSequence([key, *pattern.encode()]).generate_state(4, dtype=np.uint64)
    rows = np.arange(first_row, first_row + n, dtype=np.uint64) * np.uint64(spread)
    numbers = permute(rows, space, keys)
    grid = np.zeros((n, len(tokens)), dtype=np.uint32)
    for position, (char, is_free) in enumerate(tokens):
        grid[:, position] = ord(char)
        if is_free and position not in permuted:
            alphabet = np.array([ord(c) for c in _ALPHABETS[char]], dtype=np.uint32)
            grid[:, position] = alphabet[rng.integers(0, len(alphabet), size=n)]
    _write_digits(grid, tokens, permuted, numbers)
    if taken:
        salt = state.get("salt", "")
        for attempt in range(1, spread + 1):
            clash = np.flatnonzero(_is_taken(grid, taken, salt))
            if not len(clash):
                break
            if attempt == spread:
                raise ConditionError(
                    f"cannot make ids in the pattern {pattern!r} that differ from the real ids; "
                    "widen the pattern in the metadata or set the column's kind to 'categorical'."
                )
            retry = permute(rows[clash] + np.uint64(attempt), space, keys)
            sub = grid[clash]
            _write_digits(sub, tokens, permuted, retry)
            grid[clash] = sub
    return np.ascontiguousarray(grid).view(f"<U{len(tokens)}").ravel().astype(object)


def _spread(space: int, n_taken: int) -> int:
    """Points of the space per row, so that all of them being real ids is (near) impossible."""
    if not n_taken:
        return 1
    share = min(n_taken / space, 0.999)
    return max(1, min(64, math.ceil(-9 / math.log10(share))))


def _write_digits(
    grid: np.ndarray, tokens: list[tuple[str, bool]], permuted: list[int], numbers: np.ndarray
) -> None:
    rest = numbers.astype(np.uint64)
    for position in permuted:  # fastest digit first
        alphabet = np.array([ord(c) for c in _ALPHABETS[tokens[position][0]]], dtype=np.uint32)
        rest, digit = np.divmod(rest, np.uint64(len(alphabet)))
        grid[:, position] = alphabet[digit.astype(np.int64)]


def _is_taken(grid: np.ndarray, taken: set[int], salt: str) -> np.ndarray:
    values = np.ascontiguousarray(grid).view(f"<U{grid.shape[1]}").ravel()
    return np.array([_hash_id(str(v), salt) in taken for v in values], dtype=bool)
