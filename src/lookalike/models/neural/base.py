"""What the neural models share: the data layout, devices, seeds, the training run and files.

A subclass builds its networks (`_build`), returns a one-step training closure (`_trainer`),
generates activated rows (`_generate`) and names the networks sampling needs (`_networks`); this
class turns the encoded frame into a tensor, runs `training.train`, decodes samples in chunks and
saves weights as numpy arrays of each network's state_dict (no pickle, no torch.load).
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

GENERATION_BATCH = 10_000  # rows per forward pass when sampling: bounded memory for any n


class NeuralModel(Model):
    """Base of the torch models; see the module docstring. Parameters are documented per model."""

    def __init__(
        self,
        *,
        epochs: int,
        batch_size: int,
        normalization: str,
        random_state: int | None,
        device: str,
        max_time: float | None,
    ) -> None:
        super().__init__(random_state=random_state)
        self.epochs = epochs
        self.batch_size = batch_size
        self.normalization = normalization
        self.device = device
        self.max_time = max_time

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
            step = self._trainer(data, generator, rng)
            history = train(
                step,
                epochs=int(self.epochs),
                steps_per_epoch=max(1, len(matrix) // self._batch()),
                max_time=self.max_time,
                started=started,
                desc=self.name,
                end_epoch=self._end_epoch,
            )
        self.history_ = history.to_dict()
        for network in self._networks().values():
            network.eval()

    def _check_params(self) -> None:
        for key in ("epochs", "batch_size"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise DataError(f"{key} must be a whole number of 1 or more, got {value!r}.")
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
        """n activated rows as a float32 matrix, made GENERATION_BATCH rows at a time."""
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

        state = {**self.layout_.get_state("layout."), "history": self.history_}
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
        """n activated rows (a tensor of width layout_.dim)."""
        raise NotImplementedError

    def _networks(self) -> dict[str, Any]:
        """The networks whose weights sampling needs, by name."""
        raise NotImplementedError

    def _extra_state(self) -> dict[str, Any]:
        return {}

    def _load_extra(self, state: dict[str, Any]) -> None:
        """Restore what `_extra_state` saved, before `_build` runs."""
