"""Fitted on linked tables, sampled whole: counts, parent-child relations and keys kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lookalike
from lookalike.linked import LinkedModel, Schema
from tests.linked.tables import airports_flights, chain, composite, players_seasons


@pytest.fixture(scope="module")
def baseball() -> tuple[dict[str, pd.DataFrame], LinkedModel]:
    tables = players_seasons()
    return tables, LinkedModel(random_state=0).fit(tables)


def _joined(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return tables["seasons"].merge(tables["players"], left_on="player_id", right_on="id")


def test_children_counts_follow_the_parent(baseball) -> None:
    real, model = baseball
    fake = model.sample(scale=1.0, seed=1)
    counts = fake["seasons"]["player_id"].value_counts().reindex(fake["players"]["id"]).fillna(0)
    assert np.corrcoef(fake["players"]["weight"], counts)[0, 1] > 0.7
    real_counts = real["seasons"]["player_id"].value_counts().reindex(real["players"]["id"])
    assert abs((counts == 0).mean() - real_counts.isna().mean()) < 0.06
    assert abs(len(fake["seasons"]) / len(real["seasons"]) - 1) < 0.1


def test_child_columns_follow_the_parent(baseball) -> None:
    _, model = baseball
    joined = _joined(model.sample(scale=1.0, seed=2))
    assert np.corrcoef(joined["weight"], joined["hr"])[0, 1] > 0.8
    by_hand = joined.groupby("bats")["hr"].mean()
    assert by_hand["L"] - by_hand["R"] > 2.5  # lefties hit 5 more in the real data


def test_keys_are_new_unique_and_point_to_synthetic_parents(baseball) -> None:
    real, model = baseball
    fake = model.sample(scale=1.0, seed=3)
    ids = fake["players"]["id"]
    assert ids.is_unique and not set(ids) & set(real["players"]["id"])
    assert fake["seasons"]["player_id"].isin(set(ids)).all()
    assert ids.str.match(r"^[a-z]{2}\d{5}$").all()  # the real keys' pattern
    per_player = fake["seasons"].groupby("player_id")["year"]
    assert per_player.apply(lambda y: y.is_monotonic_increasing).all()


def test_same_seed_same_tables_and_save_load(baseball, tmp_path) -> None:
    _, model = baseball
    first, again = model.sample(seed=5), model.sample(seed=5)
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name])
    path = tmp_path / "linked.lookalike"
    model.save(path)
    loaded = lookalike.load(path)
    assert isinstance(loaded, LinkedModel)
    for name, frame in loaded.sample(seed=5).items():
        pd.testing.assert_frame_equal(frame, first[name])
    assert not first["players"].equals(model.sample(seed=6)["players"])


def test_orphans_and_missing_keys_come_back_in_their_share() -> None:
    real = players_seasons(orphans=0.10, missing=0.05)
    fake = LinkedModel(random_state=0).fit(real).sample(seed=1)
    keys = fake["seasons"]["player_id"]
    missing = keys.isna()
    orphan = ~missing & ~keys.isin(set(fake["players"]["id"]))
    assert abs(missing.mean() - 0.05) < 0.03
    assert abs(orphan.mean() - 0.10) < 0.04
    assert not set(keys[orphan]) & set(real["seasons"]["player_id"].dropna())


def test_two_keys_to_one_table_keep_both_parents_columns() -> None:
    real = airports_flights()
    fake = LinkedModel(random_state=0).fit(real).sample(seed=1)
    flights, airports = fake["flights"], fake["airports"]
    codes = set(airports["code"])
    assert flights["origin"].isin(codes).all() and flights["destination"].isin(codes).all()
    assert flights["flight_id"].is_unique and not set(flights["flight_id"]) & set(
        real["flights"]["flight_id"]
    )
    size = airports.set_index("code")["size"]
    for column in ("origin", "destination"):
        by_size = flights.groupby(flights[column].map(size))["distance"].mean()
        assert by_size["big"] - by_size["small"] > 350, column  # 600 in the real data
    big_share = (flights["destination"].map(size) == "big").mean()
    real_size = real["airports"].set_index("code")["size"]
    assert abs(big_share - (real["flights"]["destination"].map(real_size) == "big").mean()) < 0.1


def test_composite_key() -> None:
    real = composite()
    fake = LinkedModel(random_state=0).fit(real).sample(seed=1)
    orders, items = fake["orders"], fake["items"]
    assert not orders.duplicated(["region", "order_no"]).any()
    assert not set(map(tuple, orders[["region", "order_no"]].to_numpy())) & set(
        map(tuple, real["orders"][["region", "order_no"]].to_numpy())
    )
    joined = items.merge(orders, on=["region", "order_no"], how="left", indicator=True)
    assert (joined["_merge"] == "both").all()
    by_priority = joined.groupby("priority")["amount"].mean()
    assert by_priority["high"] - by_priority["low"] > 60  # 80 in the real data


def test_chain_and_unrelated_table_at_scale() -> None:
    real = chain()
    model = LinkedModel(random_state=0).fit(real)
    fake = model.sample(scale=2.0, seed=1)
    assert len(fake["customers"]) == 400 and len(fake["shops"]) == 60
    assert fake["orders"]["customer_id"].isin(set(fake["customers"]["customer_id"])).all()
    assert fake["items"]["order_id"].isin(set(fake["orders"]["order_id"])).all()
    assert fake["orders"]["order_id"].min() > real["orders"]["order_id"].max()
    ratio = len(fake["items"]) / len(real["items"])
    assert 1.6 < ratio < 2.4
    joined = fake["orders"].merge(fake["customers"], on="customer_id")
    by_segment = joined.groupby("segment")["total"].mean()
    assert by_segment["pro"] - by_segment["retail"] > 350


def test_conditions_on_a_parent_carry_to_its_children(baseball) -> None:
    _, model = baseball
    fake = model.sample(scale=0.5, seed=1, conditions={"players": {"bats": "L"}})
    assert (fake["players"]["bats"] == "L").all() and len(fake["players"]) == 200
    assert fake["seasons"]["player_id"].isin(set(fake["players"]["id"])).all()
    assert _joined(fake)["hr"].mean() > _joined(model.sample(seed=1))["hr"].mean()
    with pytest.raises(lookalike.LookalikeError, match="parent"):
        model.sample(conditions={"seasons": {"league": "AL"}})


def test_children_stream_in_batches(monkeypatch) -> None:
    import lookalike.linked.sampling as sampling

    real = players_seasons(n=200)
    model = LinkedModel(random_state=0).fit(real)
    monkeypatch.setattr(sampling, "BATCH_ROWS", 100)
    chunks = [(name, len(chunk)) for name, chunk in sampling.iter_sample(model, 1.0, 1)]
    seasons = [n for name, n in chunks if name == "seasons"]
    # batches of BATCH_ROWS / mean length parents: about 100 rows each, never near all of them
    assert len(seasons) > 3 and max(seasons) <= 2 * 100
    fake = model.sample(seed=1)
    assert fake["seasons"]["player_id"].isin(set(fake["players"]["id"])).all()


def test_schema_can_be_given_and_other_models_work() -> None:
    real = players_seasons(n=200)
    schema = Schema.detect(real)
    fake = LinkedModel(schema, model="copula", random_state=0).fit(real).sample(seed=0)
    assert fake["seasons"]["player_id"].isin(set(fake["players"]["id"])).all()
    joined = _joined(fake)
    assert np.corrcoef(joined["weight"], joined["hr"])[0, 1] > 0.5


def test_tables_without_rows_come_back_empty(baseball) -> None:
    real, model = baseball
    fake = model.sample(scale=0.001, seed=0)  # no player at all: no seasons either
    assert len(fake["players"]) == 0 and len(fake["seasons"]) == 0
    assert list(fake["seasons"].columns) == list(real["seasons"].columns)
