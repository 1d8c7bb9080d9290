"""Hostile specs: YAML bombs and tags, expressions that used to crash, values nothing can draw."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from lookalike import generate
from lookalike.errors import SpecError
from lookalike.expressions import Expression, ExpressionError
from lookalike.rules.validate import load_spec
from tests.test_cli import assert_clean_error, run


def billion_laughs(levels: int = 9) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefghij", "bcdefghijk"[: levels - 1], strict=False):
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    return text + "columns: {x: {kind: constant, value: *i}}\n"


def test_a_yaml_alias_bomb_is_refused_fast_without_quoting_it(tmp_path: Path) -> None:
    bomb = billion_laughs()
    assert len(bomb) < 500  # expands to 9**9 (387 million) strings
    start = time.perf_counter()
    with pytest.raises(SpecError, match="aliases") as caught:
        load_spec(bomb)
    assert time.perf_counter() - start < 2
    assert "lol" not in str(caught.value) and len(str(caught.value)) < 300
    spec = tmp_path / "bomb.yaml"
    spec.write_text(bomb)
    result = run("generate", str(spec), "-n", "5", "-o", str(tmp_path / "out.csv"))
    assert_clean_error(result, "aliases")
    assert not (tmp_path / "out.csv").exists()


def test_anchors_that_share_settings_still_work() -> None:
    spec = load_spec(
        "columns:\n  a: &base {kind: normal, mean: 0, sd: 1}\n  b: {<<: *base, mean: 5}\n"
    )
    assert spec["columns"]["b"]["params"] == {"mean": 5, "sd": 1}


@pytest.mark.parametrize(
    "text",
    [
        "columns: !!python/object/apply:os.system ['echo hacked']",
        "columns: !!python/name:os.getcwd",
    ],
)
def test_python_tags_are_an_unsupported_yaml_tag(text: str) -> None:
    with pytest.raises(SpecError, match="unsupported YAML tag !!python"):
        load_spec(text)


def test_deeply_nested_yaml_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match="nested too deeply"):
        load_spec("[" * 100_000)


# ---------------------------------------------------------------------- expressions
@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 / 0", np.inf), ("1 % 0", np.nan), ("9 ** 999", np.inf), ("x / 0", np.inf)],
)
def test_division_by_zero_and_overflow_are_inf_or_nan_as_documented(
    text: str, expected: float
) -> None:
    value = np.asarray(Expression.parse(text).evaluate({"x": np.array([1.0, 2.0])}), float)
    np.testing.assert_array_equal(value, np.full(value.shape, expected))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("round(x, 1e30)", "digits"),
        ("round(x, x)", "digits"),
        ("t > 3", "compared"),
        ("x > 'a'", "compared"),
        ("-" * 1500 + "1", "nested"),
        ("+".join(["1"] * 991), "nested"),
        ("x ** 1001", "exponent"),
        ("where(x)", "takes 3"),
        ("t * 2", "text"),
    ],
)
def test_hostile_expressions_are_expression_errors(text: str, words: str) -> None:
    columns = {"x": np.array([1.0, 2.0]), "t": np.array(["a", "b"], dtype=object)}
    with pytest.raises(ExpressionError, match=words):
        Expression.parse(text).evaluate(columns)


def test_an_expression_error_in_a_spec_names_the_column() -> None:
    spec = {
        "columns": {
            "t": {"kind": "categorical", "values": ["a", "b"]},
            "y": {"kind": "computed", "expr": "t > 3"},
        }
    }
    with pytest.raises(SpecError, match=r"column 'y'.*compared"):
        generate(spec, 5, random_state=0)


# ---------------------------------------------------------------------- spec values
def _spec(**settings: object) -> dict[str, object]:
    return {"columns": {"t": {"kind": "categorical", "values": ["a", "b"]}, "x": settings}}


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"kind": "sequence", "start": 10**30}, "start must be within"),
        ({"kind": "binomial", "n": 1e30, "p": 0.5}, "n must be at most"),
        ({"kind": "poisson", "lam": 1e30}, "lam must be at most"),
        ({"kind": "normal", "mean": 0, "sd": 1, "round": 10**20}, "round must be from 0"),
        ({"kind": "constant", "value": [1, 2]}, "one text, number"),
        ({"kind": "normal", "mean": "t", "sd": 1}, "names column 't'"),
        ({"kind": "normal", "mean": 0, "sd": 1, "min": 5, "max": 1}, "above max"),
        ({"kind": "exponential", "scale": 1, "max": -1}, "no probability"),
        ({"kind": "uniform", "low": 0, "high": 1, "min": 2}, "no probability"),
        ({"kind": "binomial", "n": 10, "p": 0.5, "min": 11}, "no probability"),
    ],
)
def test_spec_values_nothing_can_draw_are_refused_naming_the_column(
    settings: dict[str, object], words: str
) -> None:
    with pytest.raises(SpecError, match=f"column 'x'.*{words}"):
        generate(_spec(**settings), 5, random_state=0)


def test_min_and_max_inside_the_support_still_truncate() -> None:
    rows = generate(_spec(kind="poisson", lam=3, min=2, max=5), 300, random_state=0)
    assert rows["x"].between(2, 5).all() and rows["x"].nunique() > 1


def test_a_huge_value_is_never_quoted_in_full() -> None:
    with pytest.raises(SpecError) as caught:
        load_spec({"columns": {"x": list(range(100_000))}})
    assert len(str(caught.value)) <= 400 and str(caught.value).startswith("column 'x'")
