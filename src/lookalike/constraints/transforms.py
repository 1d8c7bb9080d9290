"""Constraint kinds learned through a reversible transform, so no sampled row can break them:

    inequality          constraints.inequality: `high` replaced by `high - low` (>= 0, or > 0)
    fixed_combinations  constraints.combinations: the columns merged into one categorical column
                        of the combinations seen
    formula             constraints.formula: the computed column dropped, then recomputed

Their shared parts are in `constraints.replaced`; this old path re-exports the three classes.
"""

from __future__ import annotations

from lookalike.constraints.combinations import FixedCombinations
from lookalike.constraints.formula import Formula
from lookalike.constraints.inequality import Inequality

__all__ = ["FixedCombinations", "Formula", "Inequality"]
