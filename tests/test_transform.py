from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lookalike import Metadata
from lookalike.transform import TableTransformer


def round_trip(frame: pd.DataFrame) -> pd.DataFrame:
    meta = Metadata.detect(frame)
    transformer = TableTransformer().fit(frame, meta)
    rng = np.random.default_rng(0)
    return transformer.inverse_transform(transformer.transform(frame, rng), rng)


def test_numbers_categories_booleans_dates_and_nulls_round_trip(mixed_table: pd.DataFrame) -> None:
    back = round_trip(mixed_table)
    for name in ["age", "income", "city", "member", "joined"]:
        assert back[name].tolist() == mixed_table[name].tolist(), name
    assert back["score"].isna().tolist() == mixed_table["score"].isna().tolist()
    np.testing.assert_allclose(back["score"].dropna(), mixed_table["score"].dropna())


def test_ids_are_regenerated_not_copied() -> None:
    codes = [f"AB-{i:05d}" for i in range(50)]
    frame = pd.DataFrame({"code": codes, "x": np.arange(50.0)})
    back = round_trip(frame)
    assert back["code"].is_unique
    assert not set(back["code"]) & set(codes)
    assert back["code"].str.fullmatch(r"AB-\d{5}").all()


def test_rare_categories_round_trip_exactly() -> None:
    values = ["common"] * 97 + ["rare1", "rare2", "rare3"]
    frame = pd.DataFrame({"c": values, "x": np.arange(100.0)})
    assert round_trip(frame)["c"].tolist() == values


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3))),
        min_size=2,
        max_size=40,
    )
)
def test_any_number_column_round_trips_with_its_nulls(values: list[float | None]) -> None:
    frame = pd.DataFrame({"x": pd.array(values, dtype="Float64").astype("float64")})
    meta = Metadata.detect(frame)
    if meta.columns["x"].kind != "numerical":
        return
    back = round_trip(frame)["x"].astype("float64")
    assert back.isna().tolist() == frame["x"].isna().tolist()
    np.testing.assert_allclose(back.dropna(), frame["x"].dropna(), rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", None, "ümlaut", "x y"]), min_size=2, max_size=40))
def test_any_category_column_round_trips(values: list[str | None]) -> None:
    frame = pd.DataFrame({"c": pd.Series(values, dtype=object)})
    back = round_trip(frame)["c"]
    assert [None if pd.isna(v) else v for v in back] == values


def test_ids_stay_unique_across_chunks_and_workers(tmp_path) -> None:
    from lookalike import get_model
    from lookalike.io.files import read_table
    from lookalike.scale.parallel import sample_local

    rng = np.random.default_rng(3)
    real = pd.DataFrame(
        {
            "id": np.arange(100, 400),
            "code": [f"C{v:06d}" for v in rng.permutation(10**6)[:300]],
            "x": rng.normal(size=300),
        }
    )
    model = get_model("copula", random_state=0).fit(real)
    rows = model.sample(7_000, random_state=5)  # 7 chunks of 1,000 below
    assert rows["id"].is_unique and rows["code"].is_unique
    assert not set(rows["code"]) & set(real["code"])
    assert rows["code"].str.fullmatch(r"C\d{6}").all()

    out = tmp_path / "two_workers.csv"
    sample_local(model, 7_000, out, seed=5, workers=2, chunk_rows=1_000)
    written = read_table(out)
    assert written["id"].is_unique and written["code"].is_unique
    assert written["code"].tolist() == rows["code"].tolist()
