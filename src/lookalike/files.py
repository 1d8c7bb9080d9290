"""Moved to `lookalike.io.files` (read_table, write_table, atomic writes); re-exported here."""

from __future__ import annotations

from lookalike.io.files import *  # noqa: F403
from lookalike.io.files import (  # noqa: F401
    CHUNK_ROWS,
    TABLE_SUFFIXES,
    TextChunk,
    atomic_path,
    iter_chunks,
    read_table,
    write_chunks,
    write_table,
)
