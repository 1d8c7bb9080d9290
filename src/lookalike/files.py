"""Moved to `lookalike.io.files` (read_table, write_table, atomic writes); re-exported here."""

from __future__ import annotations

from lookalike.io.files import *  # noqa: F403
from lookalike.io.files import read_table, write_table

__all__ = ["read_table", "write_table"]
