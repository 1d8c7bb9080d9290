"""The contract of the torch models: one `NeuralModel` class driving a plain network component.

A neural model declares its parameters and builds its network in `_network()`: an object with
the methods of `Network` below (`adversarial.Adversarial` for the GANs, `vae.Autoencoder` for
TVAE). This class does the rest: the data layout (`data.DataLayout`: encoded frame <-> float
matrix), the device and seeds, the one training loop (`training.train`, with `keep_best`
scoring each epoch via `best_epoch.BestEpoch`), sampling in bounded batches and the weights in
model files (numpy arrays of each network's state_dict: no pickle, no torch.load).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

import numpy as np
import pandas as pd

from lookalike.errors import require
from lookalike.models.base import Model, Param
from lookalike.models.neural.arguments import ARGS, COMMON
from lookalike.models.neural.data import DataLayout
from lookalike.models.neural.training import (
    resolve_device,
    seeded_generator,
    torch_threads,
    train,
)

GENERATION_BATCH = 10_000  # rows per forward pass when sampling: bounded memory for any n


class Network(Protocol):
    """What `NeuralModel` drives (built on the fitted layout and device)."""

    def prepare(self, encoded: pd.DataFrame) -> None:
        """Learn from the encoded frame what the networks' shapes need (e.g. conditions)."""

    def build(self, generator: Any) -> None:
        """Create the networks, initialised from the torch `generator`."""

    def batch_rows(self) -> int:
        """Rows per training step."""
        ...

    def trainer(
        self, data: Any, generator: Any, rng: np.random.Generator
    ) -> Callable[[], dict[str, float]]:
        """A closure doing one optimisation step on the `data` tensor, returning its losses."""
        ...

    def generate(self, n: int, generator: Any, rng: np.random.Generator, condition: Any) -> Any:
        """N activated rows (a tensor of width layout.dim)."""

    def networks(self) -> dict[str, Any]:
        """The torch modules sampling needs, by name (their weights go into model files)."""
        ...

    def get_state(self) -> dict[str, Any]:
        """State besides the weights, as JSON values and arrays."""
        ...

    def load_state(self, state: dict[str, Any]) -> None:
        """Restore `get_state`'s part, before `build`."""


class NeuralModel(Model):
    """Base of the torch models; see the module docstring. Parameters are documented per model.

    Each model declares the keyword arguments it takes with `arguments.takes` (one table, `ARGS`,
    holds what each accepts, its usual default and its doc line); this one place stores them,
    sklearn-style, as attributes of the same names.
    """

    params: ClassVar[dict[str, Param]] = {
        **Model.params,
        **{name: ARGS[name].param for name in COMMON if name != "random_state"},
    }
    # the parameters every neural model takes
    epochs: int
    batch_size: int
    normalization: str
    device: str
    max_time: float | None
    keep_best: bool
    net_: Network  # built in fit (and on load) by `_network`

    def __init__(self, **params: Any) -> None:
        super().__init__(random_state=params.pop("random_state", None))
        for key, value in params.items():
            setattr(self, key, value)

    def _network(self) -> Network:
        """The model's network component, configured from its parameters."""
        raise NotImplementedError

    def _end_epoch(self, epoch: int, losses: dict[str, float]) -> bool:
        """Called after each epoch (after `keep_best` scored it); True stops training early."""
        return False

    # ------------------------------------------------------------------ fit
    def _fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> None:
        from lookalike.models.neural.best_epoch import BestEpoch

        started = time.perf_counter()
        torch = require("torch", "torch")
        self.device_ = resolve_device(self.device)
        self.layout_ = DataLayout(self.normalization).fit(encoded, rng)
        matrix = self.layout_.transform(encoded, rng)
        self.net_ = self._network()
        with torch_threads():
            generator = seeded_generator(int(rng.integers(2**62)), self.device_)
            data = torch.from_numpy(matrix).to(self.device_)  # type: ignore[attr-defined]
            self.net_.prepare(encoded)
            self.net_.build(generator)
            best = BestEpoch(self, encoded, rng) if self.keep_best else None
            history = train(
                self.net_.trainer(data, generator, rng),
                epochs=int(self.epochs),
                steps_per_epoch=max(1, len(matrix) // self.net_.batch_rows()),
                max_time=self.max_time,
                started=started,
                desc=self.name,
                end_epoch=self._end_epoch if best is None else best.end_epoch,
            )
            self.history_ = history.to_dict()
            if best is not None:
                self.history_.update(best.restore(history))
        for network in self.net_.networks().values():
            network.eval()

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
                rows = self.net_.generate(size, generator, rng, condition)
                out[start : start + size] = rows.cpu().numpy()
        return out

    # ------------------------------------------------------------------ files
    def _get_state(self) -> dict[str, Any]:
        from lookalike.models.neural.networks import state_arrays

        # wall-clock seconds vary run to run: left out so a seed gives a byte-identical file
        history = {k: v for k, v in self.history_.items() if k != "seconds"}
        state = {**self.layout_.get_state("layout."), "history": history}
        for name, network in self.net_.networks().items():
            state.update(state_arrays(network, f"net.{name}."))
        return {**state, **self.net_.get_state()}

    def _set_state(self, state: dict[str, Any]) -> None:
        from lookalike.models.neural.networks import load_arrays

        self.layout_ = DataLayout.from_state(state, "layout.")
        self.history_ = state.get("history", {})
        self.device_ = resolve_device(self.device)
        self.net_ = self._network()
        self.net_.load_state(state)
        self.net_.build(seeded_generator(0, self.device_))  # weights are overwritten just below
        for name, network in self.net_.networks().items():
            load_arrays(network, state, f"net.{name}.")
            network.to(self.device_).eval()
