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


PAY = {"Teacher": 50, "Manager": 70, "Registered Nurse": 75, "Driver": 40, "Cashier": 25,
       "Physician": 200, "Owner": 90, "Sales": 45}  # fmt: skip
MODIFIERS = ["Senior", "Lead", "Assistant", "Night Shift"]


def borrowers(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Typed job titles: a head of common ones (in other cases too), modified ones, a long tail
    of one-off titles with made-up words, and income that follows the title.
    """
    rng = np.random.default_rng(seed)
    heads = list(PAY)
    weight = 1 / np.arange(1, len(heads) + 1)
    titles, income = [], []
    for _ in range(n):
        head = heads[rng.choice(len(heads), p=weight / weight.sum())]
        u = rng.random()
        if u < 0.3:
            title = head if rng.random() < 0.8 else head.lower()
        elif u < 0.45:
            title = f"{rng.choice(MODIFIERS)} {head}"
        else:  # one-off: a made-up word no other title has, or a made-up employer
            word = "Q" + "".join(rng.choice(list("aeioubdfgklmnprstvz"), 6))
            title = f"{head} at {word} Works" if rng.random() < 0.5 else f"{word} {head}"
        titles.append(title)
        income.append(PAY[head] * rng.lognormal(0, 0.15))
    frame = pd.DataFrame({"income": np.round(income, 1), "title": titles})
    frame.loc[:2, "title"] = "SENIOR TEACHER AT OAK"  # three rows: rare, a kind of teacher
    return frame


@pytest.fixture(scope="module")
def titles() -> tuple[pd.DataFrame, pd.DataFrame]:
    real = borrowers()
    return real, get_model("cart", random_state=0).fit(real).sample(3000, random_state=2)


def test_job_titles_are_learned_without_random_letters(titles) -> None:  # type: ignore[no-untyped-def]
    real, rows = titles
    assert Metadata.detect(real).columns["title"].pii_kind == "code"
    vocabulary = {w.casefold() for v in real["title"] for w in re.findall(r"[^\W\d_]+", v)}
    drawn = {w.casefold() for v in rows["title"].dropna() for w in re.findall(r"[^\W\d_]+", v)}
    assert drawn <= vocabulary  # only words of the real titles, never random letters
    assert not rows["title"].str.contains(r"\d", na=False).any()  # and no digits added
    counts = real["title"].value_counts()
    single = rows["title"].dropna()[~rows["title"].dropna().str.contains(r"\W")]
    assert single.isin(counts[counts >= 5].index).all()  # one word: a frequent one, no stray word
    one_off = {w for w in vocabulary if len(w) == 7 and w.startswith("q")}
    assert not drawn & one_off  # a word only one title has is not reused


def test_job_titles_keep_frequent_values_and_never_give_rare_ones(titles) -> None:  # type: ignore[no-untyped-def]
    real, rows = titles
    counts = real["title"].value_counts()
    frequent = counts[counts >= 5]
    shares = rows["title"].value_counts(normalize=True)
    for value in frequent.index[:8]:  # the head keeps its share (it may grow a little)
        assert shares.get(value, 0) == pytest.approx(frequent[value] / len(real), abs=0.03)
    real_mass = frequent.sum() / len(real)
    assert real_mass <= rows["title"].isin(frequent.index).mean() <= real_mass + 0.15
    rare = {v.casefold() for v in counts[counts < 5].index} - {v.casefold() for v in frequent.index}
    assert not set(rows["title"].dropna().str.casefold()) & rare  # in no case ("cashier")
    pay = rows.groupby("title")["income"].median()
    assert pay["Physician"] > 3 * pay["Cashier"]  # the title still goes with income


def test_a_title_seen_a_few_times_joins_the_title_it_specialises() -> None:
    from lookalike.pii.codes import encode_codes, fit_codes

    real = borrowers()
    state = fit_codes(real["title"])
    codes = encode_codes(state, real["title"])
    teacher = state["keys"].index("Senior Teacher")  # the frequent title of most shared words
    assert (codes[:3] == teacher).all()  # "SENIOR TEACHER AT OAK" (3 rows) -> "Senior Teacher"
    one_off = real["title"].str.startswith("Q").to_numpy()
    assert not np.isin(codes[one_off], [state["keys"].index(k) for k in PAY]).any()
    assert "SENIOR TEACHER AT OAK" not in str(state)  # the model keeps no rare value
