"""Control groups: score a conditional sample against the same subgroup of the real rows.

`evaluate(real, synthetic, where="Outcome=1 and Age>=50")` keeps the real (and holdout) rows that
meet the conditions, and the synthetic rows that do (a conditional sample should meet them all;
those that do not are counted and named in a note). The report then says which subgroup it
compared with and how many real rows it holds, and warns below FEW_ROWS: every score of a
subgroup of a few dozen rows is noisy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lookalike.errors import DataError
from lookalike.metadata import Metadata

FEW_ROWS = 30


@dataclass(frozen=True)
class Subgroup:
    """The subgroup a report compared with: its conditions in words and its row counts."""

    where: str
    rows_real: int
    rows_holdout: int | None
    synthetic_outside: list[int]  # per synthetic table: rows that do not meet the conditions

    def notes(self, index: int = 0) -> list[str]:
        """Plain sentences for the report: what was compared, and what to be careful about."""
        out = [f"Compared with the real subgroup {self.where} ({self.rows_real} rows)."]
        if self.rows_holdout is not None:
            out[0] = out[0][:-2] + f"; {self.rows_holdout} holdout rows)."
        if self.rows_real < FEW_ROWS:
            out.append(
                f"warning: the real subgroup {self.where} has only {self.rows_real} rows (fewer "
                f"than {FEW_ROWS}): every score is noisy; compare with care."
            )
        outside = self.synthetic_outside[index]
        if outside:
            out.append(
                f"warning: {outside} synthetic rows do not meet {self.where} and were left out; "
                "a conditional sample should meet its conditions."
            )
        return out

    def as_dict(self, index: int = 0) -> dict[str, Any]:
        """What scores.json records under `subgroup`."""
        return {
            "where": self.where,
            "rows_real": self.rows_real,
            "rows_holdout": self.rows_holdout,
            "synthetic_rows_outside": self.synthetic_outside[index],
        }


def as_conditions(where: Mapping[str, Any] | Iterable[str] | str) -> dict[str, Any]:
    """A conditions dict from a dict, one `--where` text or several."""
    from lookalike.where import parse_where

    if isinstance(where, Mapping):
        return dict(where)
    return parse_where([where] if isinstance(where, str) else list(where))


def restrict(
    real: Any,
    synthetic: Any,
    holdout: Any,
    where: Mapping[str, Any] | Iterable[str] | str,
    metadata: Metadata | None,
) -> tuple[pd.DataFrame, Any, pd.DataFrame | None, Metadata, Subgroup]:
    """(real, synthetic, holdout, metadata, subgroup) keeping only the rows that meet `where`;
    `synthetic` may be one table or a list. Kinds are detected on the whole real table, so the
    subgroup is read the way the model read the table.
    """
    from lookalike.conditions import check_conditions, column_facts, condition_mask
    from lookalike.evaluation.inputs import _frame
    from lookalike.where import where_texts

    real = _frame(real, "real")
    metadata = metadata or Metadata.detect(real)
    conditions = as_conditions(where)
    if not conditions:
        raise DataError("--where is empty; give a condition such as Outcome=1.")
    checked = check_conditions(conditions, metadata, column_facts(real, metadata))
    words = " and ".join(where_texts(where))

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        missing = [c.column for c in checked if c.column not in frame.columns]
        if missing:
            raise DataError(f"--where names {missing[0]!r}, which that table does not have.")
        return frame[condition_mask(checked, metadata, frame)].reset_index(drop=True)

    real_rows = keep(real)
    if real_rows.empty:
        raise DataError(f"no real row has {words}; loosen --where.")
    tables = list(synthetic) if isinstance(synthetic, list | tuple) else [synthetic]
    kept, outside = [], []
    for number, table in enumerate(tables, start=1):
        frame = _frame(table, "synthetic")
        rows = keep(frame)
        if rows.empty:
            name = "the synthetic table" if len(tables) == 1 else f"synthetic table {number}"
            raise DataError(f"no row of {name} has {words}; was it sampled for another group?")
        kept.append(rows)
        outside.append(len(frame) - len(rows))
    holdout_rows = None if holdout is None else keep(_frame(holdout, "holdout"))
    if holdout_rows is not None and len(holdout_rows) < 2:
        holdout_rows = None  # too few to compare with; privacy then runs without a holdout
    group = Subgroup(
        words,
        len(real_rows),
        None if holdout_rows is None else len(holdout_rows),
        outside,
    )
    out = kept if isinstance(synthetic, list | tuple) else kept[0]
    return real_rows, out, holdout_rows, metadata, group
