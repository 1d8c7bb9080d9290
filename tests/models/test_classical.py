"""Classical models (bayesnet, kde, noise, smote) keep what a user checks first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp

from lookalike import get_model, load
from lookalike.errors import DataError

CLASSICAL = ["bayesnet", "kde", "noise", "smote"]


def make_dependent_table(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """y depends on x; the colour depends on x; the size is independent noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, size=n)
    y = 2.0 * x + rng.normal(0.0, 0.3, size=n)
    high = np.where(rng.random(n) < 0.9, x > 0, x <= 0)
    colour = np.where(high, "red", "blue")
    size = rng.choice(["S", "M", "L"], size=n, p=[0.6, 0.3, 0.1])
    return pd.DataFrame({"x": x, "y": y, "colour": colour, "size": size})


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return make_dependent_table()


@pytest.fixture(scope="module")
def samples(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {
        name: get_model(name, random_state=0).fit(table).sample(1500, random_state=1)
        for name in CLASSICAL
    }


@pytest.mark.parametrize("name", CLASSICAL)
def test_marginals_are_kept(name: str, table: pd.DataFrame, samples: dict) -> None:
    rows = samples[name]
    assert ks_2samp(rows["x"], table["x"]).statistic < 0.1
    assert ks_2samp(rows["y"], table["y"]).statistic < 0.1
    for column in ("colour", "size"):
        real = table[column].value_counts(normalize=True)
        synthetic = rows[column].value_counts(normalize=True).reindex(real.index, fill_value=0)
        assert (real - synthetic).abs().max() < 0.06, (column, synthetic.to_dict())


@pytest.mark.parametrize("name", CLASSICAL)
def test_the_dependency_of_y_and_colour_on_x_is_kept(
    name: str, table: pd.DataFrame, samples: dict
) -> None:
    rows = samples[name]
    assert rows["x"].corr(rows["y"]) > 0.85  # real: ~0.99
    red_when_positive = (rows.loc[rows["x"] > 0, "colour"] == "red").mean()
    red_when_negative = (rows.loc[rows["x"] <= 0, "colour"] == "red").mean()
    assert red_when_positive - red_when_negative > 0.5  # real: ~0.8


@pytest.mark.parametrize("name", CLASSICAL)
def test_seeds_reproduce_and_files_round_trip(
    name: str, table: pd.DataFrame, tmp_path: Path
) -> None:
    model = get_model(name, random_state=3).fit(table)
    first = model.sample(100, random_state=9)
    pd.testing.assert_frame_equal(first, model.sample(100, random_state=9))
    model.save(tmp_path / "m.lookalike")
    pd.testing.assert_frame_equal(first, load(tmp_path / "m.lookalike").sample(100, random_state=9))


# ---------------------------------------------------------------------- bayesnet
def test_bayesnet_conditioning_moves_the_ancestors_too(table: pd.DataFrame) -> None:
    model = get_model("bayesnet", random_state=0).fit(table)
    red = model.sample(400, conditions={"colour": "red"}, random_state=2)
    blue = model.sample(400, conditions={"colour": "blue"}, random_state=2)
    assert (red["colour"] == "red").all() and (blue["colour"] == "blue").all()
    assert (red["x"] > 0).mean() > 0.75 and (blue["x"] <= 0).mean() > 0.75


def test_bayesnet_with_differential_privacy_still_gives_valid_rows(table: pd.DataFrame) -> None:
    rows = get_model("bayesnet", epsilon=1.0, random_state=0).fit(table).sample(500)
    assert set(rows["colour"]) <= {"red", "blue"} and set(rows["size"]) <= {"S", "M", "L"}
    assert rows["x"].between(table["x"].min(), table["x"].max()).all()
    loose = get_model("bayesnet", epsilon=1e4, random_state=0).fit(table).sample(1500)
    assert loose["x"].corr(loose["y"]) > 0.75  # a huge budget learns the dependency


def test_differential_privacy_noise_changes_with_epsilon(table: pd.DataFrame) -> None:
    exact = get_model("bayesnet", random_state=0).fit(table)
    private = get_model("bayesnet", epsilon=0.5, random_state=0).fit(table)
    difference = [
        np.abs(a - b).max()
        for a, b in zip(exact.tables_, private.tables_, strict=True)
        if a.shape == b.shape
    ]
    assert max(difference) > 0.01


@pytest.mark.parametrize("epsilon", [0, -1.0, float("inf"), "high"])
def test_bayesnet_rejects_a_bad_epsilon(epsilon: object, table: pd.DataFrame) -> None:
    with pytest.raises(DataError, match="epsilon"):
        get_model("bayesnet", epsilon=epsilon).fit(table)


# ---------------------------------------------------------------------- smote
def test_smote_rows_lie_between_a_real_row_and_one_of_its_neighbours() -> None:
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng(1)
    real = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40) * 5})
    rows = get_model("smote", k_neighbors=3, random_state=0).fit(real).sample(150)
    points = real.to_numpy()
    scaled = (points - points.mean(0)) / points.std(0)
    _, found = NearestNeighbors(n_neighbors=4).fit(scaled).kneighbors(scaled)
    for s in rows.to_numpy(dtype=float):
        best = np.inf
        for i in range(len(points)):
            for j in found[i, 1:]:
                step = points[j] - points[i]
                t = np.clip(np.dot(s - points[i], step) / max(np.dot(step, step), 1e-300), 0, 1)
                best = min(best, float(np.linalg.norm(points[i] + t * step - s)))
        assert best < 1e-6


def test_smote_with_a_target_never_mixes_classes() -> None:
    real = pd.DataFrame(
        {
            "x": np.r_[np.linspace(0, 1, 30), np.linspace(10, 11, 30)],
            "label": ["a"] * 30 + ["b"] * 30,
        }
    )
    rows = get_model("smote", target="label", random_state=0).fit(real).sample(300)
    assert rows.loc[rows["label"] == "a", "x"].between(0, 1).all()
    assert rows.loc[rows["label"] == "b", "x"].between(10, 11).all()


@pytest.mark.parametrize(
    ("name", "params", "word"),
    [
        ("smote", {"k_neighbors": 0}, "k_neighbors"),
        ("smote", {"target": "nope"}, "target"),
        ("noise", {"flip": 1.5}, "flip"),
        ("noise", {"distribution": "cauchy"}, "distribution"),
        ("kde", {"bandwidth": -1.0}, "bandwidth"),
        ("kde", {"bandwidth": "wide"}, "bandwidth"),
        ("bayesnet", {"max_parents": -1}, "max_parents"),
    ],
)
def test_bad_parameters_say_what_is_wrong(
    name: str, params: dict, word: str, table: pd.DataFrame
) -> None:
    with pytest.raises(DataError, match=word):
        get_model(name, **params).fit(table)


# ---------------------------------------------------------------------- noise
def _mean_distance_to_source(rows: pd.DataFrame, table: pd.DataFrame) -> float:
    real = np.sort(table["x"].to_numpy())
    values = rows["x"].to_numpy()
    nearest = np.abs(real[np.clip(np.searchsorted(real, values), 0, len(real) - 1)] - values)
    return float(nearest.mean())


def test_noise_scale_is_the_privacy_knob(table: pd.DataFrame) -> None:
    copies = get_model("noise", scale=0.0, flip=0.0, random_state=0).fit(table).sample(len(table))
    assert sorted(copies["size"]) == sorted(table["size"])  # shuffled real rows, nothing more
    assert not copies["x"].equals(table["x"])  # ... but not in the real order
    small = get_model("noise", scale=0.1, random_state=0).fit(table).sample(600)
    large = get_model("noise", scale=0.8, random_state=0).fit(table).sample(600)
    assert _mean_distance_to_source(small, table) < _mean_distance_to_source(large, table)
    assert not small["x"].isin(table["x"]).any()  # default-style noise copies no real value


def test_noise_flips_keep_category_shares(table: pd.DataFrame) -> None:
    rows = get_model("noise", flip=0.5, random_state=0).fit(table).sample(3000)
    shares = rows["size"].value_counts(normalize=True)
    real = table["size"].value_counts(normalize=True)
    assert (shares - real).abs().max() < 0.04


# ---------------------------------------------------------------------- kde
def test_kde_chooses_its_bandwidth_from_the_data(table: pd.DataFrame) -> None:
    model = get_model("kde", random_state=0).fit(table)
    assert 0 < model.width_ < 1.5 and 0 <= model.smoothing_ <= 1
    narrow = get_model("kde", bandwidth=0.05, category_smoothing=0.0, random_state=0).fit(table)
    assert narrow.width_ < model.width_ and narrow.smoothing_ == 0.0
    rows = narrow.sample(500)
    assert set(rows["size"]) <= {"S", "M", "L"}  # categories are never "between" two codes
