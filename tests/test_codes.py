"""Codes and short text that are not personal (cabins, job titles) are learned, not replaced."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from lookalike import Metadata, get_model

FIRST = ["senior", "junior", "lead", "night", "chief", "assistant", "head", "staff", "area"]
MIDDLE = ["sales", "support", "warehouse", "shift", "service", "floor", "account", "store", "data"]
LAST = ["associate", "supervisor", "tech", "manager", "clerk", "driver", "analyst", "agent"]


def passengers(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Class decides the cabin's deck; a family cabin many rows share; free job titles."""
    rng = np.random.default_rng(seed)
    grade = rng.choice([1, 2, 3], n, p=[0.3, 0.3, 0.4])
    decks = {1: "ABC", 2: "DE", 3: "FG"}
    cabin = np.array(
        [rng.choice(list(decks[g])) + str(rng.integers(1, 200)) for g in grade], dtype=object
    )
    cabin[(grade == 1) & (rng.random(n) < 0.15)] = "B96 B98"
    title = np.array(
        [f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}" for _ in range(n)],
        dtype=object,
    )
    firsts = ["Anna", "Peter", "Maria", "John", "Laura", "James", "Sofia", "David", "Emma", "Paul"]
    lasts = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Thomas", "Roberts", "Walker"]
    name = [f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(n)]
    return pd.DataFrame({"grade": grade, "cabin": cabin, "title": title, "name": name})


@pytest.fixture(scope="module")
def fitted() -> tuple[pd.DataFrame, pd.DataFrame]:
    real = passengers()
    return real, get_model("cart", random_state=0).fit(real).sample(3000, random_state=1)


def rare_values(real: pd.Series) -> set[str]:
    counts = real.value_counts()
    return set(counts[counts < 5].index)


def test_codes_are_detected_apart_from_personal_data() -> None:
    meta = Metadata.detect(passengers())
    assert (meta.columns["cabin"].kind, meta.columns["cabin"].pii_kind) == ("pii", "code")
    assert meta.columns["title"].pii_kind == "code"
    assert meta.columns["name"].pii_kind == "name"


def test_frequent_values_and_their_dependence_are_kept(fitted) -> None:  # type: ignore[no-untyped-def]
    real, rows = fitted
    share = (rows["cabin"] == "B96 B98").mean()
    assert share == pytest.approx((real["cabin"] == "B96 B98").mean(), abs=0.02)
    assert (rows.loc[rows["cabin"] == "B96 B98", "grade"] == 1).mean() > 0.9
    deck = rows["cabin"].str[0]
    assert deck[rows["grade"] == 1].isin(list("ABC")).mean() > 0.85
    assert deck[rows["grade"] == 3].isin(list("FG")).mean() > 0.85


def test_no_rare_real_value_comes_back_and_no_random_letters(fitted) -> None:  # type: ignore[no-untyped-def]
    real, rows = fitted
    for column in ("cabin", "title"):
        assert not set(rows[column]) & rare_values(real[column]), column
    words = set(FIRST + MIDDLE + LAST)
    drawn = {w for title in rows["title"] for w in re.findall(r"[a-z]+", title)}
    assert drawn <= words  # every word is one the titles use, never invented letters
    assert rows["title"].str.split().str.len().eq(3).mean() > 0.95
    assert rows["cabin"].str.fullmatch(r"[A-G]\d+|B96 B98").mean() > 0.95


def test_personal_data_is_still_replaced(fitted) -> None:  # type: ignore[no-untyped-def]
    real, rows = fitted
    assert not set(rows["name"]) & set(real["name"])
    assert rows["name"].notna().all()
