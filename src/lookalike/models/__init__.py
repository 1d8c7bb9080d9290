"""The model registry: CLI name -> "module:Class" and a one-line description.

A module is imported only when its model is first asked for, so `import lookalike` stays fast and
torch is loaded only by the neural models.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

from lookalike.errors import UnknownModelError
from lookalike.models.base import Model


class Entry(NamedTuple):
    target: str  # "module:Class"
    summary: str  # one line for `lookalike models`
    extra: str = ""  # optional dependency group it needs ("" = none)


MODELS: dict[str, Entry] = {
    "copula": Entry(
        "lookalike.models.copula:GaussianCopula",
        "Gaussian copula on exact empirical marginals; very fast, keeps pairwise correlations.",
    ),
    "bayesnet": Entry(
        "lookalike.models.bayesnet:BayesianNetwork",
        "Bayesian network on binned columns (greedy MI structure); optional DP with epsilon.",
    ),
    "kde": Entry(
        "lookalike.models.kde:KDESynthesizer",
        "Kernel density on normal scores with a category kernel; bandwidth by cross-validation.",
    ),
    "noise": Entry(
        "lookalike.models.noise:NoiseSynthesizer",
        "Real rows shuffled with per-column noise and category flips; a baseline, weak privacy.",
    ),
    "smote": Entry(
        "lookalike.models.smote:SMOTESynthesizer",
        "SMOTE-NC interpolation between real rows and their nearest neighbours.",
    ),
    "gan": Entry(
        "lookalike.models.neural.gan:GAN",
        "Textbook GAN (binary cross-entropy) on quantile-normalised columns; a baseline.",
        extra="torch",
    ),
    "wgan-gp": Entry(
        "lookalike.models.neural.wgan_gp:WGANGP",
        "Wasserstein GAN with gradient penalty and n_critic critic steps (optional clipping).",
        extra="torch",
    ),
    "ctgan": Entry(
        "lookalike.models.neural.ctgan:CTGAN",
        "Conditional tabular GAN: training-by-sampling, PacGAN, WGAN-GP, best epoch kept.",
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
    ),
}

DEFAULT_MODEL = "cart"  # the best fast one on benchmark evidence (BENCHMARKS.md, issue 8)


def get_model(name: str, **params: Any) -> Model:
    """A new, unfitted model by registry name.

    Example:
        >>> model = get_model("copula", random_state=0)
    """
    if name not in MODELS:
        choices = ", ".join(sorted(MODELS))
        raise UnknownModelError(f"no model named {name!r}; choose one of: {choices}.")
    module_name, class_name = MODELS[name].target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    try:
        return cls(**params)  # type: ignore[no-any-return]
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


def list_models() -> dict[str, str]:
    """Registered model names with their one-line descriptions."""
    return {name: entry.summary for name, entry in MODELS.items()}


__all__ = ["DEFAULT_MODEL", "MODELS", "Model", "get_model", "list_models", "model_class"]
