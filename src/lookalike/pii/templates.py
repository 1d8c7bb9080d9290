"""Value shapes as templates: free slots (DIGIT, UPPER, LOWER private-use marks) filled with numpy.

A template is a string whose digit and letter slots are private-use characters; `fill_grid` fills
them for many rows at once (vectorised), `char_template` turns a real value into its shape.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from lookalike.pii.draws import Draws

DIGIT, UPPER, LOWER = "\ue000", "\ue001", "\ue002"


def char_template(value: str, *, letters: bool = True, keep: frozenset[str] = frozenset()) -> str:
    """The shape of a value: digits -> DIGIT; letters -> UPPER/LOWER unless in a kept token.

    Runs of letters listed in `keep` stay literal (common prefixes such as "PC" or "STON/O2").
    """
    out: list[str] = []
    i = 0
    while i < len(value):
        char = value[i]
        if char.isalpha():
            j = i
            while j < len(value) and value[j].isalpha():
                j += 1
            run = value[i:j]
            if not letters or run in keep:
                out.append(run)
            else:
                out.extend(UPPER if c.isupper() else LOWER for c in run)
            i = j
            continue
        out.append(DIGIT if char.isdigit() else char)
        i += 1
    return "".join(out)


def fill_grid(templates: Any, index: np.ndarray, draw: Draws) -> np.ndarray:
    """Code points (rows, longest template) of templates[index[i]] with random slots filled.

    Shorter rows are padded with 0, which numpy drops when the grid is viewed as strings. The k-th
    digit (letter) slot of a row always takes the row's k-th digit (letter) draw, so KeyedRandom
    rows with the same key and template get the same string.
    """
    index = np.asarray(index, dtype=np.int64)
    n = len(index)
    table, digit_rank, letter_rank, upper = _compile(tuple(str(t) for t in templates))
    digits = _small(draw.integers(0, 10, size=(n, max(1, int(digit_rank.max()) + 1))))
    letters = _small(draw.integers(0, 26, size=(n, max(1, int(letter_rank.max()) + 1))))
    if n == 0:
        return np.zeros((0, table.shape[1]), dtype=np.uint32)
    grid = table[index]
    # dense gathers beat np.nonzero + fancy indexing on (rows, width) grids
    if digits.shape[1] and (digit_rank >= 0).any():
        slots = digit_rank[index]
        filled = np.take_along_axis(digits, np.maximum(slots, 0), axis=1) + np.uint8(48)
        grid = np.where(slots >= 0, filled, grid)
    if letters.shape[1] and (letter_rank >= 0).any():
        slots = letter_rank[index]
        filled = np.take_along_axis(letters, np.maximum(slots, 0), axis=1)
        filled += np.where(upper[index], np.uint8(65), np.uint8(97))
        grid = np.where(slots >= 0, filled, grid)
    return grid.astype(np.uint32, copy=False)


def _small(draws: Any) -> np.ndarray:
    return np.asarray(draws).astype(np.uint8)


@functools.lru_cache(maxsize=64)
def _compile(templates: tuple[str, ...]) -> tuple[np.ndarray, ...]:
    """Padded code-point table of templates and the rank of each digit and letter slot."""
    width = max([1, *(len(t) for t in templates)])
    table = np.zeros((len(templates), width), dtype=np.uint32)
    for i, template in enumerate(templates):
        table[i, : len(template)] = np.frombuffer(template.encode("utf-32-le"), dtype=np.uint32)
    is_digit = table == ord(DIGIT)
    upper = table == ord(UPPER)
    is_letter = upper | (table == ord(LOWER))
    digit_rank = np.where(is_digit, np.cumsum(is_digit, axis=1) - 1, -1).astype(np.int16)
    letter_rank = np.where(is_letter, np.cumsum(is_letter, axis=1) - 1, -1).astype(np.int16)
    for array in (table, digit_rank, letter_rank, upper):
        array.setflags(write=False)
    return table, digit_rank, letter_rank, upper


def grid_strings(grid: np.ndarray) -> np.ndarray:
    """Rows of code points as an object array of strings (trailing zeros dropped)."""
    return np.ascontiguousarray(grid).view(f"<U{grid.shape[1]}").ravel().astype(object)


def fill_templates(templates: Any, draw: Draws, index: Any = None) -> np.ndarray:
    """Strings from templates: `templates[index[i]]` per row, or one template per row."""
    if index is None:
        uniques, inverse = np.unique(
            np.asarray(templates, dtype=object).astype(str), return_inverse=True
        )
        return grid_strings(fill_grid(list(uniques), inverse, draw))
    return grid_strings(fill_grid(templates, index, draw))
