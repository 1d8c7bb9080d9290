"""Tables in and out: files (.csv, .parquet; atomic writes) and database URLs (`io.sql`)."""

from __future__ import annotations

from lookalike.io.files import (
    CHUNK_ROWS,
    TABLE_SUFFIXES,
    TextChunk,
    atomic_path,
    iter_chunks,
    read_table,
    source_name,
    write_chunks,
    write_table,
)
from lookalike.io.sql import is_url
from lookalike.masking import mask_url

__all__ = [
    "CHUNK_ROWS",
    "TABLE_SUFFIXES",
    "TextChunk",
    "atomic_path",
    "is_url",
    "iter_chunks",
    "mask_url",
    "read_table",
    "source_name",
    "write_chunks",
    "write_table",
]
