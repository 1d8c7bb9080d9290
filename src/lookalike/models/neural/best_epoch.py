"""`keep_best`: score a neural model after every epoch and keep the best epoch's weights.

GAN quality swings between epochs. After each epoch `BestEpoch` generates a fixed-size sample,
scores it against a slice of the training rows (`validation.EpochScore`) and remembers the
weights of the best-scoring epoch; `restore` loads them once training stops. The generated rows
come from their own seeded torch and numpy generators, the same draw at every epoch (scores
differ by the weights alone), so scoring changes nothing in training.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import require
from lookalike.models.neural.training import seeded_generator

VALIDATION_ROWS = 5_000  # reference rows and generated rows of the per-epoch score


class BestEpoch:
    """Per-epoch scores of `model.net_` and the best weights seen; see the module docstring."""

    def __init__(self, model: Any, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        from lookalike.models.neural.validation import EpochScore

        self.model = model
        self.reference = EpochScore(encoded, VALIDATION_ROWS, rng)
        self.seed = int(rng.integers(2**62))
        self.scores: list[float] = []
        self.best_score = -np.inf
        self.best_epoch = 0
        self.weights: dict[str, dict[str, Any]] | None = None

    def end_epoch(self, epoch: int, losses: dict[str, float]) -> bool:
        """The training loop's end-of-epoch hook: score, then ask the model's own hook."""
        self.check(epoch + 1)
        return bool(self.model._end_epoch(epoch, losses))

    def check(self, epoch: int) -> None:
        """Score the current weights (check number `epoch`); remember them if they are the best."""
        torch = require("torch", "torch")
        net = self.model.net_
        networks = net.networks()
        modes = {name: network.training for name, network in networks.items()}
        for network in networks.values():
            network.eval()
        try:
            with torch.no_grad():  # type: ignore[attr-defined]
                rng = np.random.default_rng(self.seed)
                generator = seeded_generator(self.seed, self.model.device_)
                rows = net.generate(VALIDATION_ROWS, generator, rng, None)
                frame = self.model.layout_.inverse(rows.cpu().numpy())
        finally:
            for name, network in networks.items():
                network.train(modes[name])
        score = self.reference.score(frame)
        self.scores.append(round(score, 5))
        if score > self.best_score:
            self.best_score, self.best_epoch = score, epoch
            self.weights = {
                name: {k: v.detach().clone() for k, v in network.state_dict().items()}
                for name, network in networks.items()
            }

    def restore(self, history: Any) -> dict[str, Any]:
        """Load the best weights; score a last, unscored partial epoch first (max_time, Ctrl-C)."""
        if history.stopped in ("max_time", "interrupted") or not self.scores:
            self.check(len(self.scores) + 1)
        if self.weights is not None:
            for name, network in self.model.net_.networks().items():
                network.load_state_dict(self.weights[name])
        return {"scores": self.scores, "best_epoch": self.best_epoch}
