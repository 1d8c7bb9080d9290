"""Worker processes that die with their parent, and a pool that stops at once when asked.

A sampling pool (`lookalike.scale.parallel`) starts workers through a forkserver. If the parent
is killed (`kill -9`, an OOM kill), nothing tells the workers: they would finish their chunk and
linger. So each worker watches its parent: a thread polls the parent's pid and ends the worker as
soon as the parent is gone (on Linux the kernel also sends SIGKILL when the forkserver, the
worker's direct parent, exits). Workers ignore SIGINT: on Ctrl-C, which reaches the whole process
group, the parent alone decides, stops the pool and removes its temp files.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

POLL_SECONDS = 0.5
_PARENT_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def shielded_children() -> Iterator[None]:
    """Processes started inside the block never see Ctrl-C or SIGTERM meant for the parent.

    While the block runs, the signals are blocked in this thread (a child, such as the
    forkserver, which imports lookalike before it ignores SIGINT itself, inherits the blocked
    mask) and the Python handlers only note them (another thread may receive the signal). When
    the block ends, a noted signal is raised again, so the parent handles it after the children
    have started rather than in the middle of starting one.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield
        return
    noted: list[int] = []
    handlers = {sig: signal.signal(sig, lambda s, f: noted.append(s)) for sig in _PARENT_SIGNALS}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _PARENT_SIGNALS)
    try:
        yield
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)  # a blocked one arrives here
        for number in dict.fromkeys(noted):
            signal.raise_signal(number)


def become_worker(parent_pid: int) -> None:
    """Call first thing in a worker process: ignore Ctrl-C and die with `parent_pid`."""
    with contextlib.suppress(ValueError, OSError):  # not the main thread / no signals here
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if hasattr(signal, "pthread_sigmask"):  # `kill -TERM WORKER` still ends a worker
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    _kill_me_with_my_parent()
    watcher = threading.Thread(
        target=_watch, args=(parent_pid,), name="lookalike-parent-watch", daemon=True
    )
    watcher.start()


def _kill_me_with_my_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)


def _watch(parent_pid: int) -> None:
    while True:
        if not _alive(parent_pid):
            os._exit(1)
        time.sleep(POLL_SECONDS)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_STOPPED: list[bool] = []  # a pool was killed in this process (see `end_after_stopped_pool`)


def stop_pool(pool: Any) -> None:
    """Kill the workers of a ProcessPoolExecutor now (on an interrupt no chunk is waited for)."""
    _STOPPED.append(True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)


def pools_stopped() -> int:
    """How many pools `stop_pool` has killed in this process so far."""
    return len(_STOPPED)


def end_after_stopped_pool(code: int, since: int) -> None:
    """End this process now with `code` if a pool was killed in it after `since` pools were
    (`pools_stopped()` before the command), skipping exit hooks.

    The cleanup (temp files, a staging table) has run by then. After its workers are killed, a
    ProcessPoolExecutor's manager thread may never finish: the interpreter's exit joins it and
    hangs (seen once in 9 SIGTERM runs), or its exit hook writes to a closed pipe and prints a
    traceback after the one `error:` line. So the command ends here instead.
    """
    if len(_STOPPED) > since:
        import multiprocessing.util

        with contextlib.suppress(Exception):  # unlink the pool's semaphores (no leak warning)
            multiprocessing.util._run_finalizers(0)  # type: ignore[attr-defined]
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
