"""`by` + `cases` may switch a column's kind per value of another column."""

from __future__ import annotations

import numpy as np
import pytest

from lookalike.errors import SpecError
from lookalike.rules import generate

PLANS = {"kind": "categorical", "values": {"free": 0.5, "pro": 0.3, "team": 0.2}}


def seats_spec(**seats: object) -> dict:
    return {"columns": {"plan": PLANS, "seats": seats}}


def test_each_plan_has_its_own_kind_of_distribution() -> None:
    spec = seats_spec(
        kind="normal",
        by="plan",
        cases={
            "free": {"kind": "constant", "value": 0},
            "pro": {"mean": 5, "sd": 2},  # the column's own kind, normal
            "team": {"kind": "categorical", "values": {10: 0.5, 25: 0.3, 50: 0.2}},
        },
        min=1,
        round=0,
    )
    table = generate(spec, 4000, random_state=0)
    seats = table.groupby("plan").seats
    assert (table.loc[table.plan == "free", "seats"] == 0).all()
    pro = table.loc[table.plan == "pro", "seats"]
    assert pro.min() >= 1 and abs(pro.mean() - 5.2) < 0.4 and pro.nunique() > 5
    team = table.loc[table.plan == "team", "seats"]
    assert set(team) == {10, 25, 50} and abs((team == 10).mean() - 0.5) < 0.06
    assert seats.size().sum() == 4000 and np.issubdtype(table.seats.dtype, np.integer)


def test_a_switched_case_takes_its_own_parameters_and_limits() -> None:
    spec = seats_spec(
        kind="constant",
        value=0,
        by="plan",
        cases={
            "pro": {"kind": "poisson", "lam": 4, "max": 6},
            "team": {"kind": "uniform", "low": 10, "high": 20, "round": 1},
        },
    )
    table = generate(spec, 2000, random_state=1)
    assert (table.loc[table.plan == "free", "seats"] == 0).all()
    assert table.loc[table.plan == "pro", "seats"].between(0, 6).all()
    team = table.loc[table.plan == "team", "seats"]
    assert team.between(10, 20).all() and (team.round(1) == team).all()


def test_a_text_case_next_to_numbers_gives_text() -> None:
    spec = seats_spec(
        kind="poisson", lam=3, by="plan", cases={"free": {"kind": "constant", "value": "n/a"}}
    )
    table = generate(spec, 500, random_state=2)
    assert (table.loc[table.plan == "free", "seats"] == "n/a").all()
    assert table.loc[table.plan != "free", "seats"].map(type).eq(int).all()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"kind": "normal", "mean": 5}, r"case 'pro'\).*lacks sd"),
        ({"kind": "sequence"}, "a case cannot be a sequence"),
        ({"kind": "normal", "mean": 5, "sd": 1, "missing": 0.1}, "belong to the column"),
        ({"kind": "dice"}, "unknown kind 'dice'"),
        ({"kind": "constant", "value": 1, "lam": 2}, "unknown setting"),
    ],
)
def test_bad_switched_cases_are_errors(case: dict, message: str) -> None:
    spec = seats_spec(kind="poisson", lam=3, by="plan", cases={"pro": case})
    with pytest.raises(SpecError, match=message):
        generate(spec, 10)
