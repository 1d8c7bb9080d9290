"""Behaviour of the sequential-tree model `cart`: what a user of the samples sees."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import DataError


def dependent_table(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """x normal; y = 2x + noise; group depends on x; a category that only two rows have."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n)
    y = 2 * x + rng.normal(0, 0.3, n)
    group = np.where(x + rng.normal(0, 0.3, n) > 0, "high", "low")
    city = rng.choice(["Paris", "Lyon", "Nice"], size=n, p=[0.6, 0.3, 0.1]).astype(object)
    city[:2] = "Atlantis"  # a category only two people share
    return pd.DataFrame({"x": x, "y": y, "group": group, "city": city})


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return dependent_table()


@pytest.fixture(scope="module")
def model(table: pd.DataFrame):  # type: ignore[no-untyped-def]
    return get_model("cart", random_state=0).fit(table)


def test_marginals_and_a_dependency_are_kept(table: pd.DataFrame, model) -> None:  # type: ignore[no-untyped-def]
    rows = model.sample(6000, random_state=1)
    assert abs(rows["x"].mean() - table["x"].mean()) < 0.1
    assert abs(rows["x"].std() - table["x"].std()) < 0.1
    assert abs(rows["x"].corr(rows["y"]) - table["x"].corr(table["y"])) < 0.03
    share = rows["group"].value_counts(normalize=True)
    real = table["group"].value_counts(normalize=True)
    assert abs(share["high"] - real["high"]) < 0.03
    high = rows.loc[rows["group"] == "high", "x"]
    assert high.mean() > 0.5  # the group still follows x


def test_a_rare_category_is_never_sampled_unless_asked_for(model) -> None:  # type: ignore[no-untyped-def]
    rows = model.sample(20_000, random_state=2)
    assert "Atlantis" not in set(rows["city"])
    assert set(rows["city"]) == {"Paris", "Lyon", "Nice"}
    asked = model.sample(30, conditions={"city": "Atlantis"}, random_state=3)
    assert len(asked) == 30 and (asked["city"] == "Atlantis").all()


def test_numbers_are_new_values_not_copies_of_real_ones(table: pd.DataFrame, model) -> None:  # type: ignore[no-untyped-def]
    rows = model.sample(3000, random_state=4)
    copied = np.isin(rows["x"].to_numpy(), table["x"].to_numpy()).mean()
    assert copied < 0.01
    whole = rows.merge(table.drop_duplicates(), how="inner", on=list(table.columns))
    assert len(whole) == 0  # no real row comes back whole


def test_few_exact_copies_on_a_small_mixed_table() -> None:
    rng = np.random.default_rng(5)
    n = 300
    small = pd.DataFrame(
        {
            "age": rng.integers(20, 70, n),
            "visits": rng.poisson(3, n),
            "plan": rng.choice(["basic", "plus", "pro"], n),
            "spend": np.round(rng.gamma(2, 50, n), 2),
        }
    )
    rows = get_model("cart", random_state=0).fit(small).sample(n, random_state=0)
    keys = set(map(tuple, small.astype(str).to_numpy()))
    copies = np.mean([tuple(r) in keys for r in rows.astype(str).to_numpy()])
    assert copies < 0.02


def test_conditions_hold_and_keep_the_distribution_within_the_class(
    table: pd.DataFrame,
    model,  # type: ignore[no-untyped-def]
) -> None:
    rows = model.sample(2000, conditions={"group": "high"}, random_state=5)
    assert len(rows) == 2000 and (rows["group"] == "high").all()
    real = table.loc[table["group"] == "high", "x"]
    assert abs(rows["x"].mean() - real.mean()) < 0.1
    ranged = model.sample(500, conditions={"x": (1.0, None), "city": "Lyon"}, random_state=6)
    assert len(ranged) == 500
    assert (ranged["x"] >= 1.0).all() and (ranged["city"] == "Lyon").all()
    assert (ranged["group"] == "high").mean() > 0.95  # the other columns follow the condition


def test_the_same_seed_gives_the_same_rows_after_saving(model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    model.save(tmp_path / "cart.lookalike")
    again = load(tmp_path / "cart.lookalike")
    pd.testing.assert_frame_equal(
        again.sample(500, random_state=7), model.sample(500, random_state=7)
    )
    assert not model.sample(50, random_state=7).equals(model.sample(50, random_state=8))


def test_max_time_stops_growing_trees_but_still_samples_every_column(table: pd.DataFrame) -> None:
    quick = get_model("cart", max_time=1e-9, random_state=0).fit(table)
    rows = quick.sample(3000, random_state=0)
    assert list(rows.columns) == list(table.columns) and len(rows) == 3000
    assert abs(rows["x"].corr(rows["y"])) < 0.2  # no time for trees: columns drawn alone


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_leaf": 0}, "min_leaf"),
        ({"smoothing": 2.0}, "smoothing"),
        ({"spikes": -0.1}, "spikes"),
        ({"order": "x"}, "order"),
    ],
)
def test_bad_parameters_say_what_is_wrong(
    params: dict[str, object], message: str, table: pd.DataFrame
) -> None:
    with pytest.raises(DataError, match=message):
        get_model("cart", **params).fit(table.head(50))


def jobs_table(n: int, seed: int = 0) -> pd.DataFrame:
    """Whoever is not employed has job "none" and works 0 hours; a yes/no label follows hours."""
    rng = np.random.default_rng(seed)
    employed = rng.random(n) < 0.8
    job = np.where(employed, rng.choice(["clerk", "nurse", "driver"], n), "none")
    hours = np.where(employed, rng.choice([40.0, 40.0, 40.0, 20.0, 50.0], n), 0.0)
    hours = hours + np.where(rng.random(n) < 0.3, rng.normal(0, 3, n), 0.0) * employed
    label = np.where(hours + rng.normal(0, 10, n) > 40, "yes", "no")
    return pd.DataFrame(
        {"hours": hours, "employed": np.where(employed, "yes", "no"), "job": job, "label": label}
    )


def test_pairs_the_data_rules_out_are_never_drawn_and_survive_saving(tmp_path: Path) -> None:
    table = jobs_table(3000)
    alone = get_model("cart", max_time=1e-9, random_state=0).fit(table)  # columns drawn alone
    rows = alone.sample(5000, random_state=1)
    assert ((rows["employed"] == "no") == (rows["job"] == "none")).all()
    assert (rows["employed"] == "yes").mean() == pytest.approx(0.8, abs=0.03)
    alone.save(tmp_path / "alone.lookalike")
    again = load(tmp_path / "alone.lookalike")
    pd.testing.assert_frame_equal(
        again.sample(300, random_state=2), alone.sample(300, random_state=2)
    )
    asked = alone.sample(20, conditions={"employed": "no", "job": "none"}, random_state=3)
    assert len(asked) == 20


def test_labels_go_first_on_larger_tables_only() -> None:
    large = get_model("cart", random_state=0).fit(jobs_table(3000))
    assert large.columns_[:2] == ["employed", "label"]
    small = get_model("cart", random_state=0).fit(jobs_table(500))
    assert small.columns_ == ["hours", "employed", "job", "label"]
    table = get_model("cart", order="table", random_state=0).fit(jobs_table(3000))
    assert table.columns_ == ["hours", "employed", "job", "label"]
