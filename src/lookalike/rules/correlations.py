"""Checking the `correlations` of a spec: a Gaussian-copula matrix that must be possible."""

from __future__ import annotations

from typing import Any

import numpy as np

from lookalike.errors import SpecError
from lookalike.rules.settings import COPULA_KINDS, is_number


def check_correlations(entries: Any, columns: dict[str, Any]) -> dict[str, Any] | None:
    """The correlated columns and the Cholesky factor of their matrix (None for none)."""
    if not entries:
        return None
    if not isinstance(entries, list):
        raise SpecError('"correlations" must be a list of {columns: [...], r: ...} entries.')
    names: list[str] = []
    pairs: dict[tuple[str, str], float] = {}
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("columns"), list):
            raise SpecError(f"correlation {entry!r}: expected {{columns: [a, b], r: 0.5}}.")
        members = [str(c) for c in entry["columns"]]
        for member in members:
            if member not in columns:
                raise SpecError(f"correlation lists unknown column {member!r}.")
            if columns[member]["kind"] not in COPULA_KINDS:
                raise SpecError(
                    f"column {member!r} ({columns[member]['kind']}) cannot be correlated; use "
                    f"a distribution, categorical, boolean, date or datetime column."
                )
            if member not in names:
                names.append(member)
        if "matrix" in entry:
            matrix = np.asarray(entry["matrix"], dtype=float)
            if matrix.shape != (len(members), len(members)):
                raise SpecError(
                    f"correlation of {members}: matrix must be {len(members)}x{len(members)}."
                )
            for i, a in enumerate(members):
                for j, b in enumerate(members):
                    if i != j:
                        pairs[(a, b)] = float(matrix[i, j])
        else:
            r = entry.get("r")
            if not is_number(r) or not -1 < r < 1:
                raise SpecError(f"correlation of {members}: r must be in (-1, 1), got {r!r}.")
            for a in members:
                for b in members:
                    if a != b:
                        pairs[(a, b)] = float(r)
    matrix = np.eye(len(names))
    for (a, b), r in pairs.items():
        matrix[names.index(a), names.index(b)] = r
    if not np.allclose(matrix, matrix.T) or np.any(np.abs(matrix) > 1):
        raise SpecError("correlations must be symmetric and within [-1, 1].")
    try:
        cholesky = np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise SpecError(
            f"the correlations between {', '.join(names)} are not possible together "
            "(the matrix is not positive definite); weaken some of them."
        ) from None
    return {"columns": names, "cholesky": cholesky}
