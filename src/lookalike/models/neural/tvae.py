"""`tvae`: tabular variational autoencoder on the shared data layout (network: `vae`)."""

from __future__ import annotations

from lookalike.models.neural.arguments import takes
from lookalike.models.neural.base import NeuralModel
from lookalike.models.neural.vae import VAE_PARAMS, Autoencoder


@takes(VAE_PARAMS, epochs=150, normalization="mode")
class TVAE(NeuralModel):
    """Tabular variational autoencoder."""

    name = "tvae"
    embedding_dim: int
    compress_dims: tuple[int, ...]
    decompress_dims: tuple[int, ...]
    lr: float
    weight_decay: float
    loss_factor: float

    def _network(self) -> Autoencoder:
        settings = {key: getattr(self, key) for key in VAE_PARAMS}
        return Autoencoder(self.layout_, self.device_, batch_size=self.batch_size, **settings)
