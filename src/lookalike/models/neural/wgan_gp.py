"""`wgan-gp`: Wasserstein GAN with a linear critic, gradient penalty and `n_critic` updates."""

from __future__ import annotations

from typing import Any

from lookalike.models.neural.adversarial import AdversarialModel
from lookalike.models.neural.base import arguments


class WGANGP(AdversarialModel):
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

    def _dropout(self) -> float:
        return 0.0  # dropout makes the critic's Lipschitz constant noisy; the penalty suffices

    def _critic_loss(self, real: Any, fake: Any, generator: Any) -> Any:
        loss = self.critic_(fake).mean() - self.critic_(real).mean()
        if self.gp_weight:
            loss = loss + self.gp_weight * self._gradient_penalty(real, fake, generator)
        return loss

    def _gradient_penalty(self, real: Any, fake: Any, generator: Any) -> Any:
        import torch

        mix = torch.rand((real.shape[0], 1), generator=generator, device=real.device)
        between = (mix * real + (1 - mix) * fake).requires_grad_(True)
        (grad,) = torch.autograd.grad(self.critic_(between).sum(), between, create_graph=True)
        return ((grad.norm(2, dim=1) - 1) ** 2).mean()

    def _generator_loss(self, fake_scores: Any) -> Any:
        return -fake_scores.mean()

    def _after_critic_step(self) -> None:
        if self.clip_value is None:
            return
        import torch

        with torch.no_grad():
            for weight in self.critic_.parameters():
                weight.clamp_(-self.clip_value, self.clip_value)
