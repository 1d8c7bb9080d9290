"""Columns that another column of the same step decides, as a team decides its league.

A step model draws each column from trees over the previous step, so a category that another
one fixes (a team's league: 149 teams, 150 team-league pairs in the baseball data) drifts: a
team that changes keeps its old league, and 22% of sampled batting seasons paired a team with a
league it never played in. A categorical column B *follows* a categorical column A when the
most common B of each A value holds in at least `SHARE` of the rows (and A's values repeat, so
that is a finding and not a property of near-unique values). Sampled rows keep the model's B
when the (A, B) pair occurs in the data, so a team that did change league keeps its timing; a
pair never seen is replaced by a draw from the B values seen with that A, by their counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.kinds import CATEGORY_KINDS
from lookalike.metadata import Metadata
from lookalike.values import json_value

SHARE = 0.99  # of rows whose B is their A value's most common B
MIN_ROWS_PER_VALUE = 5  # A's values must repeat this often on average


def find_follows(rows: pd.DataFrame, values: list[str], meta: Metadata) -> dict[str, Any]:
    """{B: {"by": A, "pairs": [[a, b, rows], ...]}} for the columns B that a column A decides
    (JSON-safe; missing B values are None). A leader never follows, a follower never leads.
    """
    cats = [c for c in values if meta.columns[c].kind in CATEGORY_KINDS]
    out: dict[str, Any] = {}
    for b in cats:
        best: tuple[float, str, pd.Series] | None = None
        leaders = {spec["by"] for spec in out.values()}
        if b in leaders:
            continue
        for a in cats:
            if a == b or a in out:
                continue
            pairs = pd.DataFrame({"a": rows[a].to_numpy(), "b": rows[b].to_numpy()})
            pairs = pairs[pairs["a"].notna()]
            distinct = pairs["a"].nunique()
            if distinct * MIN_ROWS_PER_VALUE > len(pairs) or distinct < pairs["b"].nunique():
                continue
            counts = pairs.groupby(["a", "b"], dropna=False).size()
            share = float(counts.groupby(level=0).max().sum()) / max(len(pairs), 1)
            if share >= SHARE and (best is None or share > best[0]):
                best = (share, a, counts)
        if best is not None:
            out[b] = {
                "by": best[1],
                "pairs": [
                    [json_value(x), None if pd.isna(y) else json_value(y), int(n)]
                    for (x, y), n in best[2].items()
                ],
            }
    return out


def pair_tables(follows: dict[str, Any]) -> dict[str, tuple[str, pd.DataFrame, Any, set[Any]]]:
    """`find_follows`' pairs ready for `keep_follows` (built once per batch, not per step):
    B -> (A, the pairs, their index, A's values).
    """
    out = {}
    for b, spec in follows.items():
        table = pd.DataFrame(spec["pairs"], columns=["a", "b", "rows"])
        seen = pd.MultiIndex.from_arrays([table["a"], table["b"]])
        out[b] = (spec["by"], table, seen, set(table["a"]))
    return out


def keep_follows(
    tables: dict[str, tuple[str, pd.DataFrame, Any, set[Any]]],
    current: dict[str, np.ndarray],
    index: np.ndarray,
    rng: Any,
) -> None:
    """Replace, at rows `index` of `current`, every followed pair the data never has
    (`tables`: from `pair_tables`).
    """
    for b, (a, table, seen, leaders) in tables.items():
        if a not in current or b not in current or not len(index):
            continue
        leader = pd.Series(current[a][index], dtype=object)
        follower = pd.Series(current[b][index], dtype=object)
        follower = follower.where(follower.notna(), None)
        drawn = pd.MultiIndex.from_arrays([leader, follower])
        known = leader.isin(leaders).to_numpy()
        bad = np.flatnonzero(known & ~drawn.isin(seen))
        if not len(bad):
            continue
        column = current[b]
        for value, where in pd.Series(bad).groupby(leader.iloc[bad].to_numpy(), sort=False):
            options = table[table["a"] == value]
            weights = options["rows"].to_numpy(dtype=float)
            picks = rng.choice(len(options), size=len(where), p=weights / weights.sum())
            column[index[where.to_numpy()]] = options["b"].to_numpy(dtype=object)[picks]
