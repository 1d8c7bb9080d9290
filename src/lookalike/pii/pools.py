"""Pools of realistic values, drawn once per locale from Faker with a fixed seed and cached.

Calling Faker once per row costs ~100 µs, so a million names takes minutes; here each kind is
drawn once as a pool (a few thousand first names, last names, streets, companies...) that the
fake makers combine at random. First names come in female and male pools (Faker's own lists).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np

from lookalike.pii.templates import char_template

POOL_SIZE = 3000


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


def ascii_word(text: str) -> str:
    """Lowercase ASCII letters of a name, for email local parts."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


@functools.lru_cache(maxsize=32)
def _ascii_pool(locale: str, kind: str) -> np.ndarray:
    return np.array([ascii_word(v) or "user" for v in pool(locale, kind)], dtype=object)


@functools.lru_cache(maxsize=64)
def _digit_templates(locale: str, kind: str) -> tuple[str, ...]:
    return tuple(char_template(v, letters=False) for v in pool(locale, kind))
