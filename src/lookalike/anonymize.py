"""Moved to `lookalike.pii.anonymize`; this name re-exports it (`lookalike.anonymize` stays the
function in the package namespace).
"""

from __future__ import annotations

from lookalike.pii.anonymize import anonymize

__all__ = ["anonymize"]
