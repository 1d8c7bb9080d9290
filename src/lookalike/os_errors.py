"""What an operating-system error means for the user: one sentence that says what to do.

Every `OSError` that reaches a user goes through `os_error_message`: the atomic writer
(`io.atomic.atomic_path`) turns failed writes into a `DataError` with it, and `lookalike.cli.main`
turns any other `OSError` (a read without permission, ...) into one `error:` line with it.
Paths and URLs in the message are masked with `mask_url`, so no password is ever shown.
"""

from __future__ import annotations

import errno
from pathlib import Path

from lookalike.errors import DataError
from lookalike.masking import mask_url


def os_error_message(error: OSError, path: str | Path | None = None, action: str = "") -> str:
    """One sentence for `error`: which file, what went wrong, what to do.

    `path` is the file the user named (used when the error does not carry one); `action` is
    "write" or "read" when known.
    """
    name = mask_url(str(path if path is not None else error.filename or "the file"))
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT) or "no space left" in str(error).lower():
        return (
            f"no space left on the disk while writing {name}; nothing was written. Free some "
            "space or write elsewhere, then run again."
        )
    if code == errno.EROFS:
        return f"cannot write {name}: the file system is read-only; choose another place."
    if code in (errno.EACCES, errno.EPERM):
        verb = action or "open"
        return f"cannot {verb} {name}: permission denied; check its permissions or choose another."
    if code == errno.EISDIR:
        return f"{name} is a folder; give a file name (e.g. {Path(name) / 'out.csv'})."
    if code == errno.ENOTDIR:
        return f"cannot use {name}: a part of its path is a file, not a folder."
    if code == errno.ENOENT:
        return f"{name} does not exist."
    if code == errno.ENAMETOOLONG:
        return f"the file name {name[:80]}... is too long for the file system; use a shorter one."
    reason = mask_url(error.strerror or str(error) or type(error).__name__)
    verb = f"cannot {action} " if action else "cannot use "
    return f"{verb}{name} ({reason})."


def os_data_error(error: OSError, path: str | Path | None = None, action: str = "") -> DataError:
    """`os_error_message` as a DataError (for `raise ... from None`)."""
    return DataError(os_error_message(error, path, action))
