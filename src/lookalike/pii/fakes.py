"""Fast realistic fake values: pools built once from Faker, then vectorised draws.

Calling Faker once per row costs ~100 µs, so a million names takes minutes. Here each kind is
built from *pools* (a few thousand first names, last names, streets, companies... drawn once per
locale from Faker with a fixed seed and cached) combined at random, and from *templates* whose
digit and letter slots are filled with numpy. Checksums are computed vectorised (Luhn for card
numbers, mod-97 for IBANs). The variety comes from combining pools: 3,000 first names x 3,000
last names, random house numbers and phone digits, so a million rows stay varied.

Draws come from a `np.random.Generator` or from a `KeyedRandom`: the latter gives every row the
draws of its key, so rows with the same key (the same real value under `anonymize`) get the same
fake, and the fake depends only on (secret, value).

Template strings mark free slots with private-use characters: DIGIT, UPPER, LOWER.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

DIGIT, UPPER, LOWER = "\ue000", "\ue001", "\ue002"
POOL_SIZE = 3000

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


# ---------------------------------------------------------------------- pools
@functools.lru_cache(maxsize=16)
def _faker(locale: str) -> Any:
    from faker import Faker

    try:
        faker = Faker(locale)
    except AttributeError:
        from lookalike.errors import SpecError

        raise SpecError(f"unknown locale {locale!r}; use one Faker knows, e.g. en_US.") from None
    faker.seed_instance(20240601)
    return faker


@functools.lru_cache(maxsize=256)
def pool(locale: str, kind: str) -> np.ndarray:
    """A cached pool of Faker values of one kind (drawn once per locale, fixed seed)."""
    faker = _faker(locale)
    makers: dict[str, Callable[[], Any]] = {
        "first_name": faker.first_name,
        "first_name_female": faker.first_name_female,
        "first_name_male": faker.first_name_male,
        "last_name": faker.last_name,
        "street": faker.street_address,
        "address": lambda: faker.address().replace("\n", ", "),
        "city": faker.city,
        "country": faker.country,
        "company": faker.company,
        "job": faker.job,
        "phone": faker.phone_number,
        "postcode": faker.postcode,
        "national_id": faker.ssn,
        "iban": faker.iban,
        "email_domain": faker.free_email_domain,
        "domain": faker.domain_name,
    }
    if kind == "word":
        return np.array(faker.get_words_list(), dtype=object)
    size = 300 if kind in ("email_domain", "domain", "phone", "postcode", "national_id") else None
    values = [str(makers[kind]()) for _ in range(size or POOL_SIZE)]
    return np.array(values, dtype=object)


@functools.lru_cache(maxsize=256)
def _templates(locale: str, kind: str) -> tuple[str, ...]:
    """Distinct templates of a pool: digits become DIGIT slots (letters too for postcodes)."""
    letters = kind in ("postcode", "national_id")
    out = set()
    for value in pool(locale, kind):
        keep = 0
        if kind == "phone":  # keep a country code (+44) or trunk prefix (0) as written
            match = _PHONE_PREFIX.match(value)
            keep = match.end() if match else 0
        out.add(value[:keep] + char_template(value[keep:], letters=letters))
    return tuple(sorted(out))


_PHONE_PREFIX = re.compile(r"^(\+1(?=\D)|\+\d{2}(\(0\))?|001|0)")


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


def pick(values: np.ndarray, n: int, draw: Draws, weights: Any = None) -> np.ndarray:
    """`n` values drawn from `values` (uniform or by `weights`)."""
    if weights is None:
        return values[draw.integers(0, len(values), size=n)]
    cumulative = np.cumsum(np.asarray(weights, dtype=float))
    cumulative /= cumulative[-1]
    index = np.searchsorted(cumulative, draw.random(n), side="right")
    return values[np.minimum(index, len(values) - 1)]


def ascii_word(text: str) -> str:
    """Lowercase ASCII letters of a name, for email local parts."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


# ---------------------------------------------------------------------- kinds
def make(kind: str, n: int, draw: Draws, locale: str = "en_US") -> np.ndarray:
    """`n` fake values of `kind` (see KINDS) in `locale`."""
    maker = _MAKERS.get(kind)
    if maker is None:
        from lookalike.errors import SpecError

        raise SpecError(f"unknown fake kind {kind!r}; use one of {', '.join(KINDS)}.")
    if n == 0:
        return np.empty(0, dtype=object)
    return np.asarray(maker(n, draw, locale), dtype=object)


def _name(n: int, draw: Draws, locale: str) -> np.ndarray:
    female = draw.random(n) < 0.5
    firsts = np.where(
        female,
        pick(pool(locale, "first_name_female"), n, draw),
        pick(pool(locale, "first_name_male"), n, draw),
    )
    lasts = pick(pool(locale, "last_name"), n, draw)
    return np.array([f"{a} {b}" for a, b in zip(firsts, lasts, strict=True)], dtype=object)


@functools.lru_cache(maxsize=32)
def _ascii_pool(locale: str, kind: str) -> np.ndarray:
    return np.array([ascii_word(v) or "user" for v in pool(locale, kind)], dtype=object)


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


def luhn_check_digit(digits: np.ndarray) -> np.ndarray:
    """Check digit that makes each row of digits (without it) Luhn-valid."""
    reverse = digits[:, ::-1].astype(np.int64)
    doubled = reverse.copy()
    doubled[:, 0::2] *= 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    return (10 - doubled.sum(axis=1) % 10) % 10


def luhn_valid(number: str) -> bool:
    """True when the digits of `number` pass the Luhn check."""
    digits = [int(c) for c in number if c.isdigit()]
    if len(digits) < 12:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(iban: str) -> bool:
    """True when an IBAN passes the ISO 13616 mod-97 check."""
    text = iban.replace(" ", "").upper()
    if len(text) < 15 or not text[:2].isalpha() or not text[2:4].isdigit() or not text.isalnum():
        return False
    moved = text[4:] + text[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _digits_to_str(digits: np.ndarray) -> list[str]:
    return (digits.astype(np.uint32) + 48).view(f"<U{digits.shape[1]}").ravel().tolist()


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


def iban_check_digits(countries: np.ndarray, grid: np.ndarray, index: np.ndarray) -> np.ndarray:
    """ISO 13616 check digits for BBANs (code-point rows) of countries[index[i]]."""
    remainder = np.zeros(len(grid), dtype=np.int64)

    def feed(column: np.ndarray) -> None:
        nonlocal remainder
        code = column.astype(np.int64)
        letter = code >= 65
        value = np.where(letter, code - 55, code - 48)
        updated = np.where(letter, remainder * 100 + value, remainder * 10 + value) % 97
        remainder = np.where(code == 0, remainder, updated)

    for column in grid.T:
        feed(column)
    tail = np.array([[ord(c[0]), ord(c[1]), 48, 48] for c in countries], dtype=np.uint32)
    for column in tail[index].reshape(len(grid), 4).T:
        feed(column)
    return 98 - remainder


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


@functools.lru_cache(maxsize=64)
def _digit_templates(locale: str, kind: str) -> tuple[str, ...]:
    return tuple(char_template(v, letters=False) for v in pool(locale, kind))


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
