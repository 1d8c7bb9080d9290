"""Personal data: detect PII columns by their values and names, and make fakes of the same kind.

Detection (`detect_pii`) looks at values first (patterns, checksums: Luhn for card numbers,
mod-97 for IBANs; a dictionary of first names in several languages) and at the column name, and
returns a kind and a confidence in [0, 1]. Kinds: name, first_name, last_name, email, phone,
address, postcode, national_id, credit_card, iban, ip, date_of_birth, free_text, and text (codes
shaped like tickets or cabins: replaced by strings of the same shape).

Fakes (`fake_values`, `fit_fakes` + `fake_like`) come from `lookalike.pii.fakes`: pools and
vectorised templates, never one Faker call per row. `fit_fakes` keeps only *shapes* of the real
values (digit and letter slots, common tokens such as a ticket prefix or an email domain) and a
coarse hash filter of the real values, so a fake never equals a real value and the stored state
cannot list them.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from lookalike.pii import fakes
from lookalike.pii.fakes import DIGIT, LOWER, UPPER, char_template, iban_valid, luhn_valid

SAMPLE = 2000  # values looked at per column

_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"^[\w.+'-]+@[\w-]+(\.[\w-]+)+$"),
    "ip": re.compile(r"^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$"),
    "ipv6": re.compile(r"^[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}$"),
    "iban": re.compile(r"^[A-Z]{2}\d{2} ?([A-Z0-9]{1,4} ?){3,8}$"),
    "credit_card": re.compile(r"^\d{4}([ -]?\d{3,6}){2,4}$"),
    "national_id": re.compile(
        r"^(\d{3}-\d{2}-\d{4}"  # US SSN
        r"|[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Z]"  # UK NINO
        r"|[12] ?\d{2} ?\d{2} ?\d{2} ?\d{3} ?\d{3} ?\d{2})$"  # French NIR
    ),
    "postcode": re.compile(
        r"^([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"  # UK
        r"|[A-Z]\d[A-Z] ?\d[A-Z]\d"  # Canada
        r"|\d{5}-\d{4}"  # US ZIP+4
        r"|\d{4} ?[A-Z]{2})$"  # Netherlands
    ),
    "phone": re.compile(r"^(\+|00)?[\d\s().-]{7,22}(\s*(x|ext\.?)\s*\d{1,6})?$"),
}
_NAME_HINTS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"e-?mail", re.I),
    "phone": re.compile(r"phone|mobile|cell(ular)?$|^tel|_tel$|telephone|fax", re.I),
    "first_name": re.compile(r"first_?name|given_?name|fore_?name|prenom|vorname", re.I),
    "last_name": re.compile(r"last_?name|surname|family_?name|maiden|nachname", re.I),
    "name": re.compile(
        r"^(full_?|person_?|patient_?|customer_?|client_?|passenger_?|contact_?)?name$"
        r"|^nom$|^names?$",
        re.I,
    ),
    "address": re.compile(r"address|street|addr$|adresse", re.I),
    "postcode": re.compile(r"zip|post_?code|postal|plz", re.I),
    "national_id": re.compile(
        r"ssn|social_?security|national_?id|nin$|nino|passport|tax_?id|tin$|nir$|bsn|"
        r"personnummer|driver_?licen[cs]e",
        re.I,
    ),
    "credit_card": re.compile(r"card_?(number|no|num)|credit_?card|^cc_?(num|number)?$|pan$", re.I),
    "iban": re.compile(r"iban|account_?(number|no)", re.I),
    "ip": re.compile(r"(^|_)ip(_?addr(ess)?)?$|ip_?address", re.I),
    "date_of_birth": re.compile(r"birth|dob$|^dob|geburt|naissance", re.I),
    "free_text": re.compile(r"comment|note|remark|description|message|feedback|text", re.I),
}


def detect_hinted_pii(values: pd.Series, name: str) -> tuple[str, float] | None:
    """PII in a column whose *name* says PII, whatever its type (numbers, dates included).

    Card numbers or ZIP codes written as plain digits read as numbers and a `date_of_birth` reads
    as dates, so detection by type never sees them; call this first for such columns.

    Example:
        >>> detect_hinted_pii(pd.Series([4539148803436467, 4716461583322103]), "card_number")
        ('credit_card', 1.0)
    """
    if not any(rx.search(str(name)) for rx in _NAME_HINTS.values()):
        return None
    return detect_pii(values, name)


_DATE = re.compile(
    r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"([ T]\d{1,2}:\d{2}(:\d{2})?)?$"
)
_CHECKSUM = {"credit_card": luhn_valid, "iban": iban_valid}
_TITLES = frozenset(
    {
        *("mr", "mrs", "ms", "miss", "master", "dr", "prof", "sir", "lady", "rev", "mme"),
        *("mlle", "madame", "monsieur", "herr", "frau", "don", "dona", "col", "capt"),
        *("major", "countess", "jonkheer"),
    }
)


CARD_DIGITS = (13, 19)  # lengths of payment card numbers (ISO/IEC 7812)


def detect_number_pii(values: pd.Series) -> tuple[str, float] | None:
    """PII in a column of numbers, whatever its name: card numbers stored as integers.

    Random 13-19 digit numbers pass the Luhn check one time in ten, so a column where at least
    90 % of the distinct values are 13-19 digits long and pass it holds card numbers (the value
    checks decide, not the dtype or the name).

    Example:
        >>> detect_number_pii(pd.Series([4539148803436467, 4716461583322103]))
        ('credit_card', 0.95)
    """
    series = values.dropna()
    if not len(series) or not pd.api.types.is_numeric_dtype(series):
        return None
    numbers = series.to_numpy()
    if numbers.dtype.kind == "f" and (
        not np.all(numbers == np.round(numbers)) or np.abs(numbers).max() >= 2**53
    ):
        return None  # fractions are not card numbers; a float cannot hold 16 exact digits
    distinct = pd.unique(np.abs(numbers).astype(np.int64))[:SAMPLE]
    if len(distinct) < 2:
        return None
    low, high = 10 ** (CARD_DIGITS[0] - 1), 10 ** CARD_DIGITS[1]
    sized = (distinct >= low) & (distinct < high)
    if sized.mean() < 0.9:
        return None
    share = float(np.mean([luhn_valid(str(v)) for v in distinct[sized]]) * sized.mean())
    return ("credit_card", 0.95) if share >= 0.9 else None


def detect_pii(values: pd.Series, name: str) -> tuple[str, float] | None:
    """Return (pii kind, confidence) when a column holds personal data, else None.

    Works on any column (numbers are read as text, so card numbers or ZIP codes stored as
    integers are found too); the column name adds evidence but values decide.

    Example:
        >>> detect_pii(pd.Series(["ann@x.org", "bo@y.com"]), "contact")
        ('email', 0.9)
    """
    text = _as_text(values)
    if len(text) == 0:
        return None
    hint = next((kind for kind, rx in _NAME_HINTS.items() if rx.search(str(name))), None)
    distinct = text.nunique()
    if text.str.match(_DATE).mean() >= 0.9:  # dates are PII only as dates of birth
        return ("date_of_birth", 0.9) if hint == "date_of_birth" and distinct > 1 else None

    for kind, pattern in _PATTERNS.items():
        share = float(text.str.match(pattern).mean())
        if kind in _CHECKSUM and share:
            share = float(text.map(_CHECKSUM[kind]).mean())
        if kind == "phone":
            # digits with separators are phones only with a name hint or phone-like punctuation
            digits = text.str.count(r"\d")
            share = float((text.str.match(pattern) & digits.between(7, 15)).mean())
            if hint != "phone" and not (text.str.contains(r"^\+|^0|\(|\d[ .-]\d").mean() > 0.8):
                continue
        if kind == "postcode" and hint != "postcode" and distinct < 3:
            continue
        if share >= 0.8 and distinct > 1:
            agree = 0.1 if hint == kind else 0.0
            return kind, round(min(1.0, 0.9 * share + agree), 3)

    if hint is not None and distinct > 1:
        plausible = _plausible(hint, text)
        if plausible >= 0.5:
            return hint, round(0.6 + 0.3 * plausible, 3)

    name_share = _name_share(text)
    if name_share >= 0.6 and distinct >= min(20, 0.5 * len(text)) and len(text) >= 5:
        kind = "name" if text.str.contains(r"\s").mean() > 0.5 else "first_name"
        return kind, round(0.4 + 0.5 * name_share, 3)
    street = float((text.str.contains(_STREET) | text.str.match(_ADDRESS_SHAPE)).mean())
    if street >= 0.6 and distinct > 5:
        return "address", round(0.5 + 0.4 * street, 3)
    words = text.str.split().str.len()
    if words.mean() >= 6 and distinct / len(text) > 0.5 and len(text) >= 5:
        return "free_text", 0.6
    return None


_STREET = re.compile(
    r"^\d+[A-Za-z]?,? .*\b(?:st|street|ave|avenue|rd|road|lane|ln|blvd|boulevard|drive|dr|court|"
    r"ct|way|place|pl|square|sq|terrace|parkway|highway|hwy|circle|trail|crescent)\b\.?"
    r"|\b(?:rue|avenue|boulevard|chemin|allée|impasse|place|via|viale|piazza|calle|avenida|plaza)\b"
    r"|(?:straße|strasse|weg|gasse|platz|laan|straat|plein|gracht)\b",
    re.I,
)


# a house number, a word, then a comma or a postcode: "12 Hill Overpass, Lake Ann, VA 22517"
_ADDRESS_SHAPE = re.compile(
    r"^\d+[A-Za-z]?,?\s+[^\W\d]{2,}.*(?:,|\b\d{4,5}\b)"
    r"|^[^\W\d].*,.*(?:\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\b\d{4,5})$"  # ..., London N1 2AB
)


def _as_text(values: pd.Series) -> pd.Series:
    series = values.dropna()
    if pd.api.types.is_float_dtype(series) and len(series) and (series == series.round()).all():
        series = series.astype("int64")
    text = series.iloc[:SAMPLE].astype(str).str.strip()
    return text[text != ""].reset_index(drop=True)


def _plausible(kind: str, text: pd.Series) -> float:
    """Share of values that could be of `kind` (given a name hint)."""
    digits = text.str.count(r"\d")
    if kind == "phone":
        return float(digits.between(6, 15).mean())
    if kind == "postcode":
        return float((text.str.len().between(3, 10) & (digits >= 2)).mean())
    if kind in ("national_id", "credit_card", "iban"):
        return float(((digits >= 5) & text.str.len().between(6, 34)).mean())
    if kind == "ip":
        return float(text.str.match(_PATTERNS["ip"]).mean())
    if kind == "email":
        return float(text.str.contains("@").mean())
    if kind == "date_of_birth":
        parsed = pd.to_datetime(text, errors="coerce", format="mixed")
        return float(parsed.notna().mean())
    if kind in ("name", "first_name", "last_name"):
        return float((text.str.match(r"^[^\d@]{2,}$") & (text.str.split().str.len() <= 6)).mean())
    if kind == "address":
        return float(((digits >= 1) & text.str.contains(r"[^\W\d]{3}")).mean())
    if kind == "free_text":
        return float((text.str.split().str.len() >= 3).mean())
    return 0.0


@functools.lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Lowercase first names from Faker's person providers in several languages."""
    import importlib

    names: set[str] = set()
    for locale in ("en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_BR", "sv_SE"):
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            continue
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names.update(str(v).lower() for v in getattr(provider, attribute, ()))
    return frozenset(n for n in names if len(n) > 2)


def _name_share(text: pd.Series) -> float:
    known = first_names()
    if not text.str.match(r"^[^\d@/]+$").mean() > 0.9:
        return 0.0
    tokens = text.str.lower().str.findall(r"[^\W\d_]+")
    return float(tokens.map(lambda words: any(w in known for w in words)).mean())


# ---------------------------------------------------------------------- fakes
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
    if kind in ("text", "code", "phone", "postcode", "national_id", "credit_card"):
        # letters are slots unless shared by many values ("PC", "ext"): a name in a phone
        # column ("555-0101 (John)") must not survive as a literal
        common = common_tokens(distinct, min_count)
        for value, count in counts.items():
            shapes[char_template(value, keep=common)] += int(count)
    elif kind == "name":
        titles = frozenset(t for t in common_tokens(distinct, min_count) if t.lower() in _TITLES)
        for value, count in counts.items():
            shapes[name_template(value, titles)] += int(count)
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


def fake_like(
    state: dict[str, Any], n: int, rng: Any, locale: str = "en_US", *, templates: Any = None
) -> np.ndarray:
    """`n` fakes shaped like the fitted column, none equal to a real value.

    `templates` (one per row) overrides the drawn shapes; `anonymize` passes each real value's own
    shape so every replacement keeps its format. When the real column repeats values (a family on
    one ticket), fakes repeat as often: `repeats` holds how many values occurred how many times.
    """
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


# ---------------------------------------------------------------------- shapes
def common_tokens(values: Any, min_count: int) -> frozenset[str]:
    """Letter runs that occur in at least `min_count` distinct values (not identifying)."""
    counts: Counter[str] = Counter()
    for value in values:
        counts.update(set(re.findall(r"[^\W\d_]+", str(value))))
    return frozenset(t for t, c in counts.items() if c >= min_count)


_FIRST, _FIRST_F, _LAST = "\ue010", "\ue011", "\ue012"
FIRST_SLOTS = (_FIRST, _FIRST_F)  # a name template's male and female first-name slots
_FEMALE = frozenset({"mrs", "ms", "miss", "mme", "mlle", "madame", "lady", "countess", "frau"})


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


# ---------------------------------------------------------------------- filter of real values
def _normal(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def _as_text_all(values: pd.Series) -> np.ndarray:
    series = values.dropna()
    if pd.api.types.is_float_dtype(series) and len(series) and (series == series.round()).all():
        series = series.astype("int64")
    text = series.astype(str).str.strip()
    return text[text != ""].to_numpy(dtype=object)


def value_filter(values: list[str]) -> dict[str, Any]:
    """A coarse hash filter of real values: ~1.5% of random strings match it by chance."""
    distinct = {_normal(v) for v in values}
    bits = int(min(40, max(12, math.ceil(math.log2(64 * max(len(distinct), 1))))))
    salt = hashlib.sha256("\x00".join(sorted(distinct)[:100]).encode()).hexdigest()[:16]
    hashes = sorted({_hash(v, salt, bits) for v in distinct})
    return {"filter_salt": salt, "filter_bits": bits, "filter": hashes}


def in_filter(state: dict[str, Any], values: np.ndarray) -> np.ndarray:
    """True where a value's hash is in the filter (real values always are)."""
    if "filter" not in state:
        return np.zeros(len(values), dtype=bool)
    salt, bits = state["filter_salt"], state["filter_bits"]
    taken = set(np.asarray(state["filter"]).tolist())
    return np.array([_hash(_normal(v), salt, bits) in taken for v in values], dtype=bool)


def _hash(value: str, salt: str, bits: int) -> int:
    digest = hashlib.blake2b((salt + value).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> (64 - bits)


__all__ = [
    "DIGIT",
    "LOWER",
    "UPPER",
    "detect_hinted_pii",
    "detect_pii",
    "fake_like",
    "fake_values",
    "fit_fakes",
]
