r"""Id and sequence patterns: `#` digit, `?` letter, `*` either, `\\` keeps the next one literal.

Unique ids send the global row number through a keyed pseudo-random permutation of the pattern's
space (a Feistel network with cycle walking), so they stay unique across chunks with no state.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from lookalike import ids
from lookalike.errors import SpecError
from lookalike.pii import fakes

# ---------------------------------------------------------------------- ids and sequences
_SLOT_ALPHABETS = {
    "#": "0123456789",
    "?": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "*": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
}


def pattern_tokens(pattern: str) -> list[tuple[str, bool]]:
    """A pattern split into (text, is_slot) tokens."""
    return ids.pattern_tokens(str(pattern), _SLOT_ALPHABETS)


def pattern_slots(pattern: Any) -> list[str]:
    """The slot letters of a pattern, in order."""
    if not isinstance(pattern, str):
        raise SpecError(f"pattern must be text such as 'INV-#####', got {pattern!r}.")
    return [c for c, free in pattern_tokens(pattern) if free]


def pattern_space(pattern: str) -> int:
    """How many distinct values the pattern can make."""
    return math.prod(len(_SLOT_ALPHABETS[s]) for s in pattern_slots(pattern))


def _fill_pattern(pattern: str, numbers: np.ndarray) -> np.ndarray:
    """Write each number into the pattern's slots as mixed-radix digits (last slot fastest)."""
    tokens = pattern_tokens(pattern)
    grid = np.zeros((len(numbers), len(tokens)), dtype=np.uint32)
    rest = numbers.astype(np.int64).copy()
    for position in range(len(tokens) - 1, -1, -1):
        char, free = tokens[position]
        if free:
            alphabet = np.array([ord(c) for c in _SLOT_ALPHABETS[char]], dtype=np.uint32)
            rest, digit = np.divmod(rest, len(alphabet))
            grid[:, position] = alphabet[digit]
        else:
            grid[:, position] = ord(char)
    return fakes.grid_strings(grid)


def sequence(params: dict[str, Any], start: int, n: int) -> np.ndarray:
    """Values `start` to `start + n` of an arithmetic sequence column."""
    numbers = params.get("start", 1) + params.get("step", 1) * np.arange(start, start + n)
    if params.get("pattern"):
        return _fill_pattern(params["pattern"], numbers)
    return numbers.astype(np.int64)


def unique_ids(pattern: str, start: int, n: int, entropy: int, name: str) -> np.ndarray:
    """Unique ids: row numbers through a keyed pseudo-random permutation of the pattern's space."""
    space = pattern_space(pattern)
    key = np.random.SeedSequence([entropy, *name.encode()]).generate_state(4, dtype=np.uint64)
    numbers = ids.permute(np.arange(start, start + n, dtype=np.uint64), space, key)
    return _fill_pattern(pattern, numbers)
