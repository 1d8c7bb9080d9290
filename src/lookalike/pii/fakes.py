"""Fast realistic fake values: pools built once from Faker, then vectorised draws.

Each kind is built from *pools* (`pii.pools`: a few thousand first names, last names, streets,
companies... drawn once per locale from Faker with a fixed seed and cached) combined at random, and
from *templates* (`pii.templates`) whose digit and letter slots are filled with numpy. Checksums
are computed vectorised (`pii.checksums`: Luhn for card numbers, mod-97 for IBANs). The variety
comes from combining pools: 3,000 first names x 3,000 last names, random house numbers and phone
digits, so a million rows stay varied.

Draws come from a `np.random.Generator` or from a `KeyedRandom` (`pii.draws`): the latter gives
every row the draws of its key, so rows with the same key get the same fake.

`make(kind, n, draw, locale, sex=...)`: names and first names follow a sex/gender column's values
(`pii.sex`): female rows get names from the female list, male rows from the male list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from lookalike.pii.checksums import (
    _digits_to_str,
    iban_check_digits,
    iban_valid,
    luhn_check_digit,
    luhn_valid,
)
from lookalike.pii.draws import Draws, KeyedRandom, pick, row_keys
from lookalike.pii.pools import (
    POOL_SIZE,
    _ascii_pool,
    _digit_templates,
    _templates,
    ascii_word,
    pool,
)
from lookalike.pii.pools import (
    _faker as _faker,
)
from lookalike.pii.sex import female_mask
from lookalike.pii.templates import (
    DIGIT,
    LOWER,
    UPPER,
    char_template,
    fill_grid,
    fill_templates,
    grid_strings,
)

KINDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "street",
    "city",
    "country",
    "postcode",
    "company",
    "job",
    "iban",
    "credit_card",
    "ip",
    "ipv6",
    "uuid",
    "national_id",
    "date_of_birth",
    "sentence",
    "free_text",
    "text",
)


# ---------------------------------------------------------------------- kinds
def make(kind: str, n: int, draw: Draws, locale: str = "en_US", *, sex: Any = None) -> np.ndarray:
    """`n` fake values of `kind` (see KINDS) in `locale`.

    `sex` (one value per row, e.g. a sex/gender column's values) makes `name` and `first_name`
    draw female first names for female rows and male ones for male rows (`pii.sex`).
    """
    maker = _MAKERS.get(kind)
    if maker is None:
        from lookalike.errors import SpecError

        raise SpecError(f"unknown fake kind {kind!r}; use one of {', '.join(KINDS)}.")
    if n == 0:
        return np.empty(0, dtype=object)
    if sex is not None and kind in _FIRST_NAMED:
        return np.asarray(_FIRST_NAMED[kind](n, draw, locale, sex), dtype=object)
    return np.asarray(maker(n, draw, locale), dtype=object)


def first_names(n: int, draw: Draws, locale: str, sex: Any = None) -> np.ndarray:
    """First names: female or male by `sex` (one value per row); others either, half and half."""
    female, male = female_mask(sex) if sex is not None else (np.zeros(n, bool), np.zeros(n, bool))
    female = female | (~male & (draw.random(n) < 0.5))
    return np.where(
        female,
        pick(pool(locale, "first_name_female"), n, draw),
        pick(pool(locale, "first_name_male"), n, draw),
    )


def _name(n: int, draw: Draws, locale: str, sex: Any = None) -> np.ndarray:
    firsts = first_names(n, draw, locale, sex)
    lasts = pick(pool(locale, "last_name"), n, draw)
    return np.array([f"{a} {b}" for a, b in zip(firsts, lasts, strict=True)], dtype=object)


_NUMBERS = np.array([str(i) for i in range(100)], dtype=object)


def _email(n: int, draw: Draws, locale: str) -> np.ndarray:
    first = pick(_ascii_pool(locale, "first_name"), n, draw)
    last = pick(_ascii_pool(locale, "last_name"), n, draw)
    style = draw.integers(0, 6, size=n)
    number = _NUMBERS[draw.integers(1, 100, size=n)]
    free = draw.random(n) < 0.7
    domains = np.where(
        free,
        pick(pool(locale, "email_domain"), n, draw),
        pick(pool(locale, "domain"), n, draw),
    )
    initial = np.array([f[:1] for f in first], dtype=object)
    empty = np.full(n, "", dtype=object)
    dot, under = np.full(n, ".", dtype=object), np.full(n, "_", dtype=object)
    # style: f.l, fl, il, f_lNN, fNN, l.fNN
    a = np.select([style == 2, style == 5], [initial, last], first)
    sep = np.select([style == 0, style == 3, style == 5], [dot, under, dot], empty)
    b = np.select([style == 4, style == 5], [empty, first], last)
    tail = np.where(style >= 3, number, empty)
    return a + sep + b + tail + "@" + domains


def _from_templates(kind: str) -> Callable[[int, Draws, str], np.ndarray]:
    def maker(n: int, draw: Draws, locale: str) -> np.ndarray:
        templates = _templates(locale, kind)
        return fill_templates(templates, draw, draw.integers(0, len(templates), size=n))

    return maker


def _phone(n: int, draw: Draws, locale: str) -> np.ndarray:
    templates = [t for t in _templates(locale, "phone") if "x" not in t]
    templates = templates or list(_templates(locale, "phone"))
    return fill_templates(templates, draw, draw.integers(0, len(templates), size=n))


def _national_id(n: int, draw: Draws, locale: str) -> np.ndarray:
    if locale != "en_US":
        return _from_templates("national_id")(n, draw, locale)
    # US SSNs: area 001-899 except 666, group 01-99, serial 0001-9999
    area = draw.integers(1, 899, size=n)
    area = np.where(area == 666, 667, area)
    group = draw.integers(1, 100, size=n)
    serial = draw.integers(1, 10000, size=n)
    return np.array(
        [f"{a:03d}-{g:02d}-{s:04d}" for a, g, s in zip(area, group, serial, strict=True)],
        dtype=object,
    )


def _credit_card(n: int, draw: Draws, locale: str) -> np.ndarray:
    # (prefix, length, share): Visa, Mastercard, Amex, Discover
    brands = [("4", 16, 0.5), ("5", 16, 0.3), ("3", 15, 0.12), ("6011", 16, 0.08)]
    brand = pick(np.arange(len(brands)), n, draw, weights=[b[2] for b in brands])
    second = draw.integers(0, 10, size=n)
    body = draw.integers(0, 10, size=(n, 19))
    out = np.empty(n, dtype=object)
    for index, (prefix, length, _) in enumerate(brands):
        rows = np.flatnonzero(brand == index)
        if not len(rows):
            continue
        digits = body[rows, :length].copy()
        fixed = [int(c) for c in prefix]
        digits[:, : len(fixed)] = fixed
        if prefix == "5":
            digits[:, 1] = 1 + second[rows] % 5  # 51-55
        elif prefix == "3":
            digits[:, 1] = np.where(second[rows] % 2 == 0, 4, 7)  # 34 or 37
        digits[:, -1] = luhn_check_digit(digits[:, :-1])
        out[rows] = _digits_to_str(digits)
    return out


def _iban(n: int, draw: Draws, locale: str) -> np.ndarray:
    countries, bodies = _iban_shapes(locale)
    chosen = draw.integers(0, len(bodies), size=n)
    grid = fill_grid(bodies, chosen, draw)
    check = iban_check_digits(countries, grid, chosen)
    return countries.astype(object)[chosen] + _CHECKS[check] + grid_strings(grid)


@functools.lru_cache(maxsize=16)
def _iban_shapes(locale: str) -> tuple[np.ndarray, tuple[str, ...]]:
    shapes = sorted({(v[:2], char_template(v[4:])) for v in pool(locale, "iban")})
    return np.array([s[0] for s in shapes]), tuple(s[1] for s in shapes)


_CHECKS = np.array([f"{i:02d}" for i in range(100)], dtype=object)


_OCTETS = np.array([str(i) for i in range(256)], dtype=object)


def _ip(n: int, draw: Draws, locale: str) -> np.ndarray:
    octets = draw.integers(0, 256, size=(n, 4))
    first = draw.integers(11, 224, size=n)
    octets[:, 0] = np.where(first == 127, 128, first)
    octets[:, 3] = np.maximum(octets[:, 3], 1)
    parts = _OCTETS[octets]
    return np.array([f"{a}.{b}.{c}.{d}" for a, b, c, d in zip(*parts.T, strict=True)], dtype=object)


@functools.lru_cache(maxsize=1)
def _hex_groups() -> np.ndarray:
    return np.array([f"{i:x}" for i in range(65536)], dtype=object)


def _ipv6(n: int, draw: Draws, locale: str) -> np.ndarray:
    groups = _hex_groups()[draw.integers(0, 65536, size=(n, 8))]
    return np.array([":".join(row) for row in groups.tolist()], dtype=object)


def _uuid(n: int, draw: Draws, locale: str) -> np.ndarray:
    raw = draw.integers(0, 256, size=(n, 16)).astype(np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexes = [row.tobytes().hex() for row in raw]
    return np.array(
        [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" for h in hexes], dtype=object
    )


@functools.lru_cache(maxsize=16)
def _clauses(locale: str) -> tuple[np.ndarray, np.ndarray]:
    """Pools of sentence openings (capitalised) and endings, 2-6 words each, built once."""
    words = pool(locale, "word")
    rng = np.random.default_rng(7)
    heads: list[str] = []
    tails: list[str] = []
    for target in (heads, tails):
        for count in rng.integers(2, 7, size=POOL_SIZE):
            target.append(" ".join(rng.choice(words, size=count)))
    heads = [h[:1].upper() + h[1:] for h in heads]
    return np.array(heads, dtype=object), np.array(tails, dtype=object)


def _sentence(n: int, draw: Draws, locale: str) -> np.ndarray:
    heads, tails = _clauses(locale)
    a, b = pick(heads, n, draw), pick(tails, n, draw)
    return np.array([f"{x} {y}." for x, y in zip(a, b, strict=True)], dtype=object)


def _free_text(n: int, draw: Draws, locale: str) -> np.ndarray:
    first, second, third = (_sentence(n, draw, locale) for _ in range(3))
    count = draw.integers(1, 4, size=n)
    return np.array(
        [
            x if c == 1 else f"{x} {y}" if c == 2 else f"{x} {y} {z}"
            for x, y, z, c in zip(first, second, third, count, strict=True)
        ],
        dtype=object,
    )


def _date_of_birth(n: int, draw: Draws, locale: str) -> np.ndarray:
    days = draw.integers(18 * 365, 90 * 365, size=n)
    today = np.datetime64("2025-01-01", "D")
    return np.datetime_as_string(today - days.astype("timedelta64[D]"), unit="D").astype(object)


def _text(n: int, draw: Draws, locale: str) -> np.ndarray:
    shape = f"{UPPER}{UPPER}{DIGIT}{DIGIT}-{DIGIT}{DIGIT}{DIGIT}{DIGIT}"
    return fill_templates([shape], draw, np.zeros(n, dtype=np.int64))


def _pool_maker(kind: str, digits: bool = False) -> Callable[[int, Draws, str], np.ndarray]:
    def maker(n: int, draw: Draws, locale: str) -> np.ndarray:
        if digits:  # house numbers and postcodes vary: a pool of 3,000 streets gives millions
            templates = _digit_templates(locale, kind)
            return fill_templates(templates, draw, draw.integers(0, len(templates), size=n))
        return pick(pool(locale, kind), n, draw)

    return maker


_MAKERS: dict[str, Callable[[int, Draws, str], np.ndarray]] = {
    "name": _name,
    "first_name": _pool_maker("first_name"),
    "last_name": _pool_maker("last_name"),
    "email": _email,
    "phone": _phone,
    "address": _pool_maker("address", digits=True),
    "street": _pool_maker("street", digits=True),
    "city": _pool_maker("city"),
    "country": _pool_maker("country"),
    "postcode": _from_templates("postcode"),
    "company": _pool_maker("company"),
    "job": _pool_maker("job"),
    "iban": _iban,
    "credit_card": _credit_card,
    "ip": _ip,
    "ipv6": _ipv6,
    "uuid": _uuid,
    "national_id": _national_id,
    "date_of_birth": _date_of_birth,
    "sentence": _sentence,
    "free_text": _free_text,
    "text": _text,
}
_FIRST_NAMED: dict[str, Callable[[int, Draws, str, Any], np.ndarray]] = {
    "name": _name,
    "first_name": first_names,
}

__all__ = [
    "DIGIT",
    "KINDS",
    "LOWER",
    "POOL_SIZE",
    "UPPER",
    "Draws",
    "KeyedRandom",
    "ascii_word",
    "char_template",
    "fill_grid",
    "fill_templates",
    "first_names",
    "grid_strings",
    "iban_check_digits",
    "iban_valid",
    "luhn_check_digit",
    "luhn_valid",
    "make",
    "pick",
    "pool",
    "row_keys",
]
