"""Progress bars that every long step shares, and the one switch (`quiet`) that silences them.

`observe(watcher)` also reports every bar's steps to `watcher.step(desc, done, total)` (the web
app's progress page) and lets long work stop early through `stop_requested()`, which the training
loops check: work stopped that way keeps what it has learned, as after Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_quiet: ContextVar[bool] = ContextVar("lookalike_quiet", default=False)
_watcher: ContextVar[Any] = ContextVar("lookalike_watcher", default=None)


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


@contextlib.contextmanager
def observe(watcher: Any) -> Iterator[None]:
    """Inside the block, every bar calls `watcher.step(desc, done, total, unit)` after each
    step, and `stop_requested()` returns `watcher.stop_requested()`.
    """
    token = _watcher.set(watcher)
    try:
        yield
    finally:
        _watcher.reset(token)


def stop_requested() -> bool:
    """True when the watcher of this context asked long work to stop early and keep its result."""
    watcher = _watcher.get()
    return bool(watcher is not None and watcher.stop_requested())


def progress(
    iterable: Iterable[T] | None = None, *, total: int | None = None, desc: str = "", **kw: Any
) -> Any:
    """A tqdm bar on stderr, or a silent pass-through in quiet mode."""
    from tqdm.auto import tqdm

    watcher = _watcher.get()
    if watcher is not None and iterable is not None:
        if total is None and hasattr(iterable, "__len__"):
            total = len(iterable)  # type: ignore[arg-type]
        return _watched(iterable, watcher, desc, total, kw.get("unit", "step"))
    bar = tqdm(
        iterable,
        total=total,
        desc=desc,
        disable=is_quiet(),
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
        **kw,
    )
    if watcher is not None:
        unit = kw.get("unit", "step")
        watcher.step(desc, 0, total, unit)
        update, done = bar.update, [0.0]  # a disabled (quiet) bar does not count its steps

        def reported(n: float | None = 1) -> bool | None:
            done[0] += 1 if n is None else n
            watcher.step(desc, done[0], total, unit)
            return update(n)  # type: ignore[no-any-return]

        bar.update = reported
    return bar


def _watched(
    iterable: Iterable[T], watcher: Any, desc: str, total: int | None, unit: str
) -> Iterator[T]:
    watcher.step(desc, 0, total, unit)
    for done, item in enumerate(iterable, start=1):
        yield item
        watcher.step(desc, done, total, unit)
