"""The adversarial training shared by `gan`, `wgan-gp` and `ctgan`.

A residual generator maps noise (plus a conditional vector, for conditional models) to rows; a
critic scores packed groups of `pac` rows (PacGAN). Each step makes `n_critic` critic updates and
one generator update. Subclasses choose the losses (`_critic_loss`, `_generator_loss`), what
happens after a critic update (`_after_critic_step`, e.g. weight clipping) and, for conditional
models, the condition sampler (`conditional = True`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lookalike.models.neural.base import NeuralModel
from lookalike.models.neural.sampler import ConditionSampler

Losses = Callable[[], dict[str, float]]


class AdversarialModel(NeuralModel):
    """A generator and a critic trained against each other; see the module docstring."""

    conditional = False  # condition on one discrete column's category (training-by-sampling)
    betas = (0.5, 0.9)

    # the parameters the adversarial models share (stored by NeuralModel.__init__)
    embedding_dim: int
    generator_dim: tuple[int, ...]
    discriminator_dim: tuple[int, ...]
    generator_lr: float
    discriminator_lr: float
    n_critic: int
    pac: int

    def _batch(self) -> int:
        pac = max(1, int(self.pac))
        return max(2 * pac, int(self.batch_size) // pac * pac)  # whole packs, BatchNorm needs 2+

    # ------------------------------------------------------------------ networks
    def _prepare(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        if not self.conditional:
            self.sampler_ = None
            return
        spans = self.layout_.category_spans
        if not spans:  # nothing discrete to condition on
            self.sampler_ = None
            return
        names = [self.layout_.columns[s.column]["name"] for s in spans]
        codes = encoded[names].to_numpy(dtype=np.int64).reshape(len(encoded), len(names))
        self.sampler_ = ConditionSampler(codes, [s.size for s in spans])

    def _cond_dim(self) -> int:
        return self.sampler_.dim if self.sampler_ is not None else 0

    def _build(self, generator: Any) -> None:
        from lookalike.models.neural.networks import SpanActivation, critic, residual_generator

        dim, cond = self.layout_.dim, self._cond_dim()
        self.generator_ = residual_generator(
            int(self.embedding_dim) + cond, tuple(self.generator_dim), dim, generator
        ).to(self.device_)
        self.critic_ = critic(
            (dim + cond) * max(1, int(self.pac)),
            tuple(self.discriminator_dim),
            self._dropout(),
            generator,
        ).to(self.device_)
        self.activation_ = SpanActivation(self.layout_.spans, dim, self.device_)

    def _dropout(self) -> float:
        return 0.5

    def _networks(self) -> dict[str, Any]:
        return {"generator": self.generator_}

    # ------------------------------------------------------------------ training
    def _trainer(self, data: Any, generator: Any, rng: np.random.Generator) -> Losses:
        import torch

        from lookalike.models.neural.networks import Adam, pack

        batch, pac = self._batch(), max(1, int(self.pac))
        g_opt = Adam(
            self.generator_.parameters(),
            lr=self.generator_lr,
            betas=self.betas,
            weight_decay=1e-6,
        )
        c_opt = Adam(self.critic_.parameters(), lr=self.discriminator_lr, betas=self.betas)
        n = data.shape[0]

        def real_batch() -> tuple[Any, Any, Any]:
            if self.sampler_ is None:
                rows = torch.randint(n, (batch,), generator=generator, device=self.device_)
                return data[rows], None, None
            columns, categories, picks = self.sampler_.draw_training(batch, rng)
            cond = self._to_device(self.sampler_.one_hot(columns, categories))
            return data[torch.from_numpy(picks).to(self.device_)], cond, (columns, categories)

        def with_cond(rows: Any, cond: Any) -> Any:
            return pack(rows if cond is None else torch.cat([rows, cond], dim=1), pac)

        def step() -> dict[str, float]:
            critic_steps = max(1, int(self.n_critic))
            for index in range(critic_steps):
                real, cond, drawn = real_batch()
                if index < critic_steps - 1:
                    with torch.no_grad():
                        fake, raw = self._fake(batch, generator, cond)
                else:  # the last fake batch also serves the generator update: one forward less
                    fake, raw = self._fake(batch, generator, cond)
                loss_c = self._critic_loss(
                    with_cond(real, cond), with_cond(fake.detach(), cond), generator
                )
                c_opt.zero_grad()
                loss_c.backward()
                c_opt.step()
                self._after_critic_step()
            loss_g = self._generator_loss(self.critic_(with_cond(fake, cond)))
            if drawn is not None:
                loss_g = loss_g + self._condition_loss(raw, *drawn)
            g_opt.zero_grad()
            loss_g.backward()
            g_opt.step()
            return {"critic": float(loss_c.item()), "generator": float(loss_g.item())}

        return step

    def _to_device(self, array: np.ndarray) -> Any:
        import torch

        return torch.from_numpy(array).to(self.device_)

    def _fake(self, n: int, generator: Any, cond: Any) -> tuple[Any, Any]:
        """(activated rows, raw outputs) for n noise vectors (and conditions)."""
        import torch

        noise = torch.randn((n, int(self.embedding_dim)), generator=generator, device=self.device_)
        raw = self.generator_(noise if cond is None else torch.cat([noise, cond], dim=1))
        return self.activation_(raw, tau=0.2, generator=generator), raw

    def _condition_loss(self, raw: Any, columns: np.ndarray, categories: np.ndarray) -> Any:
        """Cross-entropy of the generated category against the condition, per row's column."""
        import torch

        if not hasattr(self, "_cond_index"):
            spans = self.layout_.category_spans
            width = max(s.size for s in spans)
            index = np.zeros((len(spans), width), dtype=np.int64)
            valid = np.zeros((len(spans), width), dtype=bool)
            for j, span in enumerate(spans):
                index[j, : span.size] = np.arange(span.start, span.start + span.size)
                valid[j, : span.size] = True
            self._cond_index = self._to_device(index)
            self._cond_valid = self._to_device(valid)
        cols = torch.from_numpy(columns).to(self.device_)
        logits = raw.gather(1, self._cond_index[cols])
        logits = logits.masked_fill(~self._cond_valid[cols], float("-inf"))
        target = torch.from_numpy(categories).to(self.device_)
        return torch.nn.functional.cross_entropy(logits, target)

    # ------------------------------------------------------------------ sampling
    def _generate(self, n: int, generator: Any, rng: np.random.Generator, condition: Any) -> Any:
        cond = None
        if self.sampler_ is not None:
            if condition is None:
                columns, categories = self.sampler_.draw_generation(n, rng)
            else:
                columns = np.full(n, condition[0], dtype=np.int64)
                categories = np.full(n, condition[1], dtype=np.int64)
            cond = self._to_device(self.sampler_.one_hot(columns, categories))
        fake, _ = self._fake(n, generator, cond)
        return fake

    def _extra_state(self) -> dict[str, Any]:
        return self.sampler_.get_state("sampler.") if self.sampler_ is not None else {}

    def _load_extra(self, state: dict[str, Any]) -> None:
        self.sampler_ = (
            ConditionSampler.from_state(state, "sampler.") if "sampler.sizes" in state else None
        )

    # ------------------------------------------------------------------ loss hooks
    def _critic_loss(self, real: Any, fake: Any, generator: Any) -> Any:
        raise NotImplementedError

    def _generator_loss(self, fake_scores: Any) -> Any:
        raise NotImplementedError

    def _after_critic_step(self) -> None:
        """Called after each critic update."""
