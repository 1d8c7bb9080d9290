"""Fake first names follow a sex/gender column: female rows get female names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike import anonymize, get_model
from lookalike.pii import fakes
from lookalike.pii.sex import looks_like_sex, pick_sex_column
from lookalike.rules import generate
from lookalike.rules.hybrid import generate as generate_hybrid

FEMALE = set(fakes.pool("en_US", "first_name_female"))
MALE = set(fakes.pool("en_US", "first_name_male"))
PLAIN_SIZES = {"kind": "categorical", "values": ["S", "M", "L"]}  # M is not "male" here


def assert_names_follow(table: pd.DataFrame, sex: str, name: str, female: str, male: str) -> None:
    firsts = table[name].str.split(" ").str[0]
    women, men = table[sex] == female, table[sex] == male
    assert women.sum() > 50 and men.sum() > 50
    assert firsts[women].isin(FEMALE).all(), firsts[women][~firsts[women].isin(FEMALE)]
    assert firsts[men].isin(MALE).all()


@pytest.mark.parametrize(("female", "male"), [("F", "M"), ("female", "male"), ("Woman", "Man")])
def test_every_female_row_gets_a_female_first_name(female: str, male: str) -> None:
    spec = {
        "columns": {
            "person": {"kind": "first_name"},
            "full": {"kind": "name"},
            "gender": {"kind": "categorical", "values": {female: 0.5, male: 0.5}},
        }
    }
    table = generate(spec, 600, random_state=0)
    assert_names_follow(table, "gender", "person", female, male)
    assert_names_follow(table, "gender", "full", female, male)


def test_sex_named_explicitly_and_other_values_get_either() -> None:
    spec = {
        "columns": {
            "who": {"kind": "categorical", "values": {"f": 0.4, "m": 0.4, "x": 0.2}},
            "person": {"kind": "first_name", "sex": "who"},
        }
    }
    table = generate(spec, 1000, random_state=1)
    assert table.loc[table.who == "f", "person"].isin(FEMALE).all()
    assert table.loc[table.who == "m", "person"].isin(MALE).all()
    other = table.loc[table.who == "x", "person"]
    assert other.isin(FEMALE).any() and other.isin(MALE).any()


def test_without_a_sex_column_names_are_of_both_sexes() -> None:
    spec = {"columns": {"person": {"kind": "first_name"}, "size": PLAIN_SIZES}}
    names = generate(spec, 600, random_state=0).person
    assert names.isin(FEMALE - MALE).mean() > 0.2 and names.isin(MALE - FEMALE).mean() > 0.2


def test_which_columns_are_sex_columns() -> None:
    assert looks_like_sex(["F", "M"]) and looks_like_sex([" male", "FEMALE", None])
    assert looks_like_sex(["Woman", "Man"]) and looks_like_sex(["F"], "gender")
    assert not looks_like_sex(["S", "M", "L"]) and not looks_like_sex(["F"], "grade")
    assert not looks_like_sex([1, 2]) and not looks_like_sex([])
    assert pick_sex_column({"size": ["M", "L"], "g": ["M", "F"], "sex": ["m", "f"]}) == "sex"


def test_names_follow_a_learned_sex_column(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    sex = rng.choice(["Female", "Male"], size=300)
    height = np.where(sex == "Female", 164, 177) + rng.normal(0, 6, size=300)
    model = get_model("cart", random_state=0).fit(pd.DataFrame({"sex": sex, "height": height}))
    model.save(tmp_path / "people.lookalike")
    spec = {"learned": {"model": "people.lookalike"}, "columns": {"name": {"kind": "name"}}}
    table = generate_hybrid(spec, 400, random_state=2, folder=tmp_path)
    assert list(table.columns) == ["sex", "height", "name"]
    assert_names_follow(table, "sex", "name", "Female", "Male")


def test_anonymize_gives_female_rows_female_first_names() -> None:
    rng = np.random.default_rng(3)
    sex = rng.choice(["F", "M"], size=300)
    # a name in both lists (Angel) with rows of both sexes gets one fake: same value, same fake
    women, men = sorted(FEMALE - MALE), sorted(MALE - FEMALE)
    first = np.where(sex == "F", rng.choice(women, 300), rng.choice(men, 300))
    last = rng.choice(sorted(fakes.pool("en_US", "last_name")), 300)
    real = pd.DataFrame(
        {
            "first_name": first,
            "full_name": [f"{a} {b}" for a, b in zip(first, last, strict=True)],
            "sex": sex,
        }
    )
    out = anonymize(real, secret="key")
    assert (out.first_name != real.first_name).all() and (out.full_name != real.full_name).all()
    assert_names_follow(out, "sex", "first_name", "F", "M")
    assert_names_follow(out, "sex", "full_name", "F", "M")
