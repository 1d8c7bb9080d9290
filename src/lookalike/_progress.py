"""Progress bars that every long step shares, and the one switch (`quiet`) that silences them."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_quiet: ContextVar[bool] = ContextVar("lookalike_quiet", default=False)


def set_quiet(quiet: bool) -> None:
    """Silence (True) or allow (False) progress bars for the rest of this context."""
    _quiet.set(quiet)


@contextlib.contextmanager
def quiet_mode(quiet: bool = True) -> Iterator[None]:
    """Silence progress bars inside a `with` block."""
    token = _quiet.set(quiet)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    """True when progress output is off (quiet mode, or LOOKALIKE_QUIET=1 in the environment)."""
    return _quiet.get() or os.environ.get("LOOKALIKE_QUIET", "") not in ("", "0")


def progress(
    iterable: Iterable[T] | None = None, *, total: int | None = None, desc: str = "", **kw: Any
) -> Any:
    """A tqdm bar on stderr, or a silent pass-through in quiet mode."""
    from tqdm.auto import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        disable=is_quiet(),
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
        **kw,
    )
