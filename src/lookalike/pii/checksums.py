"""Check digits of fakes and real values: Luhn (card numbers) and ISO 13616 mod-97 (IBANs)."""

from __future__ import annotations

import numpy as np


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
