"""Learned columns drawn given rule columns: a fitted model's rows conditioned group by group.

Rule-drawn values are often values the model saw rarely or never (ages 21-81 drawn uniformly,
when few training rows are over 70), so conditioning each row on its exact value would need
rejection sampling to find exact matches, and fails (0 of 3 rows found). Instead, rows are
grouped:

- a number or a date is placed in one of the bins cut at quantiles of the model's own rows (so
  every bin has weight under the model; the first and last bins are open, so values beyond the
  training range fall in them), and the model is sampled with that range as the condition;
- a category or boolean is a condition as it is; one the model never saw is left free (a
  DataWarning says so), as are missing values and columns the model regenerates (ids, PII);
- within a group, rows and sampled rows are paired by rank of the numbers and dates (the youngest
  requested age gets the youngest sampled row), so the learned columns follow the rule values
  inside a bin too;
- a group whose conditions the model cannot meet (too rare together) drops conditions from the
  last given column back, down to none: every row is produced.

The rule columns keep the rule's values; only the model's other columns are taken.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from lookalike.conditions import Interval
from lookalike.errors import ConditionError, DataWarning
from lookalike.kinds import CATEGORY_KINDS, DATE_KINDS, NUMBER_KINDS, PLAIN_NUMBER_KINDS
from lookalike.rules.learned import LearnedModel
from lookalike.values import is_missing, parse_datetimes, seconds

BINS = 10  # bins for one numeric given column (fewer each when several: about BINS groups)
REFERENCE_ROWS = 2000  # model rows whose quantiles cut the bins
REFERENCE_SEED = 0


def learned_model(model: Any, source: str) -> LearnedModel:
    """What the rules need of a fitted table model, with a `draw` that conditions on rules."""
    columns = [str(c) for c in model.metadata_.columns]
    kinds = {c: model.metadata_.columns[c].kind for c in columns}
    categories = {
        c: list(model.facts_[c].get("values", []))
        for c in columns
        if kinds[c] in CATEGORY_KINDS and c in model.facts_
    }
    text = {c for c in columns if kinds[c] not in PLAIN_NUMBER_KINDS}
    text -= {c for c in categories if not any(isinstance(v, str) for v in categories[c])}
    edges: dict[str, np.ndarray] = {}

    def draw(given: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
        return sample_given(model, given, n, rng, edges)

    return LearnedModel(source, columns, draw, categories, text)


def sample_given(
    model: Any,
    given: pd.DataFrame,
    n: int,
    rng: np.random.Generator,
    edges: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """N model rows, row i drawn given the values in row i of `given` (grouped, see above).

    `edges` caches the bin edges per numeric column between calls.
    """
    edges = {} if edges is None else edges
    if n == 0 or given.shape[1] == 0:
        return model.sample(n, random_state=_seed(rng))
    keys, numeric = _keys(model, given, edges)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for row, key in enumerate(keys):
        groups.setdefault(key, []).append(row)
    parts: list[pd.DataFrame] = []
    for key in sorted(groups, key=repr):
        rows = np.asarray(groups[key])
        conditions = {c: v for c, v in zip(given.columns, key, strict=True) if v is not None}
        drawn = _sample_loosening(model, len(rows), conditions, _seed(rng))
        parts.append(_paired(drawn, given.iloc[rows], numeric).set_axis(rows))
    return pd.concat(parts).sort_index().reset_index(drop=True)


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**63))


def _keys(
    model: Any, given: pd.DataFrame, edges: dict[str, np.ndarray]
) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    """Each row's condition per given column (an Interval, a category, or None: free)."""
    per_column: list[list[Any]] = []
    numeric: dict[str, Any] = {}  # name -> the model's column
    count = sum(model.metadata_.columns[c].kind in NUMBER_KINDS for c in given.columns)
    bins = max(2, round(BINS ** (1 / max(count, 1))))
    for name in given.columns:
        kind = model.metadata_.columns[name].kind
        values = given[name]
        if kind in NUMBER_KINDS:
            numeric[name] = model.metadata_.columns[name]
            per_column.append(_bin_conditions(model, name, values, bins, edges))
        elif kind in CATEGORY_KINDS:
            per_column.append(_category_conditions(model, name, values))
        else:  # ids, PII: not a condition; the rule's values are kept as they are
            per_column.append([None] * len(values))
    return list(zip(*per_column, strict=True)), numeric


def _bin_conditions(
    model: Any, name: str, values: pd.Series, bins: int, edges: dict[str, np.ndarray]
) -> list[Any]:
    column = model.metadata_.columns[name]
    key = f"{name}\x00{bins}"
    if key not in edges:
        reference = model.sample(REFERENCE_ROWS, random_state=REFERENCE_SEED)[name]
        numbers = _numbers(reference, column.kind, column.format)
        numbers = numbers[~np.isnan(numbers)]
        cuts = np.quantile(numbers, np.linspace(0, 1, bins + 1)[1:-1]) if len(numbers) else []
        edges[key] = np.unique(cuts)
    cuts = edges[key]
    numbers = _numbers(values, column.kind, None)
    where = np.searchsorted(cuts, numbers, side="right")
    ends = [_end(float(c), column.kind) for c in cuts]
    spans = [
        Interval(
            None if i == 0 else ends[i - 1], None if i == len(cuts) else ends[i], high_closed=False
        )
        for i in range(len(cuts) + 1)
    ]
    return [None if np.isnan(x) else spans[i] for x, i in zip(numbers, where, strict=True)]


def _numbers(values: pd.Series, kind: str, fmt: str | None) -> np.ndarray:
    """Numbers as floats, dates as seconds since 1970; what is neither is NaN."""
    if kind in DATE_KINDS:
        return seconds(parse_datetimes(pd.Series(values).reset_index(drop=True), fmt))
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)


def _end(cut: float, kind: str) -> Any:
    return pd.Timestamp(cut, unit="s") if kind in DATE_KINDS else cut


def _category_conditions(model: Any, name: str, values: pd.Series) -> list[Any]:
    out: list[Any] = []
    known: dict[Any, bool] = {}
    for value in values:
        if is_missing(value):
            out.append(None)
            continue
        plain = value.item() if isinstance(value, np.generic) else value
        if plain not in known:
            try:
                model.check_conditions({name: plain})
                known[plain] = True
            except ConditionError:
                known[plain] = False
                warnings.warn(
                    f"the model never saw {name}={plain!r}; rows with it get learned columns "
                    f"drawn without that condition.",
                    DataWarning,
                    stacklevel=2,
                )
        out.append(plain if known[plain] else None)
    return out


def _sample_loosening(model: Any, n: int, conditions: dict[str, Any], seed: int) -> pd.DataFrame:
    """N rows meeting the conditions, dropping them from the last one while the model cannot."""
    names = list(conditions)
    for keep in range(len(names), -1, -1):
        wanted = {c: conditions[c] for c in names[:keep]}
        try:
            return model.sample(n, conditions=wanted or None, random_state=seed)
        except ConditionError:
            if keep == 0:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _paired(drawn: pd.DataFrame, given: pd.DataFrame, numeric: dict[str, Any]) -> pd.DataFrame:
    """The drawn rows reordered so their numbers rank as the given rows' numbers do."""
    if not numeric or len(drawn) < 2:
        return drawn.reset_index(drop=True)
    want = _rank_score(given, numeric, rule=True)
    have = _rank_score(drawn, numeric, rule=False)
    order = np.empty(len(drawn), dtype=np.int64)
    order[np.argsort(want, kind="stable")] = np.argsort(have, kind="stable")
    return drawn.iloc[order].reset_index(drop=True)


def _rank_score(frame: pd.DataFrame, numeric: dict[str, Any], *, rule: bool) -> np.ndarray:
    """Each row's mean percentile over the numeric columns (`numeric`: name -> model column)."""
    numbers = pd.DataFrame(
        {
            name: _numbers(frame[name], column.kind, None if rule else column.format)
            for name, column in numeric.items()
        }
    )
    return numbers.rank(pct=True).fillna(0.5).mean(axis=1).to_numpy(dtype=float)
