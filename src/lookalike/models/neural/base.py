"""What the neural models share: the data layout, devices, seeds, the training run and files.

A subclass builds its networks (`_build`), returns a one-step training closure (`_trainer`),
generates activated rows (`_generate`) and names the networks sampling needs (`_networks`); this
class turns the encoded frame into a tensor, runs `training.train`, decodes samples in chunks and
saves weights as numpy arrays of each network's state_dict (no pickle, no torch.load). With
`keep_best`, each epoch is scored (`validation.EpochScore`) and the best epoch's weights are kept.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import DataError, require
from lookalike.models.base import Model
from lookalike.models.neural.data import DataLayout
from lookalike.models.neural.training import (
    resolve_device,
    seeded_generator,
    torch_threads,
    train,
)
from lookalike.values import check_whole

GENERATION_BATCH = 10_000  # rows per forward pass when sampling: bounded memory for any n
VALIDATION_ROWS = 5_000  # reference rows and generated rows of the per-epoch score (keep_best)


class NeuralModel(Model):
    """Base of the torch models; see the module docstring. Parameters are documented per model.

    Each model spells out its keyword arguments and defaults in its own signature (what
    `get_params` and the docs read) and hands them here with `super().__init__(**arguments(
    locals()))`; this one place stores them, sklearn-style, as attributes of the same names.
    """

    # the parameters every neural model takes
    epochs: int
    batch_size: int
    normalization: str
    device: str
    max_time: float | None
    keep_best: bool

    def __init__(self, **params: Any) -> None:
        super().__init__(random_state=params.pop("random_state", None))
        for key, value in params.items():
            setattr(self, key, value)

    # ------------------------------------------------------------------ fit
    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        started = time.perf_counter()
        torch = require("torch", "torch")
        self._check_params()
        self.device_ = resolve_device(self.device)
        self.layout_ = DataLayout(self.normalization).fit(encoded, rng)
        matrix = self.layout_.transform(encoded, rng)
        with torch_threads():
            generator = seeded_generator(int(rng.integers(2**62)), self.device_)
            data = torch.from_numpy(matrix).to(self.device_)  # type: ignore[attr-defined]
            self._prepare(encoded, rng)
            self._build(generator)
            best = _BestEpoch(self, encoded, rng) if self.keep_best else None
            step = self._trainer(data, generator, rng)
            history = train(
                step,
                epochs=int(self.epochs),
                steps_per_epoch=max(1, len(matrix) // self._batch()),
                max_time=self.max_time,
                started=started,
                desc=self.name,
                end_epoch=self._end_epoch if best is None else best.end_epoch,
            )
            self.history_ = history.to_dict()
            if best is not None:
                self.history_.update(best.restore(history))
        for network in self._networks().values():
            network.eval()

    def _check_params(self) -> None:
        for key in ("epochs", "batch_size"):
            check_whole(getattr(self, key), key)
        if self.max_time is not None and not self.max_time > 0:
            raise DataError(f"max_time must be a positive number of seconds, got {self.max_time}.")
        if self.normalization not in ("mode", "quantile"):
            raise DataError(
                f"normalization must be 'mode' or 'quantile', got {self.normalization!r}."
            )

    def _batch(self) -> int:
        return int(self.batch_size)

    # ------------------------------------------------------------------ sample
    def _sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        return self.layout_.inverse(self._generate_rows(n, rng, None))

    def _generate_rows(self, n: int, rng: np.random.Generator, condition: Any) -> np.ndarray:
        """N activated rows as a float32 matrix, made GENERATION_BATCH rows at a time."""
        torch = require("torch", "torch")
        out = np.empty((n, self.layout_.dim), dtype=np.float32)
        with torch_threads(), torch.no_grad():  # type: ignore[attr-defined]
            generator = seeded_generator(int(rng.integers(2**62)), self.device_)
            for start in range(0, n, GENERATION_BATCH):
                size = min(GENERATION_BATCH, n - start)
                rows = self._generate(size, generator, rng, condition)
                out[start : start + size] = rows.cpu().numpy()
        return out

    # ------------------------------------------------------------------ files
    def _get_state(self) -> dict[str, Any]:
        from lookalike.models.neural.networks import state_arrays

        # wall-clock seconds vary run to run: left out so a seed gives a byte-identical file
        history = {k: v for k, v in self.history_.items() if k != "seconds"}
        state = {**self.layout_.get_state("layout."), "history": history}
        for name, network in self._networks().items():
            state.update(state_arrays(network, f"net.{name}."))
        return {**state, **self._extra_state()}

    def _set_state(self, state: dict[str, Any]) -> None:
        from lookalike.models.neural.networks import load_arrays

        self.layout_ = DataLayout.from_state(state, "layout.")
        self.history_ = state.get("history", {})
        self.device_ = resolve_device(self.device)
        self._load_extra(state)
        self._build(seeded_generator(0, self.device_))  # weights are overwritten just below
        for name, network in self._networks().items():
            load_arrays(network, state, f"net.{name}.")
            network.to(self.device_).eval()

    # ------------------------------------------------------------------ hooks
    def _prepare(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        """Learn anything besides the layout that `_build` needs (e.g. a condition sampler)."""

    def _build(self, generator: Any) -> None:
        """Create the networks on `self.device_`, initialised from `generator`."""
        raise NotImplementedError

    def _trainer(
        self, data: Any, generator: Any, rng: np.random.Generator
    ) -> Callable[[], dict[str, float]]:
        """A closure doing one optimisation step on `data` and returning its losses."""
        raise NotImplementedError

    def _end_epoch(self, epoch: int, losses: dict[str, float]) -> bool:
        """Called after each epoch; True stops training early."""
        return False

    def _generate(self, n: int, generator: Any, rng: np.random.Generator, condition: Any) -> Any:
        """N activated rows (a tensor of width layout_.dim)."""
        raise NotImplementedError

    def _networks(self) -> dict[str, Any]:
        """The networks whose weights sampling needs, by name."""
        raise NotImplementedError

    def _extra_state(self) -> dict[str, Any]:
        return {}

    def _load_extra(self, state: dict[str, Any]) -> None:
        """Restore what `_extra_state` saved, before `_build` runs."""


def arguments(names: dict[str, Any]) -> dict[str, Any]:
    """A constructor's `locals()` as keyword arguments (without `self` and `__class__`)."""
    return {k: v for k, v in names.items() if k not in ("self", "__class__")}


class _BestEpoch:
    """Score the model after each epoch (`validation.EpochScore`) and keep the best weights.

    The generated rows come from their own seeded torch and numpy generators, the same draw at
    every epoch (scores differ by the weights alone), so scoring changes nothing in training.
    """

    def __init__(self, model: NeuralModel, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        from lookalike.models.neural.validation import EpochScore

        self.model = model
        self.reference = EpochScore(encoded, VALIDATION_ROWS, rng)
        self.seed = int(rng.integers(2**62))
        self.scores: list[float] = []
        self.best_score = -np.inf
        self.best_epoch = 0
        self.weights: dict[str, dict[str, Any]] | None = None

    def end_epoch(self, epoch: int, losses: dict[str, float]) -> bool:
        self.check(epoch + 1)
        return self.model._end_epoch(epoch, losses)

    def check(self, epoch: int) -> None:
        """Score the current weights (check number `epoch`); remember them if they are the best."""
        torch = require("torch", "torch")
        networks = self.model._networks()
        modes = {name: network.training for name, network in networks.items()}
        for network in networks.values():
            network.eval()
        try:
            with torch.no_grad():  # type: ignore[attr-defined]
                rng = np.random.default_rng(self.seed)
                generator = seeded_generator(self.seed, self.model.device_)
                rows = self.model._generate(VALIDATION_ROWS, generator, rng, None)
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
            for name, network in self.model._networks().items():
                network.load_state_dict(self.weights[name])
        return {"scores": self.scores, "best_epoch": self.best_epoch}
