"""The adversarial network of `gan`, `wgan-gp` and `ctgan`: a generator against a critic.

A residual generator maps noise (plus a conditional vector, for conditional models) to rows; a
critic scores packed groups of `pac` rows (PacGAN). Each step makes `n_critic` critic updates and
one generator update, with the losses of a `losses` object. A conditional network draws, per
training row, one category of one discrete column (`sampler.ConditionSampler`, training-by-
sampling), feeds its one-hot to both networks and adds the cross-entropy of the generated
category against it to the generator's loss.

This is a plain component: `NeuralModel` builds it from the model's parameters and drives it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lookalike.models.neural.data import DataLayout
from lookalike.models.neural.sampler import ConditionSampler

Losses = Callable[[], dict[str, float]]

# the arguments of `gan`, `wgan-gp` and `ctgan` that this network reads (declared in `arguments`)
GAN_FAMILY = (
    "embedding_dim",
    "generator_dim",
    "discriminator_dim",
    "generator_lr",
    "discriminator_lr",
    "n_critic",
    "pac",
)


class Adversarial:
    """Generator, critic and (when conditional) the condition sampler; see the module docstring."""

    def __init__(
        self,
        layout: DataLayout,
        device: Any,
        *,
        loss: Any,
        embedding_dim: int,
        generator_dim: tuple[int, ...],
        discriminator_dim: tuple[int, ...],
        generator_lr: float,
        discriminator_lr: float,
        n_critic: int,
        pac: int,
        batch_size: int,
        betas: tuple[float, float],
        dropout: float,
        conditional: bool,
    ) -> None:
        self.layout, self.device, self.loss = layout, device, loss
        self.embedding_dim = int(embedding_dim)
        self.generator_dim, self.discriminator_dim = tuple(generator_dim), tuple(discriminator_dim)
        self.generator_lr, self.discriminator_lr = generator_lr, discriminator_lr
        self.n_critic, self.pac = max(1, int(n_critic)), max(1, int(pac))
        self.batch_size, self.betas, self.dropout = int(batch_size), betas, dropout
        self.conditional = conditional
        self.sampler: ConditionSampler | None = None

    def batch_rows(self) -> int:
        """Rows per step: whole packs of `pac`, at least two packs (BatchNorm needs 2+)."""
        return max(2 * self.pac, self.batch_size // self.pac * self.pac)

    # ------------------------------------------------------------------ networks
    def prepare(self, encoded: pd.DataFrame) -> None:
        """Learn the condition sampler from the discrete columns (conditional networks only)."""
        spans = self.layout.category_spans
        if not self.conditional or not spans:  # nothing discrete to condition on
            self.sampler = None
            return
        names = [self.layout.columns[s.column]["name"] for s in spans]
        codes = encoded[names].to_numpy(dtype=np.int64).reshape(len(encoded), len(names))
        self.sampler = ConditionSampler(codes, [s.size for s in spans])

    def build(self, generator: Any) -> None:
        """Create the networks on the device, initialised from the torch `generator`."""
        from lookalike.models.neural.networks import SpanActivation, critic, residual_generator

        dim = self.layout.dim
        cond = self.sampler.dim if self.sampler is not None else 0
        self.generator = residual_generator(
            self.embedding_dim + cond, self.generator_dim, dim, generator
        ).to(self.device)
        self.critic = critic(
            (dim + cond) * self.pac, self.discriminator_dim, self.dropout, generator
        ).to(self.device)
        self.activation = SpanActivation(self.layout.spans, dim, self.device)

    def networks(self) -> dict[str, Any]:
        """The networks sampling needs (saved in model files), by name."""
        return {"generator": self.generator}

    # ------------------------------------------------------------------ training
    def trainer(self, data: Any, generator: Any, rng: np.random.Generator) -> Losses:
        """A closure doing one optimisation step on `data` and returning its losses."""
        import torch

        from lookalike.models.neural.networks import Adam, pack

        batch, pac, loss = self.batch_rows(), self.pac, self.loss
        g_opt = Adam(
            list(self.generator.parameters()),
            lr=self.generator_lr,
            betas=self.betas,
            weight_decay=1e-6,
        )
        c_opt = Adam(list(self.critic.parameters()), lr=self.discriminator_lr, betas=self.betas)
        n = data.shape[0]

        def real_batch() -> tuple[Any, Any, Any]:
            if self.sampler is None:
                rows = torch.randint(n, (batch,), generator=generator, device=self.device)
                return data[rows], None, None
            columns, categories, picks = self.sampler.draw_training(batch, rng)
            cond = self._to_device(self.sampler.one_hot(columns, categories))
            return data[torch.from_numpy(picks).to(self.device)], cond, (columns, categories)

        def with_cond(rows: Any, cond: Any) -> Any:
            return pack(rows if cond is None else torch.cat([rows, cond], dim=1), pac)

        def step() -> dict[str, float]:
            for index in range(self.n_critic):
                real, cond, drawn = real_batch()
                if index < self.n_critic - 1:
                    with torch.no_grad():
                        fake, raw = self._fake(batch, generator, cond)
                else:  # the last fake batch also serves the generator update: one forward less
                    fake, raw = self._fake(batch, generator, cond)
                loss_c = loss.critic_loss(
                    self.critic, with_cond(real, cond), with_cond(fake.detach(), cond), generator
                )
                c_opt.zero_grad()
                loss_c.backward()
                c_opt.step()
                loss.after_critic_step(self.critic)
            loss_g = loss.generator_loss(self.critic(with_cond(fake, cond)))
            if drawn is not None:
                loss_g = loss_g + self._condition_loss(raw, *drawn)
            g_opt.zero_grad()
            loss_g.backward()
            g_opt.step()
            return {"critic": float(loss_c.item()), "generator": float(loss_g.item())}

        return step

    def _to_device(self, array: np.ndarray) -> Any:
        import torch

        return torch.from_numpy(array).to(self.device)

    def _fake(self, n: int, generator: Any, cond: Any) -> tuple[Any, Any]:
        """(activated rows, raw outputs) for n noise vectors (and conditions)."""
        import torch

        noise = torch.randn((n, self.embedding_dim), generator=generator, device=self.device)
        raw = self.generator(noise if cond is None else torch.cat([noise, cond], dim=1))
        return self.activation(raw, tau=0.2, generator=generator), raw

    def _condition_loss(self, raw: Any, columns: np.ndarray, categories: np.ndarray) -> Any:
        """Cross-entropy of the generated category against the condition, per row's column."""
        import torch

        if not hasattr(self, "_cond_index"):
            spans = self.layout.category_spans
            width = max(s.size for s in spans)
            index = np.zeros((len(spans), width), dtype=np.int64)
            valid = np.zeros((len(spans), width), dtype=bool)
            for j, span in enumerate(spans):
                index[j, : span.size] = np.arange(span.start, span.start + span.size)
                valid[j, : span.size] = True
            self._cond_index = self._to_device(index)
            self._cond_valid = self._to_device(valid)
        cols = torch.from_numpy(columns).to(self.device)
        logits = raw.gather(1, self._cond_index[cols])
        logits = logits.masked_fill(~self._cond_valid[cols], float("-inf"))
        target = torch.from_numpy(categories).to(self.device)
        return torch.nn.functional.cross_entropy(logits, target)

    # ------------------------------------------------------------------ sampling
    def generate(self, n: int, generator: Any, rng: np.random.Generator, condition: Any) -> Any:
        """N activated rows; `condition` = (discrete column index, category code) or None."""
        cond = None
        if self.sampler is not None:
            if condition is None:
                columns, categories = self.sampler.draw_generation(n, rng)
            else:
                columns = np.full(n, condition[0], dtype=np.int64)
                categories = np.full(n, condition[1], dtype=np.int64)
            cond = self._to_device(self.sampler.one_hot(columns, categories))
        fake, _ = self._fake(n, generator, cond)
        return fake

    # ------------------------------------------------------------------ state
    def get_state(self) -> dict[str, Any]:
        """What the weights do not hold: the condition sampler's counts."""
        return self.sampler.get_state("sampler.") if self.sampler is not None else {}

    def load_state(self, state: dict[str, Any]) -> None:
        """Restore `get_state`'s part (before `build`, which needs the conditions' width)."""
        self.sampler = (
            ConditionSampler.from_state(state, "sampler.") if "sampler.sizes" in state else None
        )


def adversarial(
    model: Any, loss: Any, *, betas: tuple[float, float], dropout: float, conditional: bool
) -> Adversarial:
    """The network of a GAN-family model, from the parameters the three models share."""
    return Adversarial(
        model.layout_,
        model.device_,
        loss=loss,
        batch_size=model.batch_size,
        betas=betas,
        dropout=dropout,
        conditional=conditional,
        **{key: getattr(model, key) for key in GAN_FAMILY},
    )
