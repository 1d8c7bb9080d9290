"""An ordered child of linked tables is a sequence: conditions on the parent carry to it."""

from __future__ import annotations

from lookalike.linked import LinkedModel
from tests.linked.tables import players_seasons


def test_a_condition_on_the_parent_carries_to_its_sequences() -> None:
    real = players_seasons(n=300)  # lefties hit about 6 more home runs a season
    model = LinkedModel(random_state=0).fit(real)
    assert model.plans_["seasons"].get("sequence")  # drawn by SequenceModel
    fake = model.sample(seed=1, conditions={"players": {"bats": "L"}})
    assert set(fake["players"]["bats"]) == {"L"}
    seasons = fake["seasons"]
    assert len(seasons) > 0 and seasons["player_id"].isin(set(fake["players"]["id"])).all()
    assert seasons.groupby("player_id")["year"].apply(lambda y: y.is_monotonic_increasing).all()
    joined = real["seasons"].merge(real["players"], left_on="player_id", right_on="id")
    by_hand = joined.groupby("bats")["hr"].mean()
    assert seasons["hr"].mean() > (by_hand["L"] + by_hand["R"]) / 2  # histories of lefties
