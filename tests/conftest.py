"""Tiny seeded tables with one column of every kind, shared by the tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lookalike._progress import set_quiet

set_quiet(True)


def make_mixed_table(n: int = 120, seed: int = 0) -> pd.DataFrame:
    """A small table with numbers, a dependent column, categories, booleans, dates and nulls."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 90, size=n)
    income = np.round(age * 900 + rng.normal(0, 5000, size=n), 2)
    city = rng.choice(["Paris", "Lyon", "Nice", "Lille"], size=n, p=[0.5, 0.3, 0.15, 0.05])
    member = rng.random(n) < 0.3
    start = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1000, size=n), unit="D")
    score = rng.normal(50, 10, size=n)
    score[rng.random(n) < 0.2] = np.nan
    return pd.DataFrame(
        {
            "customer_id": np.arange(1000, 1000 + n),
            "age": age,
            "income": income,
            "city": city,
            "member": member,
            "joined": start.strftime("%Y-%m-%d"),
            "score": score,
        }
    )


@pytest.fixture
def mixed_table() -> pd.DataFrame:
    return make_mixed_table()
