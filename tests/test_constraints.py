"""Constraints: declared in metadata JSON or Python, kept in every sampled row by every model."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lookalike import Metadata, get_model, load
from lookalike import constraints as lc
from lookalike.errors import ConditionError, MetadataError
from lookalike.models import MODELS
from lookalike.models.sampling import reject

CITIES = {"Paris": "FR", "Lyon": "FR", "Berlin": "DE", "Munich": "DE", "Rome": "IT"}
ALL_KINDS = (
    "inequality",
    "dates",
    "formula",
    "product",
    "combinations",
    "range",
    "positive",
    "integer",
    "unique",
)


def _contract() -> Any:
    path = Path(__file__).parent / "models" / "test_contract.py"
    spec = importlib.util.spec_from_file_location("_contract_params_c", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CONTRACT = _contract()


def make_table(
    seed: int, n: int, kinds: tuple[str, ...], missing: bool = False
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """A table that obeys the constraints of `kinds`, and their specs."""
    rng = np.random.default_rng(seed)
    table: dict[str, Any] = {"noise": rng.normal(size=n).round(3)}
    specs: list[dict[str, Any]] = []
    if "inequality" in kinds:
        low = rng.normal(50, 10, n).round(2)
        table |= {"low": low, "high": (low + rng.exponential(5, n)).round(2) + 0.01}
        specs.append({"type": "inequality", "low": "low", "high": "high", "strict": True})
    if "dates" in kinds:
        start = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
        end = start + pd.to_timedelta(rng.integers(0, 90, n), unit="D")
        table |= {"start": start.strftime("%Y-%m-%d"), "end": end.strftime("%Y-%m-%d")}
        specs.append({"type": "inequality", "low": "start", "high": "end"})
    if "formula" in kinds:
        a, b = rng.gamma(2, 10, n).round(2), rng.gamma(3, 4, n).round(2)
        table |= {"a": a, "b": b, "total": (a + b).round(2)}
        specs.append({"type": "formula", "column": "total", "expression": "a + b"})
    if "product" in kinds:
        price, qty = rng.uniform(1, 20, n).round(2), rng.integers(1, 6, n)
        table |= {"price": price, "qty": qty, "net amount": (price * qty).round(2)}
        specs.append({"type": "formula", "column": "net amount", "expression": "price * qty"})
    if "combinations" in kinds:
        city = rng.choice(list(CITIES), n)
        table |= {"city": city, "country": [CITIES[c] for c in city]}
        specs.append({"type": "fixed_combinations", "columns": ["city", "country"]})
    if "range" in kinds:
        table["age"] = rng.integers(18, 95, n)
        specs.append({"type": "range", "column": "age", "min": 0, "max": 120})
    if "positive" in kinds:
        table["amount"] = rng.lognormal(2, 1, n).round(2) + 0.01
        specs.append({"type": "positive", "column": "amount"})
    if "integer" in kinds:
        table["visits"] = rng.poisson(3, n).astype(float)
        specs.append({"type": "integer", "column": "visits"})
    if "unique" in kinds:
        table["account"] = rng.choice(10**6, n, replace=False)
        specs.append({"type": "unique", "column": "account"})
    frame = pd.DataFrame(table)
    if missing:  # holes that keep the rules: a missing value satisfies a constraint
        for column in ("high", "end", "amount", "visits", "age"):
            if column in frame:
                frame.loc[rng.random(n) < 0.1, column] = None
        if "a" in frame:
            frame.loc[rng.random(n) < 0.1, ["a", "total"]] = None
        if "city" in frame:
            frame.loc[rng.random(n) < 0.1, ["city", "country"]] = None
    return frame, specs


def broken(rows: pd.DataFrame, specs: list[dict[str, Any]]) -> list[str]:
    """The specs some row breaks, checked here independently of the library."""
    out = []
    for spec in specs:
        kind = spec["type"]
        if kind == "inequality":
            low, high = rows[spec["low"]], rows[spec["high"]]
            if spec["low"] == "start":
                low, high = pd.to_datetime(low), pd.to_datetime(high)
            bad = (low >= high) if spec.get("strict") else (low > high)
        elif kind == "formula":
            names = {"total": ("a", "b", np.add), "net amount": ("price", "qty", np.multiply)}
            x, y, op = names[spec["column"]]
            bad = (rows[spec["column"]] - op(rows[x], rows[y])).abs() > 0.0051
        elif kind == "fixed_combinations":
            bad = (rows["country"] != rows["city"].map(CITIES)) & ~(
                rows["city"].isna() & rows["country"].isna()
            )
        elif kind == "range":
            bad = ~rows[spec["column"]].between(spec["min"], spec["max"])
        elif kind == "positive":
            bad = rows[spec["column"]] <= 0
        elif kind == "integer":
            bad = rows[spec["column"]] != rows[spec["column"]].round()
        else:
            bad = rows[spec["column"]].duplicated()
        if bool(pd.Series(bad).astype("boolean").fillna(False).any()):
            out.append(kind)
    return out


def fitted(name: str, table: pd.DataFrame, specs: list[Any], seed: int = 0) -> Any:
    metadata = Metadata.detect(table)
    metadata.constraints = list(specs)
    return get_model(name, **{**CONTRACT.params(name), "random_state": seed}).fit(table, metadata)


# ---------------------------------------------------------------------- properties
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 100_000),
    n=st.integers(15, 150),
    kinds=st.sets(st.sampled_from(ALL_KINDS), min_size=1).map(lambda s: tuple(sorted(s))),
    condition=st.booleans(),
    missing=st.booleans(),
)
def test_no_sampled_row_ever_breaks_a_constraint(
    seed: int, n: int, kinds: tuple[str, ...], condition: bool, missing: bool
) -> None:
    table, specs = make_table(seed, n, kinds, missing)
    model = fitted("copula", table, specs, seed)
    conditions: dict[str, Any] = {}
    if condition and "combinations" in kinds:
        conditions["country"] = table["country"].dropna().iloc[0]
    elif condition:
        conditions["noise"] = (float(table["noise"].median()), None)
    rows = model.sample(200, conditions=conditions, random_state=seed)
    assert len(rows) == 200 and list(rows.columns) == list(table.columns)
    assert broken(rows, specs) == []
    for column, wanted in conditions.items():
        if isinstance(wanted, tuple):
            assert (rows[column] >= wanted[0]).all()
        else:
            assert (rows[column] == wanted).all()


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, id=n, marks=pytest.mark.slow if n in CONTRACT.SLOW else ()) for n in MODELS],
)
def test_every_model_keeps_every_constraint_with_and_without_conditions(name: str) -> None:
    table, specs = make_table(1, 150, ALL_KINDS)
    model = fitted(name, table, specs)
    assert broken(model.sample(200, random_state=0), specs) == []
    rows = model.sample(60, conditions={"country": "FR", "age": (40, None)}, random_state=1)
    assert broken(rows, specs) == []
    assert (rows["country"] == "FR").all() and (rows["age"] >= 40).all()
    assert set(rows["city"]) <= {"Paris", "Lyon"}


# ---------------------------------------------------------------------- transforms, not luck
def test_inequality_formula_and_combinations_are_learned_through_transforms() -> None:
    table, specs = make_table(2, 120, ("inequality", "formula", "combinations", "range"))
    model = fitted("copula", table, specs)
    learned = {c.name for c in model.transformer_.encoded_columns}
    assert "high" not in learned and "high#diff" in learned
    assert "total" not in learned
    assert "city+country#combo" in learned and "city" not in learned
    assert [d.endswith("(transform)") for d in model.constraints_.describe()] == [
        True,
        True,
        True,
        False,
    ]
    # nothing to reject: the first draw already holds them all
    assert len(reject(model, 500, [], np.random.default_rng(0), {})) == 500


def test_chained_inequalities_transform_in_a_working_order() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(0, 1, 200).round(3)
    b = (a + rng.exponential(1, 200)).round(3)
    table = pd.DataFrame({"a": a, "b": b, "c": (b + rng.exponential(1, 200)).round(3)})
    specs = [
        {"type": "inequality", "low": "a", "high": "b"},
        {"type": "inequality", "low": "b", "high": "c"},
    ]
    rows = fitted("copula", table, specs).sample(1000, random_state=0)
    assert (rows["a"] <= rows["b"]).all() and (rows["b"] <= rows["c"]).all()


def test_unique_values_are_unique_across_chunks() -> None:
    table, specs = make_table(4, 100, ("unique",))
    model = fitted("copula", table, specs)
    chunks = list(model.sample_chunks(900, chunk_rows=200, random_state=0))
    values = pd.concat(chunks)["account"]
    assert len(values) == 900 and values.is_unique


def test_a_custom_predicate_holds_but_cannot_be_saved(tmp_path: Path) -> None:
    table, _ = make_table(5, 120, ("formula",))
    even = lc.Custom(lambda rows: rows["a"] < rows["b"] * 3, name="a below three b")
    model = fitted("copula", table[table["a"] < table["b"] * 3], [even])
    rows = model.sample(300, random_state=0)
    assert (rows["a"] < rows["b"] * 3).all()
    with pytest.raises(MetadataError, match="Custom constraint 'a below three b'"):
        model.save(tmp_path / "m.lookalike")
    with pytest.raises(MetadataError, match="cannot be written to JSON"):
        model.metadata_.to_json()


def test_python_constructors_match_the_json_specs() -> None:
    made = [
        lc.Range("age", 0, 120),
        lc.Positive("amount"),
        lc.Integer("visits"),
        lc.Inequality("start", "end", strict=True),
        lc.FixedCombinations(["city", "country"]),
        lc.Formula("total", "a + b"),
        lc.Unique("account"),
    ]
    for constraint in made:
        assert lc.parse(json.loads(json.dumps(constraint.to_dict()))) == constraint


# ---------------------------------------------------------------------- bad specs and data
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"type": "between", "column": "a"}, "unknown type 'between'"),
        ({"type": "range", "column": "zzz", "min": 0}, "unknown column 'zzz'"),
        ({"type": "range", "column": "a"}, "needs a min, a max or both"),
        ({"type": "inequality", "low": "a"}, "missing field"),
        ({"type": "inequality", "low": "a", "high": "city"}, "both columns must be numerical"),
        (
            {"type": "formula", "column": "total", "expression": "__import__('os')"},
            "only the functions",
        ),
        ({"type": "formula", "column": "total", "expression": "a.real + b"}, "not allowed"),
        ({"type": "fixed_combinations", "columns": ["city"]}, "two or more"),
        ({"type": "positive", "column": "a", "strict": "yes"}, "true or false"),
        ({"type": "custom", "name": "x"}, "Python only"),
    ],
)
def test_bad_constraint_specs_are_refused_before_fitting(
    spec: dict[str, Any], message: str
) -> None:
    table, _ = make_table(6, 40, ("formula", "combinations"))
    with pytest.raises(MetadataError, match=message):
        fitted("copula", table, [spec])


def test_data_that_breaks_a_constraint_is_refused_with_a_count() -> None:
    table, specs = make_table(7, 50, ("inequality",))
    table.loc[[3, 9], "high"] = 0.0
    with pytest.raises(MetadataError, match=r"low < high: 2 of 50 rows of the data break it"):
        fitted("copula", table, specs)


def test_a_condition_against_a_constraint_fails_clearly() -> None:
    table, specs = make_table(8, 80, ("combinations",))
    model = fitted("copula", table, specs)
    with pytest.raises(ConditionError, match="no row with country=ES"):
        model.sample(10, conditions={"country": "ES"})
    with pytest.raises(ConditionError, match="too rare"):
        model.sample(10, conditions={"country": "FR", "city": "Berlin"})


# ---------------------------------------------------------------------- files and the CLI
def test_model_files_keep_the_constraints_and_their_transforms(tmp_path: Path) -> None:
    table, specs = make_table(9, 120, ALL_KINDS)
    model = fitted("copula", table, specs)
    model.save(tmp_path / "m.lookalike")
    loaded = load(tmp_path / "m.lookalike")
    assert loaded.metadata_.constraints == specs
    pd.testing.assert_frame_equal(
        loaded.sample(80, random_state=3), model.sample(80, random_state=3)
    )
    assert broken(loaded.sample(300, random_state=4), specs) == []


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lookalike.cli", *args], capture_output=True, text=True, check=False
    )


def test_inspect_suggests_constraints_that_apply_only_once_moved(tmp_path: Path) -> None:
    table, _ = make_table(10, 200, ("dates", "formula", "combinations"))
    table.to_csv(tmp_path / "t.csv", index=False)
    done = run("inspect", str(tmp_path / "t.csv"), "-o", str(tmp_path / "meta.json"))
    assert done.returncode == 0, done.stderr
    assert "end is always after or equal to start in the data" in done.stdout
    assert "total is always a + b in the data" in done.stdout
    assert "each city always comes with the same country in the data" in done.stdout
    written = json.loads((tmp_path / "meta.json").read_text())
    assert "constraints" not in written and len(written["suggested_constraints"]) >= 3
    written["constraints"] = written.pop("suggested_constraints")
    (tmp_path / "meta.json").write_text(json.dumps(written))
    model_file, out = tmp_path / "m.lookalike", tmp_path / "out.csv"
    done = run(
        "fit",
        str(tmp_path / "t.csv"),
        "-o",
        str(model_file),
        "--metadata",
        str(tmp_path / "meta.json"),
        "--seed",
        "0",
        "--quiet",
    )
    assert done.returncode == 0, done.stderr
    done = run(
        "sample",
        str(model_file),
        "-n",
        "300",
        "-o",
        str(out),
        "--where",
        "country=DE",
        "--where",
        "total>30",
        "--quiet",
    )
    assert done.returncode == 0, done.stderr
    rows = pd.read_csv(out)
    assert (rows["country"] == "DE").all() and (rows["total"] > 30).all()
    assert (
        broken(
            rows,
            [
                {"type": "formula", "column": "total"},
                {"type": "fixed_combinations"},
                {"type": "inequality", "low": "start", "high": "end"},
            ],
        )
        == []
    )
    done = run("sample", str(model_file), "-n", "5", "-o", str(out), "--where", "country=ES")
    assert done.returncode == 2
    assert done.stderr.startswith("error: no row with country=ES in the training data")
