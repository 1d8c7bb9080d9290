"""Moved to `lookalike.io.sql` (database URLs as sources and sinks); this name re-exports it."""

from __future__ import annotations

from lookalike.io.sql import *  # noqa: F403
from lookalike.io.sql import is_url, mask_url, parse_source, read_sql, write_sql  # noqa: F401
