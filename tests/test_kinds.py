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


def test_every_kind_has_a_codec_and_a_ui_entry() -> None:
    from lookalike.codecs import CODECS
    from lookalike.ui import columns

    assert set(CODECS) == set(KINDS)
    assert set(columns.KIND_WORDS) == set(columns._REASONS) == set(columns._RETYPES) == set(KINDS)


def test_a_column_retyped_to_each_kind_has_that_kind() -> None:
    from lookalike.ui.columns import reason, retype

    series = pd.Series([str(i % 2) for i in range(20)])
    for kind in KINDS:
        if kind == "datetime":
            continue  # "0"/"1" are not dates: retype refuses (tests/ui covers the message)
        column = retype(series, "x", kind)
        assert column.kind == kind
        assert reason(column, series)
