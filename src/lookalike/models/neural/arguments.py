"""The keyword arguments of the torch models, declared once: what each accepts, its usual
default and what it does.

A model names the arguments it takes and the defaults that differ from the usual ones
(`@takes(GAN_FAMILY, "gp_weight", epochs=50)`); from that one list come its signature (what
`get_params`, `help()` and `lookalike models --params` read), its `params` table (checked once
in `fit`) and the "Args:" section of its docstring, all in the order of `ARGS`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from lookalike.models.base import Model
from lookalike.models.params import Param


@dataclass(frozen=True)
class Arg:
    """One keyword argument: what it accepts, its usual default, what it does (one line)."""

    param: Param
    default: Any
    doc: str


_CRITIC = "the critic (the discriminator of `gan`)"
ARGS: dict[str, Arg] = {  # every argument of a neural model, in signature order
    "epochs": Arg(Param(int, ge=1), 100, "passes over the training rows."),
    "batch_size": Arg(
        Param(int, ge=1), 500, "rows per step (GANs: rounded down to whole packs of `pac`)."
    ),
    "embedding_dim": Arg(
        Param(int, ge=1), 128, "size of the generator's noise input (`tvae`: of its latent space)."
    ),
    "generator_dim": Arg(
        Param(int, ge=1, many=True), (256, 256), "widths of the generator's residual layers."
    ),
    "discriminator_dim": Arg(
        Param(int, ge=1, many=True), (256, 256), f"widths of the layers of {_CRITIC}."
    ),
    "generator_lr": Arg(Param(float, gt=0), 2e-4, "Adam learning rate of the generator."),
    "discriminator_lr": Arg(Param(float, gt=0), 2e-4, f"Adam learning rate of {_CRITIC}."),
    "n_critic": Arg(Param(int, ge=1), 1, "critic updates per generator update."),
    "pac": Arg(Param(int, ge=1), 1, "rows the critic judges together (PacGAN; 1 = plain)."),
    "gp_weight": Arg(Param(float, ge=0), 10.0, "weight of the gradient penalty."),
    "clip_value": Arg(
        Param(float, gt=0, optional=True),
        None,
        "clip critic weights to this magnitude after each update (None: no clipping).",
    ),
    "compress_dims": Arg(
        Param(int, ge=1, many=True), (128, 128), "widths of the encoder's layers."
    ),
    "decompress_dims": Arg(
        Param(int, ge=1, many=True), (128, 128), "widths of the decoder's layers."
    ),
    "lr": Arg(Param(float, gt=0), 1e-3, "Adam learning rate."),
    "weight_decay": Arg(Param(float, ge=0), 1e-5, "Adam weight decay (L2)."),
    "loss_factor": Arg(
        Param(float, gt=0), 2.0, "weight of the reconstruction error against the KL term."
    ),
    "normalization": Arg(
        Param(choices=("mode", "quantile")),
        "quantile",
        'continuous columns as "quantile" positions or "mode" (mixture) offsets.',
    ),
    "random_state": Arg(Model.params["random_state"], None, "seed for fitting and sampling."),
    "device": Arg(  # or any torch device name
        Param(str, choices=("auto", "cpu", "cuda")),
        "auto",
        '"auto" (a GPU when present), "cpu" or "cuda".',
    ),
    "max_time": Arg(
        Param(float, gt=0, optional=True),
        None,
        "stop training after this many seconds and keep the weights so far.",
    ),
    "keep_best": Arg(
        Param(bool),
        False,
        "score a generated sample after every epoch and keep the best epoch's weights (see "
        "`validation`), instead of the last epoch's.",
    ),
}
# what every neural model takes, besides its network's arguments
COMMON = (
    "epochs",
    "batch_size",
    "normalization",
    "random_state",
    "device",
    "max_time",
    "keep_best",
)

M = TypeVar("M", bound=type)


def takes(*groups: str | tuple[str, ...], **defaults: Any) -> Callable[[M], M]:
    """Class decorator: the model takes `COMMON` and the named arguments, with these defaults.

    It sets the class's `params` table, a keyword-only `__init__` whose signature lists every
    argument with its default, and appends the "Args:" lines to the class docstring.
    """
    wanted = set(COMMON)
    for group in groups:
        wanted.update((group,) if isinstance(group, str) else group)
    unknown = sorted((wanted | set(defaults)) - set(ARGS))
    if unknown or not set(defaults) <= wanted:
        raise TypeError(f"unknown or undeclared neural model argument(s): {unknown or defaults}")
    names = [name for name in ARGS if name in wanted]
    values = {name: defaults.get(name, ARGS[name].default) for name in names}

    def decorate(cls: M) -> M:
        owner: type[Any] = cls

        def __init__(self: Any, **given: Any) -> None:
            extra = sorted(set(given) - set(values))
            if extra:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {extra[0]!r}")
            super(owner, self).__init__(**{**values, **given})

        self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
        keywords = [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=value,
                annotation=_annotation(ARGS[name].param),
            )
            for name, value in values.items()
        ]
        __init__.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [self_param, *keywords], return_annotation="None"
        )
        __init__.__qualname__ = f"{cls.__qualname__}.__init__"
        cls.__init__ = __init__  # type: ignore[misc]
        cls.params = {**Model.params, **{name: ARGS[name].param for name in names}}  # type: ignore[attr-defined]
        lines = [f"        {name}: {ARGS[name].doc}" for name in names]
        cls.__doc__ = (cls.__doc__ or "").rstrip() + "\n\n    Args:\n" + "\n".join(lines) + "\n"
        return cls

    return decorate


def _annotation(param: Param) -> str:
    """The type of a parameter as a signature shows it: "int", "tuple[int, ...]", "float | None"."""
    name = param.kind.__name__ if param.kind is not None else "str"
    name = f"tuple[{name}, ...]" if param.many else name
    return f"{name} | None" if param.optional else name
