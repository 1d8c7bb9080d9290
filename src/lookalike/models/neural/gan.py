"""`gan`: the textbook GAN, a generator against a discriminator with binary cross-entropy."""

from __future__ import annotations

from typing import ClassVar

from lookalike.models.base import Param
from lookalike.models.neural.adversarial import GAN_FAMILY, Adversarial, adversarial
from lookalike.models.neural.base import NeuralModel, arguments
from lookalike.models.neural.losses import CrossEntropy


class GAN(NeuralModel):
    """Plain GAN on the shared data layout (non-saturating generator loss).

    Args:
        epochs: passes over the training rows.
        batch_size: rows per step (rounded down to whole packs of `pac`).
        embedding_dim: size of the generator's noise input.
        generator_dim: widths of the generator's residual layers.
        discriminator_dim: widths of the discriminator's layers.
        generator_lr: Adam learning rate of the generator.
        discriminator_lr: Adam learning rate of the discriminator.
        n_critic: discriminator updates per generator update.
        pac: rows the discriminator judges together (PacGAN; 1 = plain).
        normalization: continuous columns as "quantile" positions or "mode" (mixture) offsets.
        random_state: seed for fitting and sampling.
        device: "auto" (a GPU when present), "cpu" or "cuda".
        max_time: stop training after this many seconds and keep the weights so far.
        keep_best: score a generated sample after every epoch and keep the best epoch's
            weights (see `validation`), instead of the last epoch's.
    """

    name = "gan"
    params: ClassVar[dict[str, Param]] = {**NeuralModel.params, **GAN_FAMILY}

    def __init__(
        self,
        *,
        epochs: int = 100,
        batch_size: int = 500,
        embedding_dim: int = 128,
        generator_dim: tuple[int, ...] = (256, 256),
        discriminator_dim: tuple[int, ...] = (256, 256),
        generator_lr: float = 2e-4,
        discriminator_lr: float = 2e-4,
        n_critic: int = 1,
        pac: int = 1,
        normalization: str = "quantile",
        random_state: int | None = None,
        device: str = "auto",
        max_time: float | None = None,
        keep_best: bool = False,
    ) -> None:
        super().__init__(**arguments(locals()))

    def _network(self) -> Adversarial:
        return adversarial(self, CrossEntropy(), betas=(0.5, 0.999), dropout=0.5, conditional=False)
