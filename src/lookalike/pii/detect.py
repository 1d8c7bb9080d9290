"""Personal data: detect PII columns by their values and names.

Detection (`detect_pii`) looks at values first (patterns, checksums: Luhn for card numbers,
mod-97 for IBANs; a dictionary of first names in several languages) and at the column name, and
returns a kind and a confidence in [0, 1]. Kinds: name, first_name, last_name, email, phone,
address, postcode, national_id, credit_card, iban, ip, date_of_birth, free_text, and text (codes
shaped like tickets or cabins: replaced by strings of the same shape).

Fakes of a detected column live in `lookalike.pii.column_fakes` (`fit_fakes` + `fake_like`,
`fake_values`), names in `pii.names`, the filter of real values in `pii.value_filter`; their
names are re-exported here, where they used to live.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from lookalike.pii.fakes import DIGIT, LOWER, UPPER, iban_valid, luhn_valid

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
    "first_name": re.compile(
        r"first_?name|name_?first|given_?name|name_?given|fore_?name|^f_?name$|prenom|vorname", re.I
    ),
    "last_name": re.compile(
        r"last_?name|name_?last|surname|family_?name|name_?family|^l_?name$|maiden|nachname", re.I
    ),
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


def _digits(text: pd.Series) -> pd.Series:
    return text.str.count(r"\d")


def _person_names(text: pd.Series) -> float:
    return float((text.str.match(r"^[^\d@]{2,}$") & (text.str.split().str.len() <= 6)).mean())


def _identifier(text: pd.Series) -> float:
    return float(((_digits(text) >= 5) & text.str.len().between(6, 34)).mean())


# share of values that could be of a kind the column name hints at, by kind
_PLAUSIBLE: dict[str, Callable[[pd.Series], float]] = {
    "phone": lambda text: float(_digits(text).between(6, 15).mean()),
    "postcode": lambda text: float((text.str.len().between(3, 10) & (_digits(text) >= 2)).mean()),
    "national_id": _identifier,
    "credit_card": _identifier,
    "iban": _identifier,
    "ip": lambda text: float(text.str.match(_PATTERNS["ip"]).mean()),
    "email": lambda text: float(text.str.contains("@").mean()),
    "date_of_birth": lambda text: float(
        pd.to_datetime(text, errors="coerce", format="mixed").notna().mean()
    ),
    "name": _person_names,
    "first_name": _person_names,
    "last_name": _person_names,
    "address": lambda text: float(((_digits(text) >= 1) & text.str.contains(r"[^\W\d]{3}")).mean()),
    "free_text": lambda text: float((text.str.split().str.len() >= 3).mean()),
}


def _plausible(kind: str, text: pd.Series) -> float:
    """Share of values that could be of `kind` (given a name hint)."""
    check = _PLAUSIBLE.get(kind)
    return check(text) if check is not None else 0.0


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


# moved to their own modules; re-exported for the old import path `lookalike.pii.detect`
from lookalike.pii.column_fakes import fake_like, fake_values, fit_fakes  # noqa: E402
from lookalike.pii.column_fakes import kind_of as kind_of  # noqa: E402
from lookalike.pii.names import common_tokens as common_tokens  # noqa: E402
from lookalike.pii.names import name_template as name_template  # noqa: E402
from lookalike.pii.value_filter import in_filter as in_filter  # noqa: E402
from lookalike.pii.value_filter import value_filter as value_filter  # noqa: E402

__all__ = [  # as before the split
    "DIGIT",
    "LOWER",
    "UPPER",
    "detect_hinted_pii",
    "detect_pii",
    "fake_like",
    "fake_values",
    "fit_fakes",
]
