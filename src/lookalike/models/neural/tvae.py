"""`tvae`: tabular variational autoencoder on the shared data layout (network: `vae`)."""

from __future__ import annotations

from typing import ClassVar

from lookalike.models.base import Param
from lookalike.models.neural.base import NeuralModel, arguments
from lookalike.models.neural.vae import VAE_PARAMS, Autoencoder


class TVAE(NeuralModel):
    """Tabular variational autoencoder.

    Args:
        epochs: passes over the training rows.
        batch_size: rows per step.
        embedding_dim: size of the latent space.
        compress_dims: widths of the encoder's layers.
        decompress_dims: widths of the decoder's layers.
        lr: Adam learning rate.
        weight_decay: Adam weight decay (L2).
        loss_factor: weight of the reconstruction error against the KL term.
        normalization: continuous columns as "mode" (mixture) offsets or "quantile" positions.
        random_state: seed for fitting and sampling.
        device: "auto" (a GPU when present), "cpu" or "cuda".
        max_time: stop training after this many seconds and keep the weights so far.
        keep_best: score a generated sample after every epoch and keep the best epoch's
            weights (see `validation`), instead of the last epoch's.
    """

    name = "tvae"
    params: ClassVar[dict[str, Param]] = {**NeuralModel.params, **VAE_PARAMS}
    embedding_dim: int
    compress_dims: tuple[int, ...]
    decompress_dims: tuple[int, ...]
    lr: float
    weight_decay: float
    loss_factor: float

    def __init__(
        self,
        *,
        epochs: int = 150,
        batch_size: int = 500,
        embedding_dim: int = 128,
        compress_dims: tuple[int, ...] = (128, 128),
        decompress_dims: tuple[int, ...] = (128, 128),
        lr: float = 1e-3,
        weight_decay: float = 1e-5,
        loss_factor: float = 2.0,
        normalization: str = "mode",
        random_state: int | None = None,
        device: str = "auto",
        max_time: float | None = None,
        keep_best: bool = False,
    ) -> None:
        super().__init__(**arguments(locals()))

    def _network(self) -> Autoencoder:
        settings = {key: getattr(self, key) for key in VAE_PARAMS}
        return Autoencoder(self.layout_, self.device_, batch_size=self.batch_size, **settings)
