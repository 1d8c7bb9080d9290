"""Secrets never shown: `mask_url` hides the password of every URL in a text.

This is the one place that masks. Everything that reaches a terminal, a log, an error message, a
model file, a report or a card passes through it: `lookalike.cli` masks every line it prints and
every error line, `lookalike.os_errors` masks file names, `lookalike.io.sql` masks database URLs.
"""

from __future__ import annotations

import re

_URL_PASSWORD = re.compile(
    # scheme://user:PASSWORD@host; the password runs to the LAST "@" before the path, so an
    # unencoded "@" inside it is masked too
    r"(?P<head>\b[A-Za-z][A-Za-z0-9+._-]*://[^:/?#@\s]*:)(?P<pw>[^\s/?#]*)@"
)


def mask_url(text: object) -> str:
    """`text` with the password of every URL in it replaced by `***`.

    Example:
        >>> mask_url("postgresql://ann:s3cret@db/x?table=t")
        'postgresql://ann:***@db/x?table=t'
        >>> mask_url("wrote postgresql://u:p@ss@db/x")
        'wrote postgresql://u:***@db/x'
    """
    return _URL_PASSWORD.sub(lambda m: m.group("head") + "***@", str(text))
