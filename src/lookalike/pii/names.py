"""Person names in fakes: a real name's shape ("<last>, Mr. <first>") and fakes filled into it.

`name_template` keeps titles and punctuation and turns each name into a slot (first, female
first, last); `fill_names` fills the slots from Faker's pools, reproducibly from the draw.
`common_tokens` finds the words (titles, ticket prefixes) shared by enough distinct values to keep.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

from lookalike.pii import fakes

TITLES = frozenset(
    {
        *("mr", "mrs", "ms", "miss", "master", "dr", "prof", "sir", "lady", "rev", "mme"),
        *("mlle", "madame", "monsieur", "herr", "frau", "don", "dona", "col", "capt"),
        *("major", "countess", "jonkheer"),
    }
)


def common_tokens(values: Any, min_count: int) -> frozenset[str]:
    """Letter runs that occur in at least `min_count` distinct values (not identifying)."""
    counts: Counter[str] = Counter()
    for value in values:
        counts.update(set(re.findall(r"[^\W\d_]+", str(value))))
    return frozenset(t for t, c in counts.items() if c >= min_count)


_FIRST, _FIRST_F, _LAST = "\ue010", "\ue011", "\ue012"
FIRST_SLOTS = (_FIRST, _FIRST_F)  # a name template's male and female first-name slots
_FEMALE = frozenset({"mrs", "ms", "miss", "mme", "mlle", "madame", "lady", "countess", "frau"})


def sex_slots(
    shapes: Any, female: np.ndarray, male: np.ndarray, coin: np.ndarray
) -> np.ndarray:
    """Name shapes whose first-name slots are female where `female`, male where `male` (rows of
    neither keep theirs); without shapes (first names), one slot each, female where `coin` for
    rows of neither.
    """
    if shapes is None:
        shapes = np.where(coin, _FIRST_F, _FIRST).astype(object)
    out = np.asarray(shapes, dtype=object).copy()
    for i in np.flatnonzero(female):
        out[i] = out[i].replace(_FIRST, _FIRST_F)
    for i in np.flatnonzero(male):
        out[i] = out[i].replace(_FIRST_F, _FIRST)
    return out


def name_template(value: str, titles: frozenset[str]) -> str:
    """The shape of a person's name: titles and punctuation kept, names as slots.

    "Braund, Mr. Owen Harris" -> "<last>, Mr. <first> <first>"; a female title makes first-name
    slots female ("Mrs." and "Miss." in the titanic data).
    """
    tokens = re.split(r"([^\W\d_][\w'-]*)", value)
    words = [i for i, t in enumerate(tokens) if i % 2 == 1]
    female = any(tokens[i].lower() in _FEMALE and tokens[i] in titles for i in words)
    comma = "," in value
    out = list(tokens)
    for position, i in enumerate(words):
        token = tokens[i]
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in titles:
            continue
        if "(" in "".join(tokens[:i]) and ")" in after:
            out[i] = _LAST  # last word inside parentheses: a maiden name
        elif (comma and after.startswith(",")) or (not comma and position == len(words) - 1):
            out[i] = _LAST
        else:
            out[i] = _FIRST_F if female else _FIRST
    if len(words) == 1 and out[words[0]] == _LAST:
        out[words[0]] = _FIRST
    # a real value "=HYPERLINK(...)" must not give fakes that a spreadsheet runs as a formula
    return "".join(out).lstrip("=+-@\t\r ") or _FIRST


def fill_names(templates: np.ndarray, draw: Any, locale: str) -> np.ndarray:
    """Fill name templates with first names (female where the title says so) and last names."""
    n = len(templates)
    slots = 6
    male = fakes.pick(fakes.pool(locale, "first_name_male"), n * slots, _Flat(draw, n, slots))
    female = fakes.pick(fakes.pool(locale, "first_name_female"), n * slots, _Flat(draw, n, slots))
    last = fakes.pick(fakes.pool(locale, "last_name"), n * slots, _Flat(draw, n, slots))
    male, female, last = (a.reshape(n, slots) for a in (male, female, last))
    out = np.empty(n, dtype=object)
    for i, template in enumerate(templates):
        used = {_FIRST: 0, _FIRST_F: 0, _LAST: 0}
        parts = []
        for char in template:
            if char in used:
                k = min(used[char], slots - 1)
                used[char] += 1
                source = male if char == _FIRST else female if char == _FIRST_F else last
                parts.append(source[i, k])
            else:
                parts.append(char)
        out[i] = "".join(parts)
    return out


class _Flat:
    """Adapts (n, k) draws so KeyedRandom keeps one row of draws per key."""

    def __init__(self, draw: Any, n: int, k: int) -> None:
        self.draw, self.n, self.k = draw, n, k

    def integers(self, low: Any, high: Any = None, size: Any = None) -> np.ndarray:
        return np.asarray(self.draw.integers(low, high, size=(self.n, self.k))).ravel()

    def random(self, size: Any = None) -> np.ndarray:
        return np.asarray(self.draw.random(size=(self.n, self.k))).ravel()
