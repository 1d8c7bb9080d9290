"""Network pieces the neural models share: seeded layers, MLPs and span-wise output activations.

Every random draw (weight initialisation, dropout masks, Gumbel noise) takes an explicit
`torch.Generator`, so a model's seed fixes its output without touching torch's global RNG.
This module imports torch; the models import it only inside their methods.
"""

from __future__ import annotations

import math

import torch  # noqa: TID253 -- imported lazily by the neural models only
from torch import nn  # noqa: TID253

from lookalike.models.neural.data import Span


def linear(n_in: int, n_out: int, generator: torch.Generator) -> nn.Linear:
    """A Linear layer initialised like torch's default, but from `generator`."""
    layer = nn.utils.skip_init(nn.Linear, n_in, n_out)
    bound = 1.0 / math.sqrt(max(n_in, 1))
    with torch.no_grad():
        layer.weight.uniform_(-bound, bound, generator=generator)
        layer.bias.uniform_(-bound, bound, generator=generator)
    return layer


class ResidualBlock(nn.Module):
    """Linear-BatchNorm-ReLU whose output is concatenated to its input."""

    def __init__(self, n_in: int, n_out: int, generator: torch.Generator) -> None:
        super().__init__()
        self.fc = linear(n_in, n_out, generator)
        self.bn = nn.BatchNorm1d(n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The block's output with its input appended (a residual connection)."""
        return torch.cat([torch.relu(self.bn(self.fc(x))), x], dim=1)


def residual_generator(
    n_in: int, hidden: tuple[int, ...], n_out: int, generator: torch.Generator
) -> nn.Sequential:
    """Residual blocks then a linear output (the CTGAN generator shape)."""
    layers: list[nn.Module] = []
    width = n_in
    for size in hidden:
        layers.append(ResidualBlock(width, size, generator))
        width += size
    layers.append(linear(width, n_out, generator))
    return nn.Sequential(*layers)


def mlp(
    n_in: int, hidden: tuple[int, ...], n_out: int, generator: torch.Generator
) -> nn.Sequential:
    """Linear-ReLU layers and a linear output."""
    layers: list[nn.Module] = []
    width = n_in
    for size in hidden:
        layers += [linear(width, size, generator), nn.ReLU()]
        width = size
    layers.append(linear(width, n_out, generator))
    return nn.Sequential(*layers)


class NoisyDecoder(nn.Module):
    """An MLP decoder with a learned noise scale `sigma` per output (for the value spans)."""

    def __init__(
        self, n_in: int, hidden: tuple[int, ...], n_out: int, generator: torch.Generator
    ) -> None:
        super().__init__()
        self.net = mlp(n_in, hidden, n_out, generator)
        self.sigma = nn.Parameter(torch.full((n_out,), 0.1))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Rows (before activation) from noise `z`."""
        return self.net(z)  # type: ignore[no-any-return]


class SeededDropout(nn.Module):
    """Dropout whose masks come from a torch.Generator instead of the global RNG."""

    def __init__(self, p: float, generator: torch.Generator) -> None:
        super().__init__()
        self.p = p
        self.generator = generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """`x` with dropout in training, unchanged otherwise."""
        if not self.training or self.p == 0:
            return x
        keep = torch.rand(x.shape, generator=self.generator, device=x.device) >= self.p
        return x * keep / (1.0 - self.p)


def critic(
    n_in: int, hidden: tuple[int, ...], dropout: float, generator: torch.Generator
) -> nn.Sequential:
    """Linear-LeakyReLU-Dropout layers and one linear score per (packed) input row."""
    layers: list[nn.Module] = []
    width = n_in
    for size in hidden:
        layers += [
            linear(width, size, generator),
            nn.LeakyReLU(0.2),
            SeededDropout(dropout, generator),
        ]
        width = size
    layers.append(linear(width, 1, generator))
    return nn.Sequential(*layers)


class SpanActivation:
    """Tanh on value spans and a (Gumbel-)softmax on each softmax span, vectorised.

    Softmax spans are bucketed by width (sizes padded up to a power of two with -inf logits), so
    a whole bucket is one (batch, spans, width) block and the number of tensor operations stays
    small whatever the number of columns.
    """

    def __init__(self, spans: list[Span], dim: int, device: torch.device) -> None:
        self.dim = dim
        self.tanh = torch.tensor(
            [s.start for s in spans if s.activation == "tanh"], dtype=torch.long, device=device
        )
        buckets: dict[int, list[list[int]]] = {}
        for span in spans:
            if span.activation == "softmax":
                width = 1 << max(1, (span.size - 1).bit_length())
                columns = list(range(span.start, span.start + span.size))
                buckets.setdefault(width, []).append(columns + [dim] * (width - span.size))
        # index (spans, width) into the padded matrix; column `dim` is the -inf / zero pad
        self.groups = [
            torch.tensor(rows, dtype=torch.long, device=device)
            for _, rows in sorted(buckets.items())
        ]
        order = torch.cat([self.tanh] + [g.reshape(-1) for g in self.groups])
        valid = order < dim
        self.restore = torch.empty(dim, dtype=torch.long, device=device)
        self.restore[order[valid]] = torch.arange(len(order), device=device)[valid]

    def pad(self, matrix: torch.Tensor, value: float = float("-inf")) -> torch.Tensor:
        """`matrix` with one more column of `value`, which the padded indexes point to."""
        return torch.cat([matrix, matrix.new_full((matrix.shape[0], 1), value)], dim=1)

    def __call__(
        self,
        raw: torch.Tensor,
        tau: float = 0.2,
        generator: torch.Generator | None = None,
        hard: bool = False,
    ) -> torch.Tensor:
        """Activated outputs; with a generator, softmax spans get Gumbel noise (a draw)."""
        padded = self.pad(raw)
        parts = [torch.tanh(raw[:, self.tanh])]
        for index in self.groups:
            logits = padded[:, index]
            if generator is not None:
                logits = logits + gumbel(logits.shape, generator, raw.device)
            if hard:
                soft = nn.functional.one_hot(logits.argmax(-1), logits.shape[-1]).to(raw.dtype)
            else:
                soft = torch.softmax(logits / tau, dim=-1)
            parts.append(soft.reshape(raw.shape[0], -1))
        return torch.cat(parts, dim=1)[:, self.restore]


def gumbel(shape: torch.Size, generator: torch.Generator, device: torch.device) -> torch.Tensor:
    """Standard Gumbel noise drawn from `generator`."""
    u = torch.rand(shape, generator=generator, device=device).clamp_(1e-10, 1 - 1e-10)
    return -torch.log(-torch.log(u))


def pack(rows: torch.Tensor, pac: int) -> torch.Tensor:
    """Groups of `pac` rows side by side (PacGAN): (n, d) -> (n / pac, pac * d)."""
    return rows.reshape(-1, pac * rows.shape[1])


def state_arrays(module: nn.Module, prefix: str) -> dict[str, object]:
    """A module's state_dict as numpy arrays under flat string keys."""
    return {f"{prefix}{k}": v.detach().cpu().numpy() for k, v in module.state_dict().items()}


def load_arrays(module: nn.Module, state: dict[str, object], prefix: str) -> None:
    """Load numpy arrays written by `state_arrays` into `module` (strict: every key must match)."""
    import numpy as np

    weights = {
        k[len(prefix) :]: torch.from_numpy(np.array(v))
        for k, v in state.items()
        if k.startswith(prefix)
    }
    module.load_state_dict(weights, strict=True)


class Adam:
    """Adam (with L2 weight decay), as torch.optim.Adam computes it.

    Written out because constructing a torch.optim optimizer imports torch._dynamo, which costs
    seconds at every start of a command-line fit; these few tensor ops cost nothing.
    """

    def __init__(
        self,
        params: list[nn.Parameter],
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        weight_decay: float = 0.0,
        eps: float = 1e-8,
    ) -> None:
        self.params = [p for p in params if p.requires_grad]
        self.lr, self.betas, self.weight_decay, self.eps = lr, betas, weight_decay, eps
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]
        self.t = 0

    def zero_grad(self) -> None:
        """Clear the gradients of every parameter."""
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self) -> None:
        """One optimiser step over every parameter."""
        self.t += 1
        beta1, beta2 = self.betas
        correction1 = 1 - beta1**self.t
        root2 = math.sqrt(1 - beta2**self.t)
        for p, m, v in zip(self.params, self.m, self.v, strict=True):
            if p.grad is None:
                continue
            grad = p.grad if not self.weight_decay else p.grad.add(p, alpha=self.weight_decay)
            m.mul_(beta1).add_(grad, alpha=1 - beta1)
            v.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            p.addcdiv_(m, v.sqrt().div_(root2).add_(self.eps), value=-self.lr / correction1)
