"""cart's subgroup chain: a conditional sample of a small subgroup looks like that subgroup.

Diabetes (the repo's demo table), Outcome=1 and Age>=50: 43 real rows. Before the subgroup
chain, cart met these conditions by rejection at the end of its chain and scored 0.881 / 0.855 /
0.870 (seeds 0-2) against the real subgroup; the subgroup chain scores 0.908-0.922 (seeds 0-4).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lookalike
from lookalike import get_model, load
from lookalike.errors import DataError, ModelFileError

DIABETES = Path(lookalike.__file__).parent / "data" / "diabetes.csv"
GROUP = {"Outcome": 1, "Age": (50, None)}


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return pd.read_csv(DIABETES)


@pytest.fixture(scope="module")
def model(real: pd.DataFrame):  # type: ignore[no-untyped-def]
    return get_model("cart", random_state=0).fit(real)


def subgroup_quality(real: pd.DataFrame, rows: pd.DataFrame) -> float:
    report = lookalike.evaluate(real, rows, where=GROUP)
    return float(report.scores["quality"])


def test_a_control_group_of_43_rows_looks_like_its_real_rows(real: pd.DataFrame, model) -> None:  # type: ignore[no-untyped-def]
    rows = model.sample(1000, conditions=GROUP, random_state=0)
    assert (rows["Outcome"] == 1).all() and (rows["Age"] >= 50).all()
    assert subgroup_quality(real, rows) > 0.895  # 0.881 when the table's chain was filtered
    group = real[(real["Outcome"] == 1) & (real["Age"] >= 50)]
    assert group["Insulin"].mean() > rows["Insulin"].mean() > 105  # 139; 103 before


def test_unconditional_rows_do_not_change(real: pd.DataFrame, model) -> None:  # type: ignore[no-untyped-def]
    plain = get_model("cart", random_state=0, subgroups=None).fit(real)
    pd.testing.assert_frame_equal(
        plain.sample(500, random_state=1), model.sample(500, random_state=1)
    )
    # a condition on the table's first column is served by the main chain, as before
    first = {"Pregnancies": (5, None)}
    pd.testing.assert_frame_equal(
        plain.sample(200, conditions=first, random_state=2),
        model.sample(200, conditions=first, random_state=2),
    )


def test_the_subgroup_chain_survives_saving_and_a_damaged_one_is_refused(
    model,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / "m.lookalike"
    model.save(path)
    again = load(path)
    pd.testing.assert_frame_equal(
        model.sample(200, conditions=GROUP, random_state=3),
        again.sample(200, conditions=GROUP, random_state=3),
    )
    state = model._get_state()
    key = next(
        k
        for k in state
        if k.startswith("subgroup.tree.")
        and k.endswith(".feature")
        and (state[k[: -len("feature")] + "left"] >= 0).any()  # a tree with splits
    )
    state[key] = np.full_like(state[key], 99)  # a split on a column that does not exist
    from lookalike.models.cart_checks import check_cart

    with pytest.raises(ModelFileError):
        check_cart(state, model.transformer_.encoded_columns)


def test_declared_subgroup_columns_come_first(real: pd.DataFrame) -> None:
    declared = get_model("cart", random_state=0, subgroups=["Age", "Outcome"]).fit(real)
    assert declared.side_.columns_[:2] == ["Age", "Outcome"]
    with pytest.raises(DataError, match="subgroups names 'Glucoze'"):
        get_model("cart", random_state=0, subgroups=["Glucoze"]).fit(real)
