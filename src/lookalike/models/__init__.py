"""The model registry: CLI name -> "module:Class" and a one-line description.

A module is imported only when its model is first asked for, so `import lookalike` stays fast and
torch is loaded only by the neural models.

    base      the contract (Model): declared parameters, fit, sample, save/state hooks
    params    Param: what a parameter takes; checked in fit, read from `-p KEY=VALUE` text
    sampling  seeds, chunks, conditions, rejection, decoding (what `Model.sample` runs)
    state     the table encoding every model shares and the saved state around its own
    neural/   the torch models: one NeuralModel class driving network components

A new model: a module with a `Model` subclass that sets `name`, declares `params`
(`{**Model.params, "k": Param(int, ge=1)}`, one entry per keyword argument of its `__init__`),
implements `_fit`, `_sample`, `_get_state` and `_set_state` on the encoded frame, and one line in
MODELS below; `tests/models/test_contract.py` then runs the whole contract on it.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

from lookalike.errors import UnknownModelError
from lookalike.models.base import Model
from lookalike.models.params import Param, check_names, describe_class, parse_items


class Entry(NamedTuple):
    target: str  # "module:Class"
    summary: str  # one line for `lookalike models`
    extra: str = ""  # optional dependency group it needs ("" = none)
    # What real training values the model file holds beyond category names ("" = none): such a
    # file is as sensitive as the data; share samples, not the file (cards and docs say so).
    training_values: str = ""


ROWS = "every training row (in a standardised form that maps back to the real values)"
LEAVES = "the training values of every tree leaf (real cell values, grouped by leaf)"
BINS = "within-bin quantiles of each numeric column (real values)"
QUANTILES = "a quantile grid of each numeric column (real values when the table has few rows)"
# what changes with a parameter (models.provenance.describe_model reads these)
EPSILON_BINS = "each number's min and max (the range of its equal-width bins)"

MODELS: dict[str, Entry] = {
    "copula": Entry(
        "lookalike.models.copula:GaussianCopula",
        "Gaussian copula on exact empirical marginals; very fast, keeps pairwise correlations.",
        training_values=QUANTILES,
    ),
    "bayesnet": Entry(
        "lookalike.models.bayesnet:BayesianNetwork",
        "Bayesian network on binned columns (greedy MI structure); optional DP with epsilon.",
        training_values=BINS,
    ),
    "kde": Entry(
        "lookalike.models.kde:KDESynthesizer",
        "Kernel density on normal scores with a category kernel; bandwidth by cross-validation.",
        training_values=ROWS,
    ),
    "noise": Entry(
        "lookalike.models.noise:NoiseSynthesizer",
        "Real rows shuffled with per-column noise and category flips; a baseline, weak privacy.",
        training_values=ROWS,
    ),
    "smote": Entry(
        "lookalike.models.smote:SMOTESynthesizer",
        "SMOTE-NC interpolation between real rows and their nearest neighbours.",
        training_values=ROWS,
    ),
    "gan": Entry(
        "lookalike.models.neural.gan:GAN",
        "Textbook GAN (binary cross-entropy) on quantile-normalised columns; a baseline.",
        training_values=QUANTILES,
        extra="torch",
    ),
    "wgan-gp": Entry(
        "lookalike.models.neural.wgan_gp:WGANGP",
        "Wasserstein GAN with gradient penalty and n_critic critic steps (optional clipping).",
        training_values=QUANTILES,
        extra="torch",
    ),
    "ctgan": Entry(
        "lookalike.models.neural.ctgan:CTGAN",
        "Conditional tabular GAN: training-by-sampling, PacGAN, WGAN-GP, best epoch kept.",
        training_values=QUANTILES,
        extra="torch",
    ),
    "tvae": Entry(
        "lookalike.models.neural.tvae:TVAE",
        "Tabular variational autoencoder; strong on mixed tables, fast on a CPU.",
        extra="torch",
    ),
    "cart": Entry(
        "lookalike.models.cart:CARTSynthesizer",
        "Sequential decision trees (synthpop-style) with honest leaves and smoothed numbers.",
        training_values=LEAVES,
    ),
}

DEFAULT_MODEL = "cart"  # the best fast one on benchmark evidence (BENCHMARKS.md, issue 8)


def get_model(name: str, **params: Any) -> Model:
    """A new, unfitted model by registry name.

    Example:
        >>> model = get_model("copula", random_state=0)

    A parameter name the model does not take raises ParameterError listing those it does;
    values are checked when the model is fitted.
    """
    cls = model_class(name)
    check_names(name, cls, params)
    try:
        return cls(**params)
    except TypeError as error:
        from lookalike.errors import DataError

        raise DataError(f"model {name!r}: {error}") from None


def model_class(name: str) -> type[Model]:
    """The class registered under `name` (imports its module)."""
    if name not in MODELS:
        choices = ", ".join(sorted(MODELS))
        raise UnknownModelError(f"no model named {name!r}; choose one of: {choices}.")
    module_name, class_name = MODELS[name].target.split(":")
    return getattr(importlib.import_module(module_name), class_name)  # type: ignore[no-any-return]


def parse_params(name: str, items: list[str]) -> dict[str, Any]:
    """`KEY=VALUE` texts (the CLI's `-p`, the web app's fields) typed against model `name`'s
    declared parameters; an unknown name or a bad value raises ParameterError saying what fits.

    Example:
        >>> parse_params("ctgan", ["generator_dim=(128,128)", "epochs=5"])
        {'generator_dim': (128, 128), 'epochs': 5}
    """
    return parse_items(name, model_class(name), items)


def describe_params(name: str) -> list[tuple[str, str, Any]]:
    """(parameter, what it takes, default) for each parameter of model `name`."""
    return describe_class(model_class(name))


def list_models() -> dict[str, str]:
    """Registered model names with their one-line descriptions."""
    return {name: entry.summary for name, entry in MODELS.items()}


__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "Model",
    "Param",
    "describe_params",
    "get_model",
    "list_models",
    "model_class",
    "parse_params",
]
