"""Moved to `lookalike.scale.large_fit` (fitting tables larger than memory); re-exported here."""

from __future__ import annotations

from lookalike.scale.large_fit import (
    DEFAULT_SAMPLE_ROWS,
    MAX_TRACKED,
    fit_table,
    is_large,
    scan_table,
)

__all__ = ["DEFAULT_SAMPLE_ROWS", "MAX_TRACKED", "fit_table", "is_large", "scan_table"]
