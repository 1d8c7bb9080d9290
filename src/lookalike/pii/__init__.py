"""Personal data: detect it (`pii.detect`), make fakes of its kind (`pii.fakes`), pseudonymise a
table (`pii.anonymize`; imported on its own, it sits above `metadata`).
"""

from __future__ import annotations

from lookalike.pii.detect import (
    SAMPLE,
    common_tokens,
    detect_hinted_pii,
    detect_number_pii,
    detect_pii,
    fake_like,
    fake_values,
    first_names,
    fit_fakes,
    kind_of,
    name_template,
)

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
