"""Personal data: detect it (`pii.detect`), make fakes of its kind (`pii.fakes`), fakes fitted to
a real column (`pii.column_fakes`, with `pii.names` for person names and `pii.value_filter` so
no fake equals a real value), code columns (`pii.codes`), pseudonymise a table (`pii.anonymize`;
imported on its own, it sits above `metadata`).
"""

from __future__ import annotations

from lookalike.pii.column_fakes import fake_like, fake_values, fit_fakes, kind_of
from lookalike.pii.detect import (
    SAMPLE,
    detect_hinted_pii,
    detect_number_pii,
    detect_pii,
    first_names,
)
from lookalike.pii.names import common_tokens, name_template

__all__ = [
    "SAMPLE",
    "common_tokens",
    "detect_hinted_pii",
    "detect_number_pii",
    "detect_pii",
    "fake_like",
    "fake_values",
    "first_names",
    "fit_fakes",
    "kind_of",
    "name_template",
]
