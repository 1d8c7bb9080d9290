"""How a fitted model's rows are drawn: seeds, chunks, conditions, rejection and decoding.

`Model.sample` and `Model.sample_chunks` call `chunks` here. A model only makes encoded rows
(`_sample`, and `_sample_conditioned` when it can condition natively); this module
    - derives one seed per chunk from the call's seed, so any worker can draw any chunk;
    - decodes rows (`transform.TableTransformer`) and undoes the constraints' transforms;
    - meets conditions and constraints by rejection, within a budget of draws per wanted row;
    - draws partial-row conditions (a DataFrame) one group of equal condition sets at a time;
    - gives ids per chunk (`assign_ids`), so they do not depend on how the work is split.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lookalike.conditions import Condition, Interval, check_conditions, condition_mask
from lookalike.errors import ConditionError, DataError
from lookalike.kinds import CATEGORY_KINDS, DATE_KINDS, NUMBER_KINDS

if TYPE_CHECKING:
    from lookalike.models.base import Model

REJECTION_BUDGET = 500  # candidate rows drawn per wanted row before a condition is called too rare
BUDGET_BASE = 100_000  # plus this many, so a few rows at a 0.1% rate still come out

Conditions = dict[str, Any]


def chunks(
    model: Model,
    n: int,
    conditions: Conditions | pd.DataFrame | None,
    entropy: int,
    chunk_rows: int,
    start_chunk: int,
) -> Iterator[pd.DataFrame]:
    """Decoded rows in chunks of `chunk_rows`; chunk i is drawn from the seed (entropy, i)."""
    seen: dict[str, Any] = {}  # values of unique columns already given in this call
    for index, start in enumerate(range(0, n, chunk_rows), start=start_chunk):
        size = min(chunk_rows, n - start)
        rng = np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(index,)))
        if isinstance(conditions, pd.DataFrame):
            part = conditions.iloc[start : start + size]
            rows = sample_partial_rows(model, part, rng, seen)
        else:
            rows = sample_rows(model, size, conditions or {}, rng, seen)
        yield model.transformer_.assign_ids(rows, index * chunk_rows, entropy, rng)


def entropy(seed: int | np.random.Generator | None) -> int:
    """The integer a call's chunk seeds derive from (fresh entropy when `seed` is None)."""
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**63))
    if seed is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    return int(seed)


def sample_rows(
    model: Model,
    n: int,
    conditions: Conditions,
    rng: np.random.Generator,
    seen: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """`n` decoded rows meeting `conditions` and the constraints."""
    checked = check_conditions(conditions, model.metadata_, model.facts_)
    if not checked and not model.constraints_:
        return decode(model, draw(model, n, rng), rng)
    return reject(model, n, checked, rng, {} if seen is None else seen)


def reject(
    model: Model,
    n: int,
    checked: list[Condition],
    rng: np.random.Generator,
    seen: dict[str, Any],
) -> pd.DataFrame:
    """Draw batches (natively conditioned when the model can) and keep the rows that meet
    every condition and constraint, until `n` rows or the budget runs out.
    """
    constraints = model.constraints_
    native = native_conditions(model, checked)
    # a model that drops a candidate as soon as it misses (cart) may set a larger budget
    per_row = REJECTION_BUDGET if native is None else model.native_budget
    budget = per_row * n + BUDGET_BASE
    failures = {c.describe(): 0 for c in checked}
    kept: list[pd.DataFrame] = []
    have, drawn = 0, 0
    batch = n if native is not None or not checked else max(n, 1000)
    while have < n:
        rows = None
        if native is not None:
            encoded = model._sample_conditioned(batch, native, rng)
            if encoded is None:  # the model cannot meet these natively after all
                native, budget = None, REJECTION_BUDGET * n + BUDGET_BASE
            else:
                rows = decode(model, encoded, rng)
        if rows is None:
            rows = decode(model, draw(model, batch, rng), rng)
        drawn += batch
        ok = np.ones(len(rows), dtype=bool)
        for condition in checked:
            met = condition_mask([condition], model.metadata_, rows)
            failures[condition.describe()] += int((~met).sum())
            ok &= met
        if constraints:
            met = constraints.mask(rows)
            failures["the constraints"] = failures.get("the constraints", 0) + int(
                (ok & ~met).sum()
            )
            ok &= met
        rows = rows[ok]
        if constraints and constraints.unique_columns:
            before = len(rows)
            rows = constraints.keep_unique(rows, seen)
            failures["uniqueness"] = failures.get("uniqueness", 0) + before - len(rows)
        kept.append(rows)
        have += len(rows)
        hopeless = drawn * 10 >= budget and have * budget < n * drawn / 2  # won't make half
        if have < n and (drawn >= budget or hopeless):
            raise ConditionError(_too_rare(n, have, drawn, budget, failures))
        rate = max(have, 1) / drawn
        batch = min(max(64, int((n - have) / rate * 1.2)), 500_000, max(budget - drawn, 64))
    return pd.concat(kept, ignore_index=True).iloc[:n].reset_index(drop=True)


def native_conditions(model: Model, checked: list[Condition]) -> Conditions | None:
    """The conditions a model's `_sample_conditioned` hook sees, or None for none.

    Only columns the model learns as they are (not transformed by a constraint); values are
    as in the training data (a category as stored, a number, a Timestamp) or an Interval.
    """
    if not model.conditions_natively:
        return None
    inner = model.transformer_.metadata_.columns
    hidden = model.constraints_.transformed_columns if model.constraints_ else set()
    out: Conditions = {}
    for c in checked:
        if c.missing or c.column not in inner or c.column in hidden:
            continue
        if c.kind not in CATEGORY_KINDS | NUMBER_KINDS:
            continue
        if c.kind in DATE_KINDS:
            value = (
                _stamp(c.value)
                if c.interval is None
                else Interval(
                    _stamp(c.interval.low),
                    _stamp(c.interval.high),
                    low_closed=c.interval.low_closed,
                    high_closed=c.interval.high_closed,
                )
            )
        else:
            value = c.value if c.interval is None else c.interval
        out[c.column] = value
    return out or None


def check_partial_rows(model: Model, frame: pd.DataFrame, n: int) -> None:
    """Raise ConditionError if `n` is not the frame's length or a row asks for the impossible."""
    if n != len(frame):
        raise ConditionError(
            f"the conditions frame has {len(frame)} rows, so ask for n={len(frame)}: one "
            "sampled row per row of conditions."
        )
    for key in dict.fromkeys(_partial_keys(frame)):
        check_conditions(dict(key), model.metadata_, model.facts_)


def sample_partial_rows(
    model: Model, frame: pd.DataFrame, rng: np.random.Generator, seen: dict[str, Any]
) -> pd.DataFrame:
    """One row per row of `frame`, grouped by distinct condition sets, in frame order."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for position, key in enumerate(_partial_keys(frame)):
        groups.setdefault(key, []).append(position)
    parts = []
    for key, positions in groups.items():
        child = np.random.default_rng(int(rng.integers(2**63)))
        rows = sample_rows(model, len(positions), dict(key), child, seen)
        parts.append(rows.set_axis(positions))
    if not parts:
        return empty(model)
    return pd.concat(parts).sort_index().reset_index(drop=True)


def draw(model: Model, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """`n` encoded rows from the model (no columns when it learned none)."""
    if not model.transformer_.encoded_columns:
        return pd.DataFrame(index=range(n))
    return model._sample(n, rng)


def decode(model: Model, encoded: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Encoded rows as the user's columns (constraint transforms undone), ids not yet given."""
    rows = model.transformer_.inverse_transform(encoded, rng, ids=False)
    return model.constraints_.reverse(rows) if model.constraints_ else rows


def empty(model: Model) -> pd.DataFrame:
    """No rows, with the columns and dtypes of a sample."""
    rng = np.random.default_rng(0)
    return decode(model, draw(model, 1, rng), rng).iloc[:0]


# ---------------------------------------------------------------------- inputs
def as_frame(data: Any) -> pd.DataFrame:
    """A pandas DataFrame from a DataFrame (pandas or polars) or a table path."""
    if isinstance(data, str | Path):
        from lookalike.io.files import read_table

        return read_table(data)
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "to_pandas"):  # polars, pyarrow
        return data.to_pandas()
    raise DataError(f"expected a DataFrame or a .csv/.parquet path, got {type(data).__name__}.")


def check_n(n: Any) -> int:
    """The number of rows asked for, as an int >= 0 (a whole float is taken)."""
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        if isinstance(n, float) and n.is_integer():
            n = int(n)
        else:
            raise DataError(f"the number of rows must be a whole number, got {n!r}.")
    if n < 0:
        raise DataError(f"the number of rows must be 0 or more, got {n}.")
    return int(n)


# ---------------------------------------------------------------------- helpers
def _partial_keys(frame: pd.DataFrame) -> list[tuple[tuple[str, Any], ...]]:
    """Each row's condition set as a hashable key: its non-missing cells."""
    columns = [str(c) for c in frame.columns]
    keys = []
    for values in frame.itertuples(index=False, name=None):
        keys.append(
            tuple(
                (c, v.item() if isinstance(v, np.generic) else v)
                for c, v in zip(columns, values, strict=True)
                if not (v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v))
            )
        )
    return keys


def _stamp(seconds: float | None) -> pd.Timestamp | None:
    return None if seconds is None else pd.Timestamp(seconds, unit="s")


def _share(share: float) -> str:
    return ">99.9%" if 0.999 < share < 1 else f"{share:.1%}"


def _too_rare(n: int, have: int, drawn: int, budget: int, failures: dict[str, int]) -> str:
    worst = sorted(((count, what) for what, count in failures.items() if count), reverse=True)
    blame = ", ".join(f"{what} ({_share(count / drawn)} of draws)" for count, what in worst[:3])
    return (
        f"the conditions are too rare for this model: {have} of {n} rows found in {drawn:,} "
        f"draws (budget {budget:,}); rows were rejected by {blame or 'the checks'}. Loosen the "
        f"conditions, sample fewer rows, or use a model that conditions natively."
    )
