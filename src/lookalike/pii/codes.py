"""Codes and short text that are not personal data (cabins, tickets, product codes, job titles).

Such a column has too many distinct values to be a category and is not a person's data, so it is
*learned* rather than replaced: it is encoded as one discrete column whose codes are

- its frequent values (at least `min_count` rows each), kept verbatim, so a model keeps their
  dependence on the other columns (a ticket shared by a family, the most common job titles);
- the *patterns* of the rare values, each pattern that at least `min_count` rows share being one
  code: digits become digit slots and letter runs that few values contain become word slots,
  while runs many values share stay ("C85" -> "C99", "PC 17599" -> "PC 99999"), so the deck
  letter of a cabin still follows the class of the passenger;
- one last code for the rarest patterns, pooled.

Rows of a text value seen 2 to `min_count - 1` times join the frequent value whose words it
contains (`generalise`: "sr. teacher" -> "Teacher"); values seen once keep their patterns (a
fresh sample holds about that share of values never seen: Good-Turing).

Decoding fills a pattern's digit slots with random digits and its word slots with words drawn
from the words many values share (a value's first and last words from the words that start and
end values: "senior", "supervisor"; a slot after a word from the words that follow it in many
values: "night" -> "shift"), never random letters, and never a real value that fewer than
`min_count` rows have (a coarse filter of those values catches it; such a draw is redone; a text
draw that stays rare becomes a frequent value; a value of one word slot becomes a frequent value
of one word, as no word model makes a new word without random letters). The state holds no rare
value.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from lookalike.pii import fakes

MIN_COUNT = 5
_RUN = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d")
# word slots: (lower, Capitalised, UPPER) x (a value's first word, its last word, any other)
_SLOTS = {
    (case, where): chr(0xE020 + 3 * i + k)
    for i, where in enumerate(("first", "last", "any"))
    for k, case in enumerate("lcu")
}
_SLOT_OF = {char: key for key, char in _SLOTS.items()}
_NULL, _TEMPLATE, _OTHER = "\x00null", "\x00pattern:", "\x00other"
_RETRIES = 20


def _case(run: str) -> str:
    return "u" if run.isupper() and len(run) > 1 else "c" if run[:1].isupper() else "l"


def pattern(value: str, common: frozenset[str]) -> str:
    """A value's pattern: digits -> DIGIT, letter runs not in `common` -> word slots; a value
    whose runs are all common gets word slots for all of them (else it would be itself).
    """
    runs = list(_RUN.finditer(value))
    keep = [m.group() in common for m in runs]
    if all(keep) and not any(c.isdigit() for c in value):
        keep = [False] * len(runs)
    out, at = [], 0
    for i, (match, kept) in enumerate(zip(runs, keep, strict=True)):
        out.append(re.sub(r"\d", fakes.DIGIT, value[at : match.start()]))
        where = "last" if i == len(runs) - 1 else "first" if i == 0 else "any"
        out.append(match.group() if kept else _SLOTS[(_case(match.group()), where)])
        at = match.end()
    out.append(re.sub(r"\d", fakes.DIGIT, value[at:]))
    return "".join(out)


def generalise(counts: pd.Series, frequent: list[str]) -> dict[str, str]:
    """Text values of 2 to `min_count - 1` rows mapped to the frequent value they specialise.

    A fresh sample of the same population would hold the values seen once about as often as
    values never seen (Good-Turing), so those rows keep their patterns and become new values;
    the rows of a value seen a few times stand for values the population holds but that cannot
    be given verbatim: they join the frequent value whose words they all contain ("sr. teacher"
    -> "Teacher", "SUPERVISOR" -> "Supervisor"; the one of most words, then most rows), keeping
    their dependence on the other columns. Values with digits (tickets, cabins) keep patterns.
    """
    words = {v: frozenset(_words(v)) for v in frequent if not _DIGITS.search(v)}
    rank = {v: i for i, v in enumerate(frequent)}  # frequent values come most rows first
    having: dict[str, list[str]] = {}
    for value, own in words.items():
        for word in own:
            having.setdefault(word, []).append(value)
    general: dict[str, str] = {}
    for value, count in counts.items():
        text = str(value)
        if count < 2 or text in words or _DIGITS.search(text):
            continue
        own = frozenset(_words(text))
        found = {v for word in own for v in having.get(word, ()) if words[v] <= own}
        if found:
            general[text] = min(found, key=lambda v: (-len(words[v]), rank[v]))
    return general


def _words(value: str) -> list[str]:
    return [w.casefold() for w in _RUN.findall(value)]


def fit_codes(series: pd.Series, min_count: int = MIN_COUNT) -> dict[str, Any]:
    """State of a code column: its categories (values, patterns, other) and its word pools."""
    from lookalike.pii.value_filter import value_filter

    text = series.astype(object).where(series.notna(), None)
    text = text.map(lambda v: None if v is None or str(v).strip() == "" else str(v).strip())
    counts = text.dropna().value_counts()
    frequent = [str(v) for v, c in counts.items() if c >= min_count]
    general = generalise(counts, frequent)
    rare = counts[counts < min_count]
    moved = rare[[v in general for v in rare.index]]
    rare = rare.drop(moved.index)
    tokens: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    starts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()  # a word and the next (as many values have)
    for value in counts.index:
        runs = _RUN.findall(str(value))
        tokens.update(set(runs))
        ends.update(runs[-1:])
        starts.update(runs[:1] if len(runs) > 1 else [])
        folded = [r.casefold() for r in runs]
        pairs.update(set(itertools.pairwise(folded)))
    common = frozenset(t for t, c in tokens.items() if c >= min_count)
    shapes: Counter[str] = Counter()
    for value, count in rare.items():
        shapes[pattern(str(value), common)] += int(count)
    kept = [s for s, c in shapes.most_common() if c >= min_count]
    pooled = {s: c for s, c in shapes.items() if c < min_count}
    keys = [*frequent, *(_TEMPLATE + s for s in kept)]
    if pooled:
        keys.append(_OTHER)
    if text.isna().any():
        keys.append(_NULL)
    weight = {v: int(counts[v]) for v in frequent}
    for value, count in moved.items():
        weight[general[value]] += int(count)
    weight.update({_TEMPLATE + s: shapes[s] for s in kept})
    weight.update({_OTHER: sum(pooled.values()), _NULL: int(text.isna().sum())})
    keys.sort(key=lambda k: -weight[k])  # codes by frequency, as for categories
    words = {
        "first": sorted(t for t, c in starts.items() if c >= min_count and t in common),
        "last": sorted(t for t, c in ends.items() if c >= min_count and t in common),
        "any": sorted(common),
    }
    alone = [v for v in frequent if _RUN.fullmatch(v)]  # frequent values of one word
    follow: dict[str, list[list[Any]]] = {}
    for (word, after), count in sorted(pairs.items()):
        if count >= min_count:
            follow.setdefault(word, [[], []])[0].append(after)
            follow[word][1].append(count)
    return {
        "keys": keys,
        "follow": follow,
        "alone": alone,
        "alone_weights": [int(counts[v]) for v in alone],
        "min_count": min_count,
        "common": sorted(common),
        "pooled": list(pooled),
        "pooled_weights": list(pooled.values()),
        "words": words,
        "word_weights": {k: [tokens[t] for t in v] for k, v in words.items()},
        **value_filter([str(v) for v in counts.index if counts[v] < min_count]),
    }


def code_size(state: dict[str, Any]) -> int:
    """How many codes a fitted code state holds."""
    return len(state["keys"])


def encode_codes(state: dict[str, Any], series: pd.Series) -> np.ndarray:
    """Codes of real values: a frequent value's own code, else its pattern's (or other's)."""
    position = {k: i for i, k in enumerate(state["keys"])}
    common = frozenset(state["common"])
    out = np.empty(len(series), dtype=np.int64)
    cache: dict[Any, int] = {}
    values = series.astype(object).tolist()
    text = pd.Series(values, dtype=object).dropna().map(lambda v: str(v).strip())
    counts = text[text != ""].value_counts()
    counts = counts[counts < state.get("min_count", MIN_COUNT)]
    frequent = [k for k in state["keys"] if not k.startswith("\x00")]
    general = generalise(counts, frequent) if "min_count" in state else {}
    for i, value in enumerate(values):
        if value not in cache:
            text = None if value is None or value != value else str(value).strip()
            if not text:
                key = _NULL
            elif text in position:
                key = text
            elif text in general:
                key = general[text]
            else:
                key = _TEMPLATE + pattern(text, common)
                key = key if key in position else _OTHER
            cache[value] = position.get(key, position.get(_OTHER, 0))
        out[i] = cache[value]
    return out


def decode_codes(state: dict[str, Any], codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Values for codes: frequent values as they are, patterns filled with digits and words."""
    from lookalike.pii.value_filter import in_filter

    keys = np.array(state["keys"], dtype=object)
    chosen = keys[np.clip(codes, 0, len(keys) - 1)]
    out = np.empty(len(chosen), dtype=object)
    templates = np.empty(len(chosen), dtype=object)
    for i, key in enumerate(chosen):
        out[i] = None if key == _NULL else key
        templates[i] = key[len(_TEMPLATE) :] if key.startswith(_TEMPLATE) else None
    other = np.flatnonzero(chosen == _OTHER)
    if len(other) and state["pooled"]:
        pooled = np.array(state["pooled"], dtype=object)
        templates[other] = fakes.pick(pooled, len(other), rng, state["pooled_weights"])
    rows = np.flatnonzero(templates != None)  # noqa: E711 - elementwise on an object array
    frequent = [k for k in state["keys"] if not k.startswith("\x00")]
    given = frozenset(frequent)
    for attempt in range(_RETRIES):
        if not len(rows):
            break
        out[rows] = _fill(templates[rows], state, rng, chain=attempt < _RETRIES // 2)
        # a rare real value (in any case) is drawn again; a frequent one, as it is, may stay
        again = in_filter(state, out[rows]) & ~np.isin(out[rows], list(given))
        rows = rows[again]
        if attempt % 4 == 3:  # a small pattern ("C9") that real values fill: widen it
            templates[rows] = [t + fakes.DIGIT if fakes.DIGIT in t else t for t in templates[rows]]
    if len(rows) and frequent:  # text no draw could make new: a frequent value instead
        out[rows] = fakes.pick(np.array(frequent, dtype=object), len(rows), rng)
    return out


def _fill(
    templates: np.ndarray, state: dict[str, Any], rng: np.random.Generator, chain: bool = True
) -> np.ndarray:
    """Templates filled: digits at random, word slots with words (following the word before
    them when `chain`, the way many values go on, else drawn alone).
    """
    words = {k: np.array(v, dtype=object) for k, v in state["words"].items()}
    weights = state["word_weights"]
    folded = {k: frozenset(w.casefold() for w in v) for k, v in state["words"].items()}
    upper = frozenset(w for w in state["words"]["any"] if w.isupper())
    capital = frozenset(w for w in state["words"]["any"] if w[:1].isupper() and not w.isupper())
    filled = []
    alone = np.array(state.get("alone", []), dtype=object)
    for template in templates:
        parts = []
        if str(template) in _SLOT_OF and len(alone):  # a one-word value: a frequent one-word one
            filled.append(str(fakes.pick(alone, 1, rng, state["alone_weights"])[0]))
            continue
        for char in str(template):
            if char not in _SLOT_OF:
                parts.append(char)
                continue
            case, where = _SLOT_OF[char]
            pool = where if len(words.get(where, ())) else "any"
            if not len(words[pool]):
                parts.append(fakes.LOWER * 5 if case == "l" else fakes.UPPER * 4)
                continue
            before = _RUN.findall("".join(parts))
            taken = {w.casefold() for w in _RUN.findall(str(template)) + before[-1:]}
            word = _next_word(state, before, folded[pool] - taken, rng) if chain else None
            for _ in range(3 if word is None else 0):  # no word twice in a row ("at at")
                word = str(fakes.pick(words[pool], 1, rng, weights[pool])[0])
                if word.casefold() not in taken:
                    break
            word = str(word)
            cased = {"u": word.upper(), "c": word.capitalize(), "l": word.lower()}
            acronym = word.upper() in upper and word.capitalize() not in capital
            parts.append(word.upper() if acronym and case == "c" else cased[case])
        filled.append("".join(parts))
    return fakes.fill_templates(np.array(filled, dtype=object), rng)


def _next_word(
    state: dict[str, Any], runs: list[str], pool: frozenset[str], rng: np.random.Generator
) -> str | None:
    """A word of `pool` that follows the last of `runs` in many values (None: no such word)."""
    found = state.get("follow", {}).get(runs[-1].casefold()) if runs else None
    if not found:
        return None
    keep = [i for i, word in enumerate(found[0]) if word in pool]
    if not keep:
        return None
    words = np.array([found[0][i] for i in keep], dtype=object)
    return str(fakes.pick(words, 1, rng, [found[1][i] for i in keep])[0])
