"""The column kinds, and the named groups of them that the rest of the code asks about.

A module that treats kinds differently asks "is this kind in NUMBER_KINDS?" (or calls the kind's
codec, lookalike.codecs) instead of comparing with a string, so adding a kind means adding it here
(the Literal and the groups it belongs to) and giving it a codec; nothing else needs to change.

    numerical    numbers (integer or continuous) with observed min/max and decimals
    categorical  a finite set of values (strings or numbers)
    boolean      two values (True/False, 0/1, yes/no); written back as they came
    datetime     dates or timestamps, with the string format they were written in
    id           a unique key per row; regenerated in the same pattern, never copied
    pii          personal free text (names, emails, ...); replaced by fakes
    constant     a single value (or no value at all: an all-null column)
"""

from __future__ import annotations

from typing import Literal, get_args

ColumnKind = Literal["numerical", "categorical", "boolean", "datetime", "id", "pii", "constant"]
KINDS: tuple[ColumnKind, ...] = get_args(ColumnKind)

# values are numbers on a line (dates as seconds): ranges, inequalities, min/max apply
NUMBER_KINDS: frozenset[str] = frozenset({"numerical", "datetime"})
# values are dates or timestamps: compared and stored as seconds
DATE_KINDS: frozenset[str] = frozenset({"datetime"})
# values are plain numbers (not dates): arithmetic applies
PLAIN_NUMBER_KINDS: frozenset[str] = NUMBER_KINDS - DATE_KINDS
# values are a finite set of categories, each coded by frequency
CATEGORY_KINDS: frozenset[str] = frozenset({"categorical", "boolean"})
# categories with exactly two values (words like "yes"/"no" for True/False)
TWO_VALUE_KINDS: frozenset[str] = frozenset({"boolean"})
# one value for every row
CONSTANT_KINDS: frozenset[str] = frozenset({"constant"})
# unique keys: regenerated per row, never learned or copied
KEY_KINDS: frozenset[str] = frozenset({"id"})
# personal data: replaced by fakes (unless the pii_kind is "code", which is learned)
PERSONAL_KINDS: frozenset[str] = frozenset({"pii"})
# a row's value is made anew, not drawn from what a model learned: conditions cannot fix it
REGENERATED_KINDS: frozenset[str] = KEY_KINDS | PERSONAL_KINDS
# the main groups: every kind is in exactly one (tests/test_kinds.py checks it)
MAIN_GROUPS = (NUMBER_KINDS, CATEGORY_KINDS, CONSTANT_KINDS, KEY_KINDS, PERSONAL_KINDS)
