"""`cart` keeps the target's rate within a category of a few dozen rows (recoded, raked trees)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import ModelFileError


def churn_table(seed: int) -> pd.DataFrame:
    """800 customers; the 5% on the isle churn at 0.7, everyone else at 0.2."""
    rng = np.random.default_rng(seed)
    n = 800
    region = rng.choice(
        ["north", "south", "east", "west", "isle"], n, p=[0.3, 0.3, 0.2, 0.15, 0.05]
    )
    return pd.DataFrame(
        {
            "age": rng.integers(18, 80, n),
            "region": region,
            "plan": rng.choice(["basic", "plus"], n),
            "income": np.round(rng.gamma(3, 9000, n), 0),
            "churn": np.where(rng.random(n) < np.where(region == "isle", 0.7, 0.2), "yes", "no"),
        }
    )


def isle_rates(table: pd.DataFrame, **params: object) -> tuple[float, float]:
    rows = get_model("cart", random_state=0, **params).fit(table).sample(20_000, random_state=0)
    isle = table["region"] == "isle"
    real = (table.loc[isle, "churn"] == "yes").mean()
    return float(real), float((rows.loc[rows["region"] == "isle", "churn"] == "yes").mean())


@pytest.mark.parametrize("seed", [7, 8])
def test_a_category_of_forty_rows_keeps_its_target_rate(seed: int) -> None:
    table = churn_table(seed)
    assert 20 <= (table["region"] == "isle").sum() <= 60  # a few dozen rows
    real, drawn = isle_rates(table)
    assert abs(drawn - real) < 0.08  # not pulled towards the overall rate (0.2)
    real, unraked = isle_rates(table, rake=False)
    assert abs(unraked - real) > 0.25  # the leaves pool the isle with the mainland


def test_raked_trees_survive_saving_and_a_damaged_weight_table_is_refused(tmp_path: Path) -> None:
    model = get_model("cart", random_state=0).fit(churn_table(7))
    path = tmp_path / "m.lookalike"
    model.save(path)
    again = load(path)
    pd.testing.assert_frame_equal(
        model.sample(300, random_state=3), again.sample(300, random_state=3)
    )
    state = model._get_state()
    key = next(k for k in state if k.endswith(".rake_weight"))
    state[key] = state[key][:-1]
    from lookalike.models.cart_checks import check_cart

    with pytest.raises(ModelFileError):
        check_cart(state, model.transformer_.encoded_columns)
