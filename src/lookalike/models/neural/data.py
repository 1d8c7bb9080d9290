"""The matrix the neural models learn from, built on the encoded frame.

`DataLayout` turns an encoded frame (continuous floats, discrete codes) into a float32 matrix and
back. Each continuous column becomes either
    "mode"      mode-specific normalisation: a Bayesian Gaussian mixture per column (fitted on a
                capped sample) picks a mode per value; the value is stored as its offset from the
                mode's mean in units of 4 standard deviations (tanh span) plus the mode one-hot
                (softmax span);
    "quantile"  one tanh span holding 2u - 1, u the value's position in the column's empirical
                distribution (ties spread over their mass), decoded by interpolating quantiles.
Each discrete column becomes a one-hot softmax span. `spans` lists the layout for the networks.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MODE_FIT_ROWS = 5_000  # rows a column's mixture is fitted on: enough for its shape, and fast
MODE_MIN_WEIGHT = 0.005  # mixture components lighter than this are dropped
QUANTILES = 1_000
_SCALE = 4.0  # offsets from a mode's mean are stored in units of 4 standard deviations


@dataclass(frozen=True)
class Span:
    """A block of matrix columns with one output activation."""

    start: int
    size: int
    activation: str  # "tanh" or "softmax"
    column: int  # index of the encoded column it belongs to
    role: str  # "value", "mode" (mixture component one-hot) or "category"


class DataLayout:
    """Fit on an encoded frame; map it to a float32 matrix and back."""

    def __init__(self, normalization: str = "mode", max_modes: int = 10) -> None:
        if normalization not in ("mode", "quantile"):
            raise ValueError(f"normalization must be 'mode' or 'quantile', got {normalization!r}")
        self.normalization = normalization
        self.max_modes = max_modes

    # ------------------------------------------------------------------ fit
    def fit(self, encoded: pd.DataFrame, rng: np.random.Generator) -> DataLayout:
        """Learn each column's encoding (modes, categories) from the encoded frame."""
        self.columns: list[dict[str, Any]] = []
        for name in encoded.columns:
            values = encoded[name].to_numpy()
            if np.issubdtype(values.dtype, np.integer):
                size = max(int(values.max()) + 1 if len(values) else 1, 1)
                self.columns.append({"name": name, "kind": "discrete", "size": size})
            elif self.normalization == "mode":
                self.columns.append(_fit_modes(name, values, self.max_modes, rng))
            else:
                grid = np.quantile(values, np.linspace(0, 1, min(QUANTILES, len(values)) or 1))
                self.columns.append({"name": name, "kind": "quantile", "grid": grid})
        self._build_spans()
        return self

    def _build_spans(self) -> None:
        self.spans: list[Span] = []
        start = 0
        for j, column in enumerate(self.columns):
            if column["kind"] == "discrete":
                self.spans.append(Span(start, column["size"], "softmax", j, "category"))
                start += column["size"]
                continue
            self.spans.append(Span(start, 1, "tanh", j, "value"))
            start += 1
            if column["kind"] == "mode":
                size = len(column["means"])
                self.spans.append(Span(start, size, "softmax", j, "mode"))
                start += size
        self.dim = start

    @property
    def category_spans(self) -> list[Span]:
        """The spans of discrete encoded columns, in column order."""
        return [s for s in self.spans if s.role == "category"]

    # ------------------------------------------------------------------ encode / decode
    def transform(self, encoded: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
        """The float32 matrix of an encoded frame (modes drawn from their posterior)."""
        n = len(encoded)
        out = np.zeros((n, self.dim), dtype=np.float32)
        rows = np.arange(n)
        for span in self.spans:
            column = self.columns[span.column]
            values = encoded[column["name"]].to_numpy()
            if span.role == "category":
                out[rows, span.start + values.astype(np.int64)] = 1.0
            elif column["kind"] == "quantile":
                out[:, span.start] = 2.0 * _positions(values, rng) - 1.0
            elif span.role == "value":
                mode = _draw_modes(values.astype(float), column, rng)
                means, stds = np.asarray(column["means"]), np.asarray(column["stds"])
                scale = _SCALE * np.where(stds[mode] > 0, stds[mode], 1.0)
                out[:, span.start] = np.clip((values - means[mode]) / scale, -0.99, 0.99)
                out[rows, span.start + 1 + mode] = 1.0
        return out

    def inverse(self, matrix: np.ndarray) -> pd.DataFrame:
        """The encoded frame of a matrix: argmax of softmax spans, values decoded."""
        out: dict[str, np.ndarray] = {}
        for span in self.spans:
            column = self.columns[span.column]
            block = matrix[:, span.start : span.start + span.size]
            if span.role == "category":
                out[column["name"]] = block.argmax(axis=1).astype(np.int64)
            elif column["kind"] == "quantile":
                grid = np.asarray(column["grid"], dtype=float)
                u = (np.clip(block[:, 0].astype(float), -1.0, 1.0) + 1.0) / 2.0
                out[column["name"]] = np.interp(u, np.linspace(0, 1, len(grid)), grid)
            elif span.role == "value":
                modes = matrix[:, span.start + 1 : span.start + 1 + len(column["means"])]
                mode = modes.argmax(axis=1)
                means, stds = np.asarray(column["means"]), np.asarray(column["stds"])
                alpha = np.clip(block[:, 0].astype(float), -1.0, 1.0)
                out[column["name"]] = alpha * _SCALE * stds[mode] + means[mode]
        return pd.DataFrame(out)

    # ------------------------------------------------------------------ state
    def get_state(self, prefix: str) -> dict[str, Any]:
        """JSON values and arrays under keys starting with `prefix`."""
        state: dict[str, Any] = {
            f"{prefix}normalization": self.normalization,
            f"{prefix}max_modes": self.max_modes,
            f"{prefix}columns": [{k: v for k, v in c.items() if k != "grid"} for c in self.columns],
        }
        for j, column in enumerate(self.columns):
            if "grid" in column:
                state[f"{prefix}grid.{j}"] = np.asarray(column["grid"], dtype=float)
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any], prefix: str) -> DataLayout:
        """The layout saved under `prefix` by `get_state`."""
        self = cls(state[f"{prefix}normalization"], int(state[f"{prefix}max_modes"]))
        self.columns = [dict(c) for c in state[f"{prefix}columns"]]
        for j, column in enumerate(self.columns):
            if column["kind"] == "quantile":
                column["grid"] = np.asarray(state[f"{prefix}grid.{j}"], dtype=float)
        self._build_spans()
        return self


# ---------------------------------------------------------------------- helpers
def _fit_modes(
    name: str, values: np.ndarray, max_modes: int, rng: np.random.Generator
) -> dict[str, Any]:
    """A Bayesian Gaussian mixture on a capped sample; components as means, stds, weights."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import BayesianGaussianMixture

    values = values.astype(float)
    sample = values if len(values) <= MODE_FIT_ROWS else rng.choice(values, MODE_FIT_ROWS, False)
    centre, spread = float(np.mean(sample)), float(np.std(sample))
    n_unique = len(np.unique(sample))
    if n_unique < 2 or spread == 0:
        return {"name": name, "kind": "mode", "means": [centre], "stds": [0.0], "weights": [1.0]}
    mixture = BayesianGaussianMixture(
        n_components=min(max_modes, n_unique),
        weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=0.001,
        max_iter=100,
        n_init=1,
        random_state=int(rng.integers(2**31 - 1)),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mixture.fit(((sample - centre) / spread).reshape(-1, 1))
    keep = mixture.weights_ > MODE_MIN_WEIGHT
    if not keep.any():
        keep = mixture.weights_ == mixture.weights_.max()
    means = mixture.means_[keep, 0] * spread + centre
    stds = np.sqrt(mixture.covariances_[keep].reshape(-1)) * spread
    weights = mixture.weights_[keep] / mixture.weights_[keep].sum()
    return {
        "name": name,
        "kind": "mode",
        "means": means.tolist(),
        "stds": stds.tolist(),
        "weights": weights.tolist(),
    }


def _draw_modes(values: np.ndarray, column: dict[str, Any], rng: np.random.Generator) -> Any:
    """A mode per value, drawn from the mixture's posterior (vectorised inverse-CDF draw)."""
    means = np.asarray(column["means"])
    if len(means) == 1:
        return np.zeros(len(values), dtype=np.int64)
    stds = np.maximum(np.asarray(column["stds"]), 1e-12)
    log_p = (
        np.log(np.asarray(column["weights"]))
        - np.log(stds)
        - 0.5 * ((values[:, None] - means) / stds) ** 2
    )
    log_p -= log_p.max(axis=1, keepdims=True)
    post = np.exp(log_p)
    cum = np.cumsum(post, axis=1)
    u = rng.random(len(values))[:, None] * cum[:, -1:]
    return np.minimum((cum < u).sum(axis=1), len(means) - 1)


def _positions(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each value's position in (0, 1) in its own distribution, ties spread uniformly."""
    n = len(values)
    order = np.sort(values)
    below = np.searchsorted(order, values, side="left") / n
    above = np.searchsorted(order, values, side="right") / n
    return np.clip(below + rng.random(n) * (above - below), 1e-6, 1 - 1e-6)
