"""Sex/gender columns: recognise them by their values, and read each row as female or male.

A column is a sex/gender column when every value it takes (ignoring case, spaces and missing
values) is one of the words below and both a female and a male word occur, or when its name says
so (sex, gender) and its values are such words. Fake first names follow it: a row whose sex
reads female gets a name from the female list, male from the male list, anything else either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

FEMALE = frozenset({"f", "female", "woman", "women", "girl", "fem", "w"})
MALE = frozenset({"m", "male", "man", "men", "boy", "masc"})
NAMES = ("sex", "gender", "geschlecht", "sexe", "sexo")


def _word(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or isinstance(value, bool):
        return None
    text = str(value).strip().lower()
    return text or None


def looks_like_sex(values: Iterable[Any], name: str = "") -> bool:
    """Whether the distinct `values` of a column (named `name`) are sex/gender words."""
    words = {w for w in map(_word, values) if w is not None}
    if not words or not words <= FEMALE | MALE:
        return False
    both = bool(words & FEMALE) and bool(words & MALE)
    named = any(part in name.strip().lower() for part in NAMES)
    # a lone "w"/"m" pair is only a sex column when both sides occur or the name says so
    return both or named


def female_mask(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """(female, male) boolean arrays, one entry per value; neither for other values."""
    words = [_word(v) for v in np.asarray(values, dtype=object)]
    female = np.array([w in FEMALE for w in words], dtype=bool)
    male = np.array([w in MALE for w in words], dtype=bool)
    return female, male


def pick_sex_column(candidates: dict[str, Iterable[Any]]) -> str | None:
    """The sex/gender column among name -> distinct values, preferring one named sex/gender."""
    found = [name for name, values in candidates.items() if looks_like_sex(values, name)]
    named = [n for n in found if any(part in n.lower() for part in NAMES)]
    chosen = named or found
    return chosen[0] if chosen else None
