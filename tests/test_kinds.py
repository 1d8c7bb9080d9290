"""The column kinds: one Literal, and groups that every kind falls into exactly once."""

from __future__ import annotations

import pandas as pd

from lookalike import Metadata
from lookalike.kinds import KINDS, MAIN_GROUPS


def test_every_kind_is_in_exactly_one_main_group() -> None:
    for kind in KINDS:
        assert sum(kind in group for group in MAIN_GROUPS) == 1, kind
    assert set().union(*MAIN_GROUPS) == set(KINDS)


def test_detected_kinds_are_column_kinds() -> None:
    frame = pd.DataFrame(
        {
            "n": [1.5, 2.0, 3.25] * 10,
            "c": ["a", "b", "c"] * 10,
            "b": [True, False, True] * 10,
            "d": ["2020-01-0" + str(i % 9 + 1) for i in range(30)],
            "k": [f"K{i:04d}" for i in range(30)],
            "z": ["same"] * 30,
        }
    )
    kinds = {c.kind for c in Metadata.detect(frame).columns.values()}
    assert kinds <= set(KINDS)
    assert {"numerical", "categorical", "boolean", "datetime", "id", "constant"} <= kinds
