"""`wgan-gp`: Wasserstein GAN with a linear critic, gradient penalty and `n_critic` updates."""

from __future__ import annotations

from typing import ClassVar

from lookalike.models.base import Param
from lookalike.models.neural.adversarial import GAN_FAMILY, Adversarial, adversarial
from lookalike.models.neural.base import NeuralModel, arguments
from lookalike.models.neural.losses import Wasserstein


class WGANGP(NeuralModel):
    """Wasserstein GAN: the critic estimates the earth-mover distance between real and fake rows.

    The critic is kept 1-Lipschitz by a gradient penalty (`gp_weight`, on points between real and
    fake packs) and, optionally, by clipping its weights to [-clip_value, clip_value] after each
    update as in the original WGAN (set `gp_weight=0` for pure clipping).

    Args:
        epochs: passes over the training rows.
        batch_size: rows per step (rounded down to whole packs of `pac`).
        embedding_dim: size of the generator's noise input.
        generator_dim: widths of the generator's residual layers.
        discriminator_dim: widths of the critic's layers.
        generator_lr: Adam learning rate of the generator.
        discriminator_lr: Adam learning rate of the critic.
        n_critic: critic updates per generator update.
        pac: rows the critic judges together (PacGAN).
        gp_weight: weight of the gradient penalty.
        clip_value: clip critic weights to this magnitude after each update (None: no clipping).
        normalization: continuous columns as "quantile" positions or "mode" (mixture) offsets.
        random_state: seed for fitting and sampling.
        device: "auto" (a GPU when present), "cpu" or "cuda".
        max_time: stop training after this many seconds and keep the weights so far.
        keep_best: score a generated sample after every epoch and keep the best epoch's
            weights (see `validation`), instead of the last epoch's.
    """

    name = "wgan-gp"
    params: ClassVar[dict[str, Param]] = {
        **NeuralModel.params,
        **GAN_FAMILY,
        "gp_weight": Param(float, ge=0),
        "clip_value": Param(float, gt=0, optional=True),
    }
    gp_weight: float
    clip_value: float | None

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
        n_critic: int = 5,
        pac: int = 1,
        gp_weight: float = 10.0,
        clip_value: float | None = None,
        normalization: str = "quantile",
        random_state: int | None = None,
        device: str = "auto",
        max_time: float | None = None,
        keep_best: bool = False,
    ) -> None:
        super().__init__(**arguments(locals()))

    def _network(self) -> Adversarial:
        # no dropout: it makes the critic's Lipschitz constant noisy; the penalty suffices
        loss = Wasserstein(self.gp_weight, self.clip_value)
        return adversarial(self, loss, betas=(0.5, 0.9), dropout=0.0, conditional=False)
