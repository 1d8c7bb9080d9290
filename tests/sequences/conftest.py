"""Sequence tables with known answers, made here (no files)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

STATES = ["a", "b", "c"]
TRANSITIONS = np.array([[0.8, 0.15, 0.05], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4]])


def make_careers(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Players (context) and seasons: length by kind, first score by group, AR(1) score, a
    Markov-chain state, a team that changes in 5% of steps, years advancing by one, a column
    missing in 20% of rows, and a row id."""
    rng = np.random.default_rng(seed)
    rows, players = [], []
    for e in range(n):
        kind = "short" if rng.random() < 0.5 else "long"
        group = "up" if rng.random() < 0.5 else "down"
        length = int(rng.integers(1, 4) if kind == "short" else rng.integers(8, 13))
        year = int(rng.integers(1950, 2000))
        team = str(rng.choice(list("ABCDEFGH")))
        score = (10.0 if group == "up" else -10.0) + rng.normal()
        state = int(rng.integers(3))
        for _ in range(length):
            rows.append(
                {
                    "pid": f"P{e:05d}",
                    "year": year,
                    "team": team,
                    "score": round(score, 3),
                    "state": STATES[state],
                    "note": None if rng.random() < 0.2 else round(float(rng.normal(5, 1)), 2),
                    "row_id": f"R{len(rows):07d}",
                }
            )
            year += 1
            if rng.random() < 0.05:
                team = str(rng.choice(list("ABCDEFGH")))
            score = 0.9 * score + rng.normal(0, 1)
            state = int(rng.choice(3, p=TRANSITIONS[state]))
        players.append(
            {
                "pid": f"P{e:05d}",
                "kind": kind,
                "group": group,
                "weight": round(float(rng.normal(80, 8)), 1),
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(players).set_index("pid")


def make_readings(devices: int = 30, days: int = 10, seed: int = 1) -> pd.DataFrame:
    """Hourly readings 08:00-17:00 on weekdays only, per device; the value follows the hour."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(devices):
        stamps = pd.date_range("2024-01-01", periods=days * 24, freq="h")
        stamps = stamps[(stamps.hour >= 8) & (stamps.hour <= 17) & (stamps.day_of_week < 5)]
        for stamp in stamps:
            rows.append(
                {
                    "device": f"D{d:03d}",
                    "time": stamp.strftime("%Y-%m-%d %H:%M:%S"),
                    "load": round(float(stamp.hour * 2 + rng.normal(0, 1)), 2),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="package")
def careers() -> tuple[pd.DataFrame, pd.DataFrame]:
    return make_careers()


@pytest.fixture(scope="package")
def career_model(careers: tuple[pd.DataFrame, pd.DataFrame]) -> object:
    from lookalike.sequences import SequenceModel

    child, context = careers
    return SequenceModel(key="pid", order_by="year", seed=0).fit(child, context=context)


@pytest.fixture(scope="package")
def career_sample(career_model: object, careers: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    return career_model.sample(context=careers[1], seed=1)  # type: ignore[attr-defined]
