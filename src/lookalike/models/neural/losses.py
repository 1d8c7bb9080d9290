"""The losses an adversarial network trains with: one small object per GAN flavour.

`Adversarial` (in `adversarial`) calls, per step, `critic_loss` after each critic forward pass,
`after_critic_step` after each critic update, and `generator_loss` on the critic's scores of
fake rows. Models pick one: `gan` the cross-entropy, `wgan-gp` and `ctgan` the Wasserstein loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CrossEntropy:
    """The textbook GAN: a discriminator with binary cross-entropy, non-saturating generator."""

    def critic_loss(self, critic: Any, real: Any, fake: Any, generator: Any) -> Any:
        import torch
        from torch.nn.functional import binary_cross_entropy_with_logits as bce

        real_scores, fake_scores = critic(real), critic(fake)
        return bce(real_scores, torch.ones_like(real_scores)) + bce(
            fake_scores, torch.zeros_like(fake_scores)
        )

    def generator_loss(self, fake_scores: Any) -> Any:
        import torch
        from torch.nn.functional import binary_cross_entropy_with_logits as bce

        return bce(fake_scores, torch.ones_like(fake_scores))

    def after_critic_step(self, critic: Any) -> None:
        """Nothing: the discriminator needs no constraint."""


@dataclass(frozen=True)
class Wasserstein:
    """The critic estimates the earth-mover distance between real and fake rows.

    It is kept 1-Lipschitz by a gradient penalty (`gp_weight`, on points between real and fake
    packs) and, optionally, by clipping its weights to [-clip_value, clip_value] after each
    update as in the original WGAN (`gp_weight=0` for pure clipping).
    """

    gp_weight: float = 10.0
    clip_value: float | None = None

    def critic_loss(self, critic: Any, real: Any, fake: Any, generator: Any) -> Any:
        loss = critic(fake).mean() - critic(real).mean()
        if self.gp_weight:
            loss = loss + self.gp_weight * _gradient_penalty(critic, real, fake, generator)
        return loss

    def generator_loss(self, fake_scores: Any) -> Any:
        return -fake_scores.mean()

    def after_critic_step(self, critic: Any) -> None:
        if self.clip_value is None:
            return
        import torch

        with torch.no_grad():
            for weight in critic.parameters():
                weight.clamp_(-self.clip_value, self.clip_value)


def _gradient_penalty(critic: Any, real: Any, fake: Any, generator: Any) -> Any:
    import torch

    mix = torch.rand((real.shape[0], 1), generator=generator, device=real.device)
    between = (mix * real + (1 - mix) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(between).sum(), between, create_graph=True)
    return ((grad.norm(2, dim=1) - 1) ** 2).mean()
