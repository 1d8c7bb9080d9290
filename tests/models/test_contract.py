"""One contract for every registered model: columns, types, seeds, files, conditions, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import ConditionError, NotFittedError
from lookalike.models import MODELS

# Fast settings per model, so the contract runs in seconds; models not listed use defaults.
FAST_PARAMS: dict[str, dict[str, Any]] = {
    **{
        name: {
            "epochs": 2,
            "batch_size": 40,
            "generator_dim": (32,),
            "discriminator_dim": (32,),
            "embedding_dim": 16,
        }
        for name in ("gan", "wgan-gp", "ctgan")
    },
    "tvae": {"epochs": 2, "batch_size": 40, "compress_dims": (32,), "decompress_dims": (32,)},
}
SLOW = {"ctgan", "tvae", "gan", "wgan-gp"}  # also run by default, but marked when heavy


def params(name: str, seed: int = 7) -> dict[str, Any]:
    return {**FAST_PARAMS.get(name, {}), "random_state": seed}


ALL = [pytest.param(n, id=n) for n in MODELS]


@pytest.fixture(scope="module")
def fitted(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {}


def fit(name: str, table: pd.DataFrame, cache: dict[str, Any]) -> Any:
    if name not in cache:
        cache[name] = get_model(name, **params(name)).fit(table)
    return cache[name]


@pytest.mark.parametrize("name", ALL)
def test_samples_have_the_real_columns_types_and_ranges(
    name: str, mixed_table: pd.DataFrame, fitted: dict[str, Any]
) -> None:
    rows = fit(name, mixed_table, fitted).sample(200)
    assert list(rows.columns) == list(mixed_table.columns)
    assert len(rows) == 200
    assert rows["age"].between(18, 89).all()
    assert (rows["age"] == rows["age"].round()).all()
    assert set(rows["city"]) <= set(mixed_table["city"])
    assert set(rows["member"].unique()) <= {True, False}
    assert pd.to_datetime(rows["joined"], format="%Y-%m-%d").notna().all()
    assert rows["customer_id"].is_unique
    assert 0.02 < rows["score"].isna().mean() < 0.5


@pytest.mark.parametrize("name", ALL)
def test_same_seed_gives_same_rows_and_another_seed_other_rows(
    name: str, mixed_table: pd.DataFrame, fitted: dict[str, Any]
) -> None:
    model = fit(name, mixed_table, fitted)
    pd.testing.assert_frame_equal(
        model.sample(50, random_state=1), model.sample(50, random_state=1)
    )
    assert not model.sample(50, random_state=1).equals(model.sample(50, random_state=2))
    again = get_model(name, **params(name)).fit(mixed_table)
    pd.testing.assert_frame_equal(
        again.sample(30, random_state=3), model.sample(30, random_state=3)
    )


@pytest.mark.parametrize("name", ALL)
def test_saved_model_loads_and_samples_the_same(
    name: str, mixed_table: pd.DataFrame, fitted: dict[str, Any], tmp_path: Path
) -> None:
    model = fit(name, mixed_table, fitted)
    model.save(tmp_path / "m.lookalike")
    loaded = load(tmp_path / "m.lookalike")
    pd.testing.assert_frame_equal(
        loaded.sample(40, random_state=5), model.sample(40, random_state=5)
    )


@pytest.mark.parametrize("name", ALL)
def test_conditions_hold_in_every_row(
    name: str, mixed_table: pd.DataFrame, fitted: dict[str, Any]
) -> None:
    model = fit(name, mixed_table, fitted)
    rows = model.sample(40, conditions={"city": "Nice"}, random_state=0)
    assert len(rows) == 40 and (rows["city"] == "Nice").all()
    with pytest.raises(ConditionError, match="Berlin"):
        model.sample(5, conditions={"city": "Berlin"})


@pytest.mark.parametrize("name", ALL)
def test_input_table_is_not_changed(name: str, mixed_table: pd.DataFrame) -> None:
    before = mixed_table.copy()
    get_model(name, **params(name)).fit(mixed_table)
    pd.testing.assert_frame_equal(mixed_table, before)


@pytest.mark.parametrize("name", ALL)
def test_sampling_before_fit_says_to_fit(name: str) -> None:
    with pytest.raises(NotFittedError, match="fit"):
        get_model(name).sample(3)


@pytest.mark.parametrize("name", ALL)
def test_a_single_row_table_still_gives_rows(name: str) -> None:
    table = pd.DataFrame({"x": [1.5], "c": ["a"]})
    rows = get_model(name, **params(name)).fit(table).sample(3)
    assert len(rows) == 3 and list(rows.columns) == ["x", "c"]
    assert np.allclose(rows["x"].astype(float), 1.5)
