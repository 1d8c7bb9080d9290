"""Does a single table hold sequences? A likely entity column and order column, for `inspect`."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lookalike.kinds import DATE_KINDS, PLAIN_NUMBER_KINDS
from lookalike.metadata import Metadata
from lookalike.sequences.tables import order_numbers

_ORDER_NAME = re.compile(r"(year|date|time|stamp|step|seq|period|month|day|visit|season)", re.I)
_KEY_NAME = re.compile(r"(^|[_\W])(id|key|code)$|Id$|ID$|_id", re.I)
_SORTED = 0.95  # share of entities whose rows already run in order


def suggest_sequence(frame: pd.DataFrame, metadata: Metadata) -> dict[str, str]:
    """{"sequence_key": ..., "order_by": ...} when rows look like ordered steps per entity
    (or {"order_by": ...} for one series in order); {} when they do not.
    """
    orders = [
        name
        for name, column in metadata.columns.items()
        if column.kind in DATE_KINDS
        or (column.kind in PLAIN_NUMBER_KINDS and column.integer and _ORDER_NAME.search(name))
    ]
    n = len(frame)
    keys = [
        name
        for name, column in metadata.columns.items()
        if column.kind in ("categorical", "numerical", "id")
        and name not in orders
        and 2 <= frame[name].nunique() <= n / 2
        and _KEY_NAME.search(name)
    ]
    for order in orders:
        numbers = order_numbers(frame, order, metadata.columns[order])
        for key in keys:
            codes = pd.factorize(frame[key])[0]
            steps = pd.Series(numbers).groupby(codes).diff()
            bad = (steps < 0).groupby(codes).any()
            if len(bad) and 1 - bad.mean() >= _SORTED and steps.notna().any():
                return {"sequence_key": key, "order_by": order}
        finite = numbers[np.isfinite(numbers)]
        timed = metadata.columns[order].kind in DATE_KINDS and len(finite) > 10
        if timed and np.all(np.diff(finite) > 0):
            return {"order_by": order}
    return {}
