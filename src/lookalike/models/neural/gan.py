"""`gan`: the textbook GAN, a generator against a discriminator with binary cross-entropy."""

from __future__ import annotations

from lookalike.models.neural.adversarial import GAN_FAMILY, Adversarial, adversarial
from lookalike.models.neural.arguments import takes
from lookalike.models.neural.base import NeuralModel
from lookalike.models.neural.losses import CrossEntropy


@takes(GAN_FAMILY, epochs=100)
class GAN(NeuralModel):
    """Plain GAN on the shared data layout (non-saturating generator loss)."""

    name = "gan"

    def _network(self) -> Adversarial:
        return adversarial(self, CrossEntropy(), betas=(0.5, 0.999), dropout=0.5, conditional=False)
