"""Fakes fitted to one real column: its values' shapes, never one of its values.

`fit_fakes` keeps only *shapes* of the real values (digit and letter slots, common tokens such as
a ticket prefix or an email domain) and a coarse hash filter of them (`pii.value_filter`), so a
fake never equals a real value and the stored state cannot list them; `fake_like` draws fakes
from that state. `fake_values` makes fakes of a PII kind from its pools (`pii.fakes`: pools and
vectorised templates, never one Faker call per row).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lookalike.pii import fakes
from lookalike.pii.fakes import DIGIT, LOWER, UPPER, char_template
from lookalike.pii.names import (
    FIRST_SLOTS,
    TITLES,
    common_tokens,
    fill_names,
    name_template,
    sex_slots,
)
from lookalike.pii.sex import female_mask
from lookalike.pii.value_filter import in_filter, value_filter

# PII kinds whose fakes follow each real value's characters (digit and letter slots)
CHARACTER_SHAPED = frozenset({"text", "code", "phone", "postcode", "national_id", "credit_card"})


def fake_values(kind: str, n: int, rng: Any, locale: str = "en_US") -> np.ndarray:
    """`n` fake strings of a PII kind, reproducible from `rng` (fast: pools, no per-row Faker).

    Example:
        >>> fake_values("email", 2, np.random.default_rng(0)).shape
        (2,)
    """
    return fakes.make(kind if kind in fakes.KINDS else "text", n, rng, locale)


def fit_fakes(values: pd.Series, kind: str, *, min_count: int = 5) -> dict[str, Any]:
    """What fakes of a real column need: shapes of its values and a coarse filter of them.

    Stores no real value: shapes keep only tokens shared by at least `min_count` distinct values
    (ticket prefixes, email domains, titles); the filter keeps `bits`-bit hashes, so each stored
    hash matches many possible values and cannot be turned back into a list.
    """
    counts = pd.Series(_as_text_all(values), dtype=object).value_counts(sort=False)
    distinct = counts.index.to_numpy(dtype=object)
    state: dict[str, Any] = {"pii_kind": kind}
    state.update(value_filter(list(distinct)))
    shapes: Counter[str] = Counter()
    shape = shaper(kind, distinct, min_count)
    if shape is not None:
        for value, count in counts.items():
            shapes[shape(value)] += int(count)
    if shapes:
        state["templates"] = list(shapes)
        state["weights"] = list(shapes.values())
    if len(counts) and counts.max() > 1:
        how_often = counts.value_counts().sort_index()
        state["repeats"] = [[int(c), int(v)] for c, v in how_often.items()]
    if kind == "email":
        domains = Counter(v.rsplit("@", 1)[-1].lower() for v in distinct if "@" in v)
        shared = {d: c for d, c in domains.items() if c >= min_count}
        state["domains"] = list(shared)
        state["domain_weights"] = list(shared.values())
        state["domain_share"] = sum(shared.values()) / max(len(distinct), 1)
    return state


def shaper(kind: str, distinct: Any, min_count: int) -> Callable[[str], str] | None:
    """The function giving a real value's shape for fakes of `kind`, or None (no shapes kept).

    Letters are slots unless shared by at least `min_count` distinct values ("PC", "ext"): a name
    in a phone column ("555-0101 (John)") must not survive as a literal. Names keep their titles.
    """
    if kind in CHARACTER_SHAPED:
        common = common_tokens(distinct, min_count)
        return lambda value: char_template(value, keep=common)
    if kind == "name":
        titles = frozenset(t for t in common_tokens(distinct, min_count) if t.lower() in TITLES)
        return lambda value: name_template(value, titles)
    return None


def fake_like(
    state: dict[str, Any],
    n: int,
    rng: Any,
    locale: str = "en_US",
    *,
    templates: Any = None,
    sex: Any = None,
) -> np.ndarray:
    """`n` fakes shaped like the fitted column, none equal to a real value.

    `templates` (one per row) overrides the drawn shapes; `anonymize` passes each real value's own
    shape so every replacement keeps its format. When the real column repeats values (a family on
    one ticket), fakes repeat as often: `repeats` holds how many values occurred how many times.
    `sex` (one value per row of a sex/gender column, `pii.sex`) makes names and first names
    female or male as each row's sex reads.
    """
    if sex is not None and templates is None and kind_of(state) in ("name", "first_name"):
        female, male = female_mask(sex)
        shapes = _sexed_shapes(state, female, male, rng) if state.get("templates") else None
        templates = sex_slots(shapes, female, male, rng.random(n) < 0.5)
    if templates is None and state.get("repeats") and not isinstance(rng, fakes.KeyedRandom):
        return _repeated(state, n, rng, locale)
    out = _fake_batch(state, n, rng, locale, templates)
    for attempt in range(1, 30):
        clash = np.flatnonzero(in_filter(state, out))
        if not len(clash):
            break
        retry = (
            rng
            if not isinstance(rng, fakes.KeyedRandom)
            else fakes.KeyedRandom(rng.keys[clash], stream=attempt)
        )
        sub = None if templates is None else np.asarray(templates, dtype=object)[clash]
        if sub is not None and attempt > 5 and kind_of(state) not in ("name", "first_name"):
            sub = np.array([_loosen(t) for t in sub], dtype=object)  # "D" stays "D" otherwise
        out[clash] = _fake_batch(state, len(clash), retry, locale, sub)
    clash = np.flatnonzero(in_filter(state, out))
    if len(clash):  # shapes too narrow to avoid every real value: use the kind's own fakes
        last = (
            fakes.KeyedRandom(rng.keys[clash], stream=99)
            if isinstance(rng, fakes.KeyedRandom)
            else rng
        )
        out[clash] = fake_values(kind_of(state), len(clash), last)
    return out


def _sexed_shapes(
    state: dict[str, Any], female: np.ndarray, male: np.ndarray, rng: Any
) -> np.ndarray:
    """A name shape per row, female rows drawn from the shapes with female first names (a
    "Mrs."), male rows from the others (a "Mr."), when the column has both; else from all.
    """
    kept = np.array(state["templates"], dtype=object)
    weights = np.asarray(state["weights"], dtype=float)
    out = fakes.pick(kept, len(female), rng, weights=weights)
    is_female = np.array([FIRST_SLOTS[1] in t for t in kept], dtype=bool)
    if is_female.all() or not is_female.any():
        return out
    for rows, pool in ((female, is_female), (male, ~is_female)):
        if rows.any():
            out[rows] = fakes.pick(kept[pool], int(rows.sum()), rng, weights=weights[pool])
    return out


def _repeated(state: dict[str, Any], n: int, rng: Any, locale: str) -> np.ndarray:
    """`n` fakes where each distinct fake appears as often as real values did."""
    counts = np.array([c for c, _ in state["repeats"]], dtype=np.int64)
    weights = np.array([v for _, v in state["repeats"]], dtype=float)
    drawn = counts[rng.choice(len(counts), size=n, p=weights / weights.sum())]
    size = int(np.searchsorted(np.cumsum(drawn), n) + 1)
    distinct = fake_like({**state, "repeats": None}, size, rng, locale)
    rows = np.repeat(np.arange(size), drawn[:size])[:n]
    return distinct[rng.permutation(rows)]


def kind_of(state: dict[str, Any]) -> str:
    """The PII kind a fitted state is for."""
    return str(state.get("pii_kind", "text"))


def _loosen(template: str) -> str:
    """A template with its kept letters freed, and a slot added when it has none."""
    loose = "".join((UPPER if c.isupper() else LOWER) if c.isalpha() else c for c in template)
    if not any(c in loose for c in (DIGIT, UPPER, LOWER)):
        loose += DIGIT * 3
    return loose


def _fake_batch(
    state: dict[str, Any], n: int, draw: Any, locale: str, templates: Any
) -> np.ndarray:
    kind = state.get("pii_kind", "text")
    if templates is None and state.get("templates"):
        templates = fakes.pick(
            np.array(state["templates"], dtype=object), n, draw, weights=state["weights"]
        )
    if templates is not None and kind in ("name", "first_name"):  # first_name: sex templates
        return fill_names(np.asarray(templates, dtype=object), draw, locale)
    if templates is not None and kind == "credit_card":
        return _cards_in_shapes(np.asarray(templates, dtype=object), draw)
    if templates is not None:
        return fakes.fill_templates(templates, draw)
    out = fake_values(kind, n, draw, locale)
    if kind == "email" and state.get("domains"):
        keep = draw.random(n) < state["domain_share"]
        domains = fakes.pick(
            np.array(state["domains"], dtype=object), n, draw, weights=state["domain_weights"]
        )
        out = np.array(
            [
                v.split("@")[0] + "@" + d if k else v
                for v, d, k in zip(out, domains, keep, strict=True)
            ],
            dtype=object,
        )
    return out


def _cards_in_shapes(templates: np.ndarray, draw: Any) -> np.ndarray:
    """Luhn-valid card numbers written in each template's grouping (spaces, dashes)."""
    plain = fakes.make("credit_card", len(templates), draw)
    out = np.empty(len(templates), dtype=object)
    for i, (template, number) in enumerate(zip(templates, plain, strict=True)):
        slots = template.count(DIGIT)
        if slots != len(number):
            out[i] = number
            continue
        chars = iter(number)
        out[i] = "".join(next(chars) if c == DIGIT else c for c in template)
    return out


def _as_text_all(values: pd.Series) -> np.ndarray:
    series = values.dropna()
    if pd.api.types.is_float_dtype(series) and len(series) and (series == series.round()).all():
        series = series.astype("int64")
    text = series.astype(str).str.strip()
    return text[text != ""].to_numpy(dtype=object)
