"""Declared parameters: what a declaration accepts, how it reads command-line text, what it says."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lookalike.errors import ParameterError
from lookalike.models import MODELS, Param, describe_params, parse_params


@pytest.mark.parametrize(
    ("param", "good", "bad"),
    [
        (Param(int, ge=2), [2, 10**6, np.int64(3)], [1, 2.0, True, "3", None]),
        (Param(float, gt=0, le=1), [1e-9, 1, 0.5], [0, 1.01, float("inf"), float("nan"), False]),
        (Param(float, optional=True), [None, -3.5], ["x"]),
        (Param(choices=("a", "b")), ["a", "b"], ["c", None, 1]),
        (Param(float, gt=0, choices=("cv",)), ["cv", 0.1], ["silverman", -1]),
        (Param(int, ge=1, many=True), [(1,), [3, 4]], [(), (0,), 5, "(1,)", (1.5,)]),
        (Param(bool), [True, False, np.bool_(True), 0, 1], [2, 1.0, "true", None]),
    ],
)
def test_a_declaration_accepts_exactly_its_values(
    param: Param, good: list[Any], bad: list[Any]
) -> None:
    assert all(param.accepts(value) for value in good)
    assert not any(param.accepts(value) for value in bad)


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("generator_dim=(128,128)", {"generator_dim": (128, 128)}),
        ("generator_dim=[64, 32]", {"generator_dim": (64, 32)}),
        ("generator_dim=128,128", {"generator_dim": (128, 128)}),
        ("generator_dim=64", {"generator_dim": (64,)}),
        ("epochs=5", {"epochs": 5}),
        ("generator_lr=1e-3", {"generator_lr": 0.001}),
        ("max_time=None", {"max_time": None}),
        ("keep_best=false", {"keep_best": False}),
        ("normalization='mode'", {"normalization": "mode"}),
    ],
)
def test_command_line_text_is_typed_by_the_declaration(item: str, expected: dict[str, Any]) -> None:
    assert parse_params("ctgan", [item]) == expected


def test_column_names_and_choices_are_read_for_the_same_parameter() -> None:
    assert parse_params("cart", ["order=few"]) == {"order": "few"}
    assert parse_params("cart", ["order=age,income"]) == {"order": ("age", "income")}
    assert parse_params("kde", ["bandwidth=cv", "bandwidth=0.4"]) == {"bandwidth": 0.4}


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("epochs=0", "epochs must be a whole number >= 1, got '0'"),
        ("epochs=ten", "got 'ten'"),
        ("epochs=2.5", "got '2.5'"),
        ("generator_dim=(128,-1)", "each >= 1"),
        ("generator_dim=__import__('os').getcwd()", "generator_dim must be a list"),
        ("pac", "write KEY=VALUE"),
        ("=5", "write KEY=VALUE"),
    ],
)
def test_bad_text_is_refused_before_anything_runs(item: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_params("ctgan", [item])


def test_descriptions_list_every_parameter_with_its_range_and_default() -> None:
    rows = {key: (takes, default) for key, takes, default in describe_params("copula")}
    assert rows["quantiles"] == ("a whole number from 2 to 1,000,000", 1000)
    assert rows["random_state"] == ("a whole number >= 0 or None", None)
    assert list(rows) == ["quantiles", "order_passes", "random_state"]


def test_a_signature_parameter_missing_from_the_table_is_taken_unchecked() -> None:
    from lookalike.models.copula import GaussianCopula
    from lookalike.models.params import check_names, describe_class, parse_items

    class Extended(GaussianCopula):  # as after a merge that adds a parameter but no declaration
        def __init__(
            self,
            *,
            quantiles: int = 1000,
            order_passes: int = 2,
            extra: int = 3,
            random_state: int | None = None,
        ) -> None:
            super().__init__(
                quantiles=quantiles, order_passes=order_passes, random_state=random_state
            )
            self.extra = extra

    check_names("extended", Extended, ["extra"])
    assert parse_items("extended", Extended, ["extra=(1, 2)"]) == {"extra": (1, 2)}
    assert ("extra", "any value", 3) in describe_class(Extended)
    with pytest.raises(ParameterError, match="it takes: extra, order_passes"):
        check_names("extended", Extended, ["nope"])


@pytest.mark.parametrize("name", sorted(MODELS))
def test_models_params_lists_every_parameter_with_what_it_takes(name: str) -> None:
    from typer.testing import CliRunner

    from lookalike.cli import app

    result = CliRunner().invoke(app, ["models", "--params", name])
    assert result.exit_code == 0, result.output
    for key, takes, default in describe_params(name):
        assert any(
            line.split()[:3] == [key, "=", repr(default).split()[0]] and line.endswith(takes)
            for line in result.output.splitlines()
        ), key
