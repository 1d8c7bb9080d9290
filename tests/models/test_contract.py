"""One contract for every registered model: columns, types, seeds, files, conditions, errors."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import ConditionError, NotFittedError, ParameterError
from lookalike.models import MODELS, Param, model_class, parse_params

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


# ---------------------------------------------------------------------- declared parameters
def bad_values(param: Param) -> list[Any]:
    """Values the declaration must refuse: past each bound, the wrong type, None, no choice."""
    bad: list[Any] = [] if param.optional else [None]
    if param.kind in (int, float):
        if param.ge is not None:
            bad.append(param.ge - 1)
        if param.gt is not None:
            bad.append(param.gt)
        if param.le is not None:
            bad.append(param.le + 1)
        bad += [True, "abc", float("nan")]
        if param.kind is int:
            bad.append(2.5)
    elif param.kind is bool:
        bad += ["yes", 2]
    elif param.kind is str:
        bad.append(5)
    else:
        bad.append("no-such-choice")
    if param.many:
        bad = [v for v in bad if not isinstance(v, str)] + [(), [0]]
    return bad


DECLARED = [
    pytest.param(name, key, value, id=f"{name}-{key}={value!r}")
    for name in MODELS
    for key, param in model_class(name).params.items()
    for value in bad_values(param)
]


@pytest.mark.parametrize("name", ALL)
def test_every_keyword_parameter_is_declared_and_its_default_is_valid(name: str) -> None:
    cls = model_class(name)
    signature = list(get_model(name).get_params())
    assert sorted(cls.params) == sorted(signature)
    for key, default in get_model(name).get_params().items():
        assert cls.params[key].accepts(default), (key, default)


@pytest.mark.parametrize(("name", "key", "value"), DECLARED)
def test_a_bad_value_of_any_parameter_is_refused_naming_it_value_and_range(
    name: str, key: str, value: Any
) -> None:
    model = get_model(name, **{key: value})
    with pytest.raises(ParameterError) as caught:
        model.fit(pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]}))
    message = str(caught.value)
    assert key in message and repr(value) in message
    assert model_class(name).params[key].describe() in message
    assert caught.value.parameter == key and not model.is_fitted


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("copula", {"quantiles": 0}, "quantiles must be a whole number from 2 to 1,000,000, got 0"),
        ("noise", {"flip": 1.5}, "flip must be a number from 0 to 1, got 1.5"),
        ("kde", {"bandwidth": "wide"}, "'cv', 'silverman' or a number > 0, got 'wide'"),
        ("bayesnet", {"epsilon": 0}, "epsilon must be a number > 0 or None, got 0"),
        ("cart", {"min_leaf": 0}, "min_leaf must be a whole number >= 1 or None, got 0"),
        ("ctgan", {"generator_dim": "(128,128)"}, "generator_dim must be a list of whole"),
        ("tvae", {"normalization": "zscore"}, "one of 'mode', 'quantile', got 'zscore'"),
        ("smote", {"random_state": -1}, "random_state must be a whole number >= 0 or None"),
    ],
)
def test_bad_values_are_refused_even_when_nothing_is_learned(
    name: str, params: dict[str, Any], expected: str
) -> None:
    only_ids = pd.DataFrame({"id": range(20)})  # nothing to encode: the check still runs
    with pytest.raises(ParameterError, match=re.escape(expected)):
        get_model(name, **params).fit(only_ids)


@pytest.mark.parametrize("name", ALL)
def test_an_unknown_parameter_name_is_refused_listing_the_valid_ones(name: str) -> None:
    with pytest.raises(ParameterError, match="no parameter 'nope'") as caught:
        get_model(name, nope=1)
    assert all(key in str(caught.value) for key in model_class(name).params)
    with pytest.raises(ParameterError, match="random_state"):
        parse_params(name, ["nope=1"])


@pytest.mark.parametrize("name", ALL)
def test_every_default_survives_a_round_trip_through_command_line_text(name: str) -> None:
    for key, default in get_model(name).get_params().items():
        text = "none" if default is None else str(default)
        assert parse_params(name, [f"{key}={text}"]) == {key: default}, key


@pytest.mark.parametrize("name", ALL)
def test_restoring_a_state_checks_the_parameters_too(name: str) -> None:
    saved = get_model(name, **params(name)).fit(pd.DataFrame({"id": range(5)})).get_state()
    key = next(k for k in model_class(name).params if k != "random_state")
    with pytest.raises(ParameterError, match=f"{key} must be .*got 'edited'"):
        get_model(name, **{key: "edited"}).set_state(saved)  # as from an edited model file
