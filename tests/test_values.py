"""The value rules every layer shares (lookalike.values): category key, missing, JSON, counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model
from lookalike.errors import DataError
from lookalike.values import category_key, category_keys, check_whole, is_missing, json_value


def test_one_category_key_rule() -> None:
    assert category_key(1) == category_key(1.0) == category_key(np.int64(1))  # numbers by value
    assert category_key(" a") == category_key("a")  # text stripped
    assert category_key("1") != category_key(1)  # text stays text: "01" and "1" stay apart
    assert category_key("01") != category_key("1")
    assert category_key(True) != category_key(1)  # booleans are their own
    missing = {category_key(v) for v in (None, float("nan"), pd.NA, pd.NaT, "", "  ")}
    assert len(missing) == 1 and category_key("a") not in missing


def test_category_keys_of_a_column_match_the_one_value_rule() -> None:
    column = pd.Series(["a", " a", None, "", 3, 3.0, "3"], dtype=object)
    assert list(category_keys(column)) == [category_key(v) for v in column]


def test_transform_and_conditions_agree_on_blank_text_as_missing() -> None:
    real = pd.DataFrame({"c": ["x", "y", "", "x", "y", None] * 20, "v": np.arange(120.0)})
    model = get_model("copula", random_state=0).fit(real)
    rows = model.sample(30, conditions={"c": "x"})
    assert set(rows["c"]) == {"x"}


def test_missing_and_json_values() -> None:
    assert [is_missing(v) for v in (None, np.nan, " ", "a", 0)] == [True, True, True, False, False]
    assert json_value(np.float64(3.0)) == 3 and json_value(float("inf")) is None
    assert json_value(pd.Timestamp("2020-01-02")) == "2020-01-02T00:00:00"


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "3", None])
def test_check_whole_refuses_what_is_not_a_whole_number_of_one_or_more(value: object) -> None:
    with pytest.raises(DataError, match="k must be a whole number >= 1"):
        check_whole(value, "k")
    check_whole(2, "k")
    check_whole(np.int32(1), "k")
