"""The one training loop every neural model runs, and the torch settings around it.

`train` calls a model's `step()` (one optimisation step, returning its losses) `steps_per_epoch`
times per epoch, shows a progress bar with the epoch's mean losses, and stops cleanly when the
epochs are done, when `max_time` seconds have passed since `started`, when the `end_epoch` hook asks
(early stopping), or on Ctrl-C: the weights trained so far are kept and the model stays usable.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lookalike._progress import progress, stop_requested
from lookalike.errors import DataError, require

logger = logging.getLogger(__name__)


@dataclass
class History:
    """What a training run did: epochs completed, why it stopped, mean losses per epoch."""

    epochs: int = 0
    stopped: str = "completed"  # completed, max_time, early_stop or interrupted
    seconds: float = 0.0
    losses: list[dict[str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON values."""
        return {
            "epochs": self.epochs,
            "stopped": self.stopped,
            "seconds": round(self.seconds, 3),
            "losses": self.losses,
        }


def train(
    step: Callable[[], dict[str, float]],
    *,
    epochs: int,
    steps_per_epoch: int,
    max_time: float | None,
    started: float,
    desc: str,
    end_epoch: Callable[[int, dict[str, float]], bool] | None = None,
) -> History:
    """Run `step` for `epochs` epochs of `steps_per_epoch` steps; see the module docstring."""
    history = History()
    deadline = started + max_time if max_time is not None else float("inf")
    bar = progress(total=epochs, desc=desc, unit="epoch")
    try:
        for epoch in range(epochs):
            sums: dict[str, float] = {}
            done = 0
            for _ in range(steps_per_epoch):
                for key, value in step().items():
                    sums[key] = sums.get(key, 0.0) + value
                done += 1
                if time.perf_counter() >= deadline:
                    history.stopped = "max_time"
                    break
                if stop_requested():  # the web app's cancel button: as Ctrl-C
                    raise KeyboardInterrupt
            means = {k: round(v / max(done, 1), 5) for k, v in sums.items()}
            history.losses.append(means)
            if done == steps_per_epoch:
                history.epochs = epoch + 1
            bar.set_postfix(means, refresh=False)
            bar.update(1)
            if history.stopped == "max_time":
                logger.info("training stopped at max_time after %d epochs", history.epochs)
                break
            if end_epoch is not None and end_epoch(epoch, means):
                history.stopped = "early_stop"
                break
    except KeyboardInterrupt:
        history.stopped = "interrupted"
        logger.warning("training interrupted; keeping the model trained so far")
    finally:
        bar.close()
        history.seconds = time.perf_counter() - started
    return history


def resolve_device(device: str) -> Any:
    """A torch.device: "auto" is CUDA when available, else CPU."""
    torch = require("torch", "torch")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")  # type: ignore[attr-defined]
    try:
        resolved = torch.device(device)  # type: ignore[attr-defined]
    except RuntimeError:
        raise DataError(f"unknown device {device!r}; use 'auto', 'cpu' or 'cuda'.") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():  # type: ignore[attr-defined]
        raise DataError("device 'cuda' asked for but no GPU is available; use device='auto'.")
    return resolved


THREADS_VARIABLE = "LOOKALIKE_TORCH_THREADS"


@contextlib.contextmanager
def torch_threads() -> Iterator[None]:
    """Run torch on one intra-op thread (or LOOKALIKE_TORCH_THREADS), restoring it afterwards.

    These networks are small (batches of hundreds, layers of a few hundred units): a second
    thread gains little on an idle machine and, measured on a busy 2-core one, made a CTGAN epoch
    ten times slower (threads spin waiting for each other). A fixed count also keeps results
    reproducible, since the count can change the order of floating-point sums: training gan,
    wgan-gp or ctgan (batch normalisation) with 2 threads gives other weights than with 1 for the
    same seed. Sampling does not depend on the count (tests/hostile/test_determinism.py).
    """
    torch = require("torch", "torch")
    before = torch.get_num_threads()  # type: ignore[attr-defined]
    wanted = os.environ.get(THREADS_VARIABLE, "1")
    try:
        threads = max(1, int(wanted))
    except ValueError:
        raise DataError(f"{THREADS_VARIABLE} must be a whole number, got {wanted!r}.") from None
    torch.set_num_threads(threads)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        torch.set_num_threads(before)  # type: ignore[attr-defined]


def seeded_generator(seed: int, device: Any) -> Any:
    """A torch.Generator on `device` seeded with `seed` (torch's global RNG is never touched)."""
    torch = require("torch", "torch")
    generator = torch.Generator(device=device)  # type: ignore[attr-defined]
    generator.manual_seed(seed)
    return generator
