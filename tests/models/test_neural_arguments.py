"""The neural models' keyword arguments come from one table (models/neural/arguments.py)."""

from __future__ import annotations

import inspect

import pytest

from lookalike.models import get_model
from lookalike.models.neural.arguments import ARGS, takes
from lookalike.models.neural.base import NeuralModel


@pytest.mark.parametrize(
    ("name", "own"),
    [
        ("gan", {"epochs": 100, "pac": 1, "keep_best": False}),
        ("wgan-gp", {"n_critic": 5, "clip_value": None}),
        ("ctgan", {"epochs": 50, "pac": 10, "keep_best": True, "gp_weight": 10.0}),
        ("tvae", {"epochs": 150, "normalization": "mode", "lr": 1e-3}),
    ],
)
def test_each_model_shows_its_arguments_and_defaults(name: str, own: dict) -> None:
    cls = type(get_model(name))
    signature = inspect.signature(cls)
    assert all(p.kind is p.KEYWORD_ONLY for p in signature.parameters.values())
    assert {k: signature.parameters[k].default for k in own} == own
    assert list(signature.parameters) == [k for k in ARGS if k in signature.parameters]
    assert set(cls.params) == set(signature.parameters)  # what fit checks is what it takes
    doc = inspect.getdoc(cls) or ""
    assert all(f"{k}: {ARGS[k].doc}" in doc for k in signature.parameters)
    assert get_model(name, epochs=3).get_params()["epochs"] == 3


def test_an_unknown_keyword_is_refused_like_a_plain_signature_would() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'epochz'"):
        type(get_model("ctgan"))(epochz=3)
    with pytest.raises(TypeError):
        type(get_model("ctgan"))(5)  # keyword-only


def test_a_default_for_an_argument_the_model_does_not_take_is_a_mistake() -> None:
    with pytest.raises(TypeError, match="gp_weight"):
        takes(("embedding_dim",), gp_weight=1.0)(type("Broken", (NeuralModel,), {}))
