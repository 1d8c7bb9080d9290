"""The variational autoencoder network of `tvae`.

The encoder maps a row to a Gaussian over a latent space, the decoder maps a latent point back to
a row: value spans through tanh with a learned noise scale per column, softmax spans as logits.
The loss is the reconstruction error (squared error scaled by the noise, cross-entropy for one-hot
spans) times `loss_factor`, plus the KL divergence to a standard normal. Generation decodes
standard normal points and draws each category (and each value's mode) from its softmax.

A plain component: `NeuralModel` builds it from the model's parameters and drives it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lookalike.models.neural.data import DataLayout

# the arguments of `tvae` that this network reads (declared in `arguments`)
VAE_PARAMS = (
    "embedding_dim",
    "compress_dims",
    "decompress_dims",
    "lr",
    "weight_decay",
    "loss_factor",
)


class Autoencoder:
    """Encoder, decoder (with per-value noise scales) and the training step."""

    def __init__(
        self,
        layout: DataLayout,
        device: Any,
        *,
        embedding_dim: int,
        compress_dims: tuple[int, ...],
        decompress_dims: tuple[int, ...],
        lr: float,
        weight_decay: float,
        loss_factor: float,
        batch_size: int,
    ) -> None:
        self.layout, self.device = layout, device
        self.latent = int(embedding_dim)
        self.compress_dims, self.decompress_dims = tuple(compress_dims), tuple(decompress_dims)
        self.lr, self.weight_decay, self.loss_factor = lr, weight_decay, loss_factor
        self.batch_size = int(batch_size)

    def batch_rows(self) -> int:
        return self.batch_size

    def prepare(self, encoded: pd.DataFrame) -> None:
        """Nothing to learn besides the layout."""

    def build(self, generator: Any) -> None:
        from lookalike.models.neural.networks import NoisyDecoder, SpanActivation, mlp

        dim = self.layout.dim
        self.encoder = mlp(dim, self.compress_dims, 2 * self.latent, generator)
        self.decoder = NoisyDecoder(self.latent, self.decompress_dims, dim, generator)
        self.encoder.to(self.device)
        self.decoder.to(self.device)
        self.activation = SpanActivation(self.layout.spans, dim, self.device)

    def networks(self) -> dict[str, Any]:
        return {"decoder": self.decoder}

    def trainer(
        self, data: Any, generator: Any, rng: np.random.Generator
    ) -> Callable[[], dict[str, float]]:
        import torch
        from torch.nn.functional import cross_entropy

        from lookalike.models.neural.networks import Adam

        parameters = list(self.encoder.parameters()) + list(self.decoder.parameters())
        optimizer = Adam(parameters, lr=self.lr, weight_decay=self.weight_decay)
        values, groups = self.activation.tanh, self.activation.groups
        padded_data = self.activation.pad(data, 0.0)
        targets = [padded_data[:, index].argmax(dim=-1) for index in groups]  # class per span
        batch, n, latent = self.batch_size, data.shape[0], self.latent

        def step() -> dict[str, float]:
            rows = torch.randint(n, (batch,), generator=generator, device=self.device)
            x = data[rows]
            mu, logvar = self.encoder(x).split(latent, dim=1)
            eps = torch.randn(mu.shape, generator=generator, device=self.device)
            raw = self.decoder(mu + eps * torch.exp(0.5 * logvar))
            sigma = self.decoder.sigma[values]
            error = ((x[:, values] - torch.tanh(raw[:, values])) ** 2 / (2 * sigma**2)).sum()
            error = error + torch.log(sigma).sum() * batch
            padded = self.activation.pad(raw)
            for index, target in zip(groups, targets, strict=True):
                logits = padded[:, index]
                error = error + cross_entropy(
                    logits.reshape(-1, index.shape[1]), target[rows].reshape(-1), reduction="sum"
                )
            kl = -0.5 * torch.sum(1 + logvar - mu**2 - logvar.exp())
            loss = (self.loss_factor * error + kl) / batch
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                self.decoder.sigma.clamp_(0.01, 1.0)
            return {"loss": float(loss.item()), "kl": float(kl.item()) / batch}

        return step

    def generate(self, n: int, generator: Any, rng: np.random.Generator, condition: Any) -> Any:
        import torch

        z = torch.randn((n, self.latent), generator=generator, device=self.device)
        # values decode without the learned noise: measured on adult (60 epochs), adding it
        # lowered SDMetrics quality from 0.909 to 0.893; categories and modes are drawn
        return self.activation(self.decoder(z), generator=generator, hard=True)

    def get_state(self) -> dict[str, Any]:
        return {}

    def load_state(self, state: dict[str, Any]) -> None:
        """Nothing besides the weights."""
