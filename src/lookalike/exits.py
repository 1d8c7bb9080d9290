"""How a `lookalike` command ends: exit codes, one `error:` line, signals.

    0    success (also `--help`, `--version`, and bare `lookalike`, which prints the help)
    1    an unexpected failure (a bug): a traceback, then one `error:` line asking for a report
    2    a usage mistake (unknown command or option, missing argument, bad value) or bad input
         (any LookalikeError, any OSError such as a full disk or a read-only folder)
    130  interrupted by Ctrl-C (SIGINT); 143 terminated by SIGTERM: one `error:` line, temp files
         removed, worker processes stopped. SIGINT stays Python's KeyboardInterrupt (so neural
         training keeps the epochs done, see models/neural/training.py); SIGTERM raises
         `Terminated`, which nothing in lookalike catches.

Usage errors are recognised by their base class, found through `typer.BadParameter` (typer >= 0.22
vendors click as `typer._click`, older typer re-exports click's), so this works whichever click
copy typer uses. Every line is masked with `mask_url` before it is printed.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from types import FrameType
from typing import Any

import typer

from lookalike.errors import LookalikeError
from lookalike.masking import mask_url
from lookalike.os_errors import os_error_message

EXIT_OK, EXIT_BUG, EXIT_USAGE = 0, 1, 2


EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130, as shells report a process ended by a signal
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143


class Terminated(BaseException):
    """Raised in the main thread by SIGTERM; a BaseException, so no `except Exception` stops it."""


def say_error(message: str) -> None:
    """Print `error: MESSAGE` as one line on stderr, after clearing any progress bar."""
    close_progress_bars()
    text = " ".join(mask_url(message).split())
    typer.secho(f"error: {text}", err=True, fg=typer.colors.RED)


def close_progress_bars() -> None:
    """Close live tqdm bars, so an error is not printed on a bar's line."""
    tqdm_module = sys.modules.get("tqdm.std")
    if tqdm_module is None:
        return
    for bar in list(getattr(tqdm_module.tqdm, "_instances", ())):
        try:
            bar.leave = False
            bar.close()
        except Exception:  # a bar half torn down by the error itself
            continue


def _usage_error_types() -> tuple[type[BaseException], ...]:
    found = [c for c in type.mro(typer.BadParameter) if c.__name__ == "ClickException"]
    return tuple(found)


def _is_usage_error(error: BaseException) -> bool:
    if isinstance(error, _usage_error_types()):
        return True
    module = type(error).__module__
    return module.startswith(("click", "typer")) and hasattr(error, "format_message")


def _usage_message(error: Any) -> tuple[str, int]:
    """(message, exit code) of a click/typer usage error; bare `lookalike` gives the help."""
    if type(error).__name__ == "NoArgsIsHelpError":  # click >= 8.2: "no arguments" shows help
        return str(error.format_message()), EXIT_OK
    message = " ".join(str(error.format_message()).split()).rstrip(".")
    message = re.sub(r"(Did you mean [^?]*\?)( \1)+", r"\1", message)  # typer 0.20 says it twice
    ctx = getattr(error, "ctx", None)
    path = getattr(ctx, "command_path", "") or "lookalike"
    return f"{message} (see `{path} --help`).", EXIT_USAGE


def _handler(signum: int, frame: FrameType | None) -> None:
    # a second signal while cleaning up after the first: stop now (stale temp files are removed
    # by the next run, see lookalike.io.atomic)
    for again in (signal.SIGINT, signal.SIGTERM):
        signal.signal(again, lambda s, f: os._exit(128 + s))
    if signum == signal.SIGTERM:
        raise Terminated()
    raise KeyboardInterrupt


def install_signal_handlers() -> dict[int, Any]:
    """SIGINT raises KeyboardInterrupt, SIGTERM `Terminated` (cleanup runs, exit 130/143).

    Returns the handlers they replace.
    """
    return {signum: signal.signal(signum, _handler) for signum in (signal.SIGINT, signal.SIGTERM)}


def run(app: Callable[..., Any], argv: Sequence[str] | None = None) -> int:
    """Run a typer app as the `lookalike` command; returns the exit code (see module docstring)."""
    previous = install_signal_handlers()
    try:
        return _run(app, argv)
    except BrokenPipeError:  # `lookalike ... | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BUG
    finally:  # when called in-process (tests, a notebook), leave the caller's handlers as they were
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _run(app: Callable[..., Any], argv: Sequence[str] | None) -> int:
    try:
        code = app(
            args=list(argv) if argv is not None else None,
            prog_name="lookalike",
            standalone_mode=False,
        )
    except Terminated:
        say_error("terminated (SIGTERM)")
        return EXIT_TERMINATED
    except KeyboardInterrupt:  # raised where typer does not turn it into exit code 130
        say_error("interrupted")
        return EXIT_INTERRUPTED
    except LookalikeError as error:
        say_error(str(error))
        return EXIT_USAGE
    except BrokenPipeError:
        raise
    except OSError as error:
        say_error(os_error_message(error))
        return EXIT_USAGE
    except MemoryError:
        say_error("out of memory; try fewer rows, --sample-rows or a smaller table.")
        return EXIT_BUG
    except typer.Abort:
        say_error("aborted.")
        return EXIT_BUG
    except Exception as error:
        if _is_usage_error(error):
            message, code = _usage_message(error)
            if code == EXIT_OK:
                typer.echo(message)
            else:
                say_error(message)
            return code
        import traceback

        close_progress_bars()
        sys.stderr.write(mask_url(traceback.format_exc()))  # a traceback may quote a URL too
        say_error(
            f"unexpected failure ({type(error).__name__}: {error}); please report it with the "
            "traceback above."
        )
        return EXIT_BUG
    if code == EXIT_INTERRUPTED:  # typer turns a KeyboardInterrupt it sees into exit code 130
        say_error("interrupted")
    return code if isinstance(code, int) else EXIT_OK
