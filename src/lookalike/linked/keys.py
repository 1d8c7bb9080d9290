"""New key values for synthetic rows: unique, in the real keys' pattern, never a real key.

Whole-number keys continue after the largest real key (so no synthetic key equals a real one);
text keys follow the commonest shape of the real keys (`aaaaaaa99` for `aardsda01`) through
`lookalike.ids`' keyed permutation, avoiding every real key (kept as salted hashes only).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lookalike.errors import ConditionError
from lookalike.ids import hash_ids, make_ids
from lookalike.linked.schema import key_values
from lookalike.metadata import _string_pattern


def fit_key(series: pd.Series) -> dict[str, Any]:
    """The state of a key column's maker (JSON-safe plus one array of hashes)."""
    values = series.dropna()
    if pd.api.types.is_numeric_dtype(values) and len(values):
        numbers = values.to_numpy(dtype=float)
        if np.all(numbers == np.round(numbers)):
            return {"kind": "int", "start": int(numbers.max()) + 1}
    text = key_values(values.to_frame(), [values.name]).dropna().astype(str)
    if text.empty:
        return {"kind": "int", "start": 1}
    pattern = _string_pattern(text.reset_index(drop=True))
    salt = f"linked{len(text)}"
    taken = np.array(sorted(hash_ids(text.tolist(), salt)), dtype=np.int64)
    return {"kind": "pattern", "pattern": pattern, "salt": salt, "taken": taken}


def make_keys(state: dict[str, Any], n: int, first_row: int, key: int) -> np.ndarray:
    """Keys for rows first_row .. first_row + n - 1 of one table (unique across the table)."""
    if state["kind"] == "int":
        start = int(state["start"]) + first_row
        return np.arange(start, start + n, dtype=np.int64)
    ids_state = {"taken": [int(t) for t in np.asarray(state["taken"])], "salt": state["salt"]}
    rng = np.random.default_rng(np.random.SeedSequence([key, first_row]))
    pattern = str(state["pattern"])
    for _ in range(4):
        try:
            return make_ids(n, pattern, ids_state, first_row, key, rng)
        except ConditionError:  # the pattern has too few values: make it longer
            pattern += "999"
    raise ConditionError(f"cannot make {n} new keys in the pattern {state['pattern']!r}.")
