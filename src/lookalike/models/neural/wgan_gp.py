"""`wgan-gp`: Wasserstein GAN with a linear critic, gradient penalty and `n_critic` updates."""

from __future__ import annotations

from lookalike.models.neural.adversarial import GAN_FAMILY, Adversarial, adversarial
from lookalike.models.neural.arguments import takes
from lookalike.models.neural.base import NeuralModel
from lookalike.models.neural.losses import Wasserstein


@takes(GAN_FAMILY, "gp_weight", "clip_value", epochs=100, n_critic=5)
class WGANGP(NeuralModel):
    """Wasserstein GAN: the critic estimates the earth-mover distance between real and fake rows.

    The critic is kept 1-Lipschitz by a gradient penalty (`gp_weight`, on points between real and
    fake packs) and, optionally, by clipping its weights to [-clip_value, clip_value] after each
    update as in the original WGAN (set `gp_weight=0` for pure clipping).
    """

    name = "wgan-gp"
    gp_weight: float
    clip_value: float | None

    def _network(self) -> Adversarial:
        # no dropout: it makes the critic's Lipschitz constant noisy; the penalty suffices
        loss = Wasserstein(self.gp_weight, self.clip_value)
        return adversarial(self, loss, betas=(0.5, 0.9), dropout=0.0, conditional=False)
