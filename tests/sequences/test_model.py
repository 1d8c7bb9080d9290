"""SequenceModel keeps what a history is made of, on tables with a known answer."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from lookalike.errors import DataError, NotFittedError
from lookalike.sequences import SequenceModel
from tests.sequences.conftest import STATES, TRANSITIONS, make_readings


def _steps(frame: pd.DataFrame, key: str = "pid", order: str = "year") -> pd.DataFrame:
    return frame.sort_values([key, order], kind="stable").reset_index(drop=True)


def test_every_context_entity_gets_rows_with_its_key(career_sample, careers) -> None:
    child, context = careers
    assert set(career_sample["pid"]) <= set(context.index)
    assert career_sample["pid"].nunique() >= 0.95 * len(context)
    assert list(career_sample.columns) == list(child.columns)


def test_length_follows_the_context(career_sample, careers) -> None:
    _, context = careers
    sizes = career_sample.groupby("pid").size()
    kind = context.loc[sizes.index, "kind"]
    assert sizes[kind == "short"].between(1, 4).mean() > 0.9
    assert sizes[kind == "long"].between(7, 13).mean() > 0.9
    assert abs(sizes[kind == "long"].mean() - 10) < 1.0


def test_first_step_follows_the_context(career_sample, careers) -> None:
    _, context = careers
    first = _steps(career_sample).groupby("pid").head(1).set_index("pid")
    group = context.loc[first.index, "group"]
    assert abs(first["score"][group == "up"].mean() - 10) < 1.0
    assert abs(first["score"][group == "down"].mean() + 10) < 1.0


def test_a_birth_date_in_the_context_times_the_first_step() -> None:
    # a date of birth is personal data in a single table, but as a context it is only given:
    # the first season comes at about 22, whatever the birth year (found in a baseball run)
    rng = np.random.default_rng(3)
    births = pd.Timestamp("1900-01-01") + pd.to_timedelta(rng.integers(0, 36500, 300), unit="D")
    context = pd.DataFrame(
        {"birthDate": births.strftime("%Y-%m-%d"), "weight": rng.normal(80, 5, 300).round(1)},
        index=pd.Index([f"P{i:04d}" for i in range(300)], name="pid"),
    )
    rows = [
        {"pid": pid, "year": birth.year + 22 + int(rng.integers(-1, 2)) + step, "g": step}
        for pid, birth in zip(context.index, births, strict=True)
        for step in range(3)
    ]
    model = SequenceModel(key="pid", order_by="year", seed=0).fit(pd.DataFrame(rows), context)
    fake = model.sample(context=context, seed=1)
    first = _steps(fake).groupby("pid").head(1).set_index("pid")
    age = first["year"] - pd.to_datetime(context.loc[first.index, "birthDate"]).dt.year
    assert age.between(15, 29).mean() > 0.9 and age.std() < 5  # unlinked: std ~29 years


def test_years_advance_by_one_and_never_repeat(career_sample) -> None:
    rows = _steps(career_sample)
    same = rows["pid"].eq(rows["pid"].shift())
    gaps = rows["year"].diff()[same]
    assert (gaps == 1).all()
    assert not rows.duplicated(["pid", "year"]).any()


def test_number_transitions_keep_their_autocorrelation(career_sample) -> None:
    rows = _steps(career_sample)
    same = rows["pid"].eq(rows["pid"].shift())
    before, after = rows["score"].shift()[same], rows["score"][same]
    slope = np.polyfit(before, after, 1)[0]
    assert 0.75 < slope < 1.05  # real: 0.9
    assert np.corrcoef(before, after)[0, 1] > 0.9


def test_category_transitions_follow_the_markov_chain(career_sample) -> None:
    rows = _steps(career_sample)
    same = rows["pid"].eq(rows["pid"].shift())
    pairs = pd.crosstab(rows["state"].shift()[same], rows["state"][same], normalize="index")
    pairs = pairs.reindex(index=STATES, columns=STATES, fill_value=0).to_numpy()
    assert np.abs(pairs - TRANSITIONS).max() < 0.1


def test_a_near_constant_column_stays_constant(career_sample) -> None:
    rows = _steps(career_sample)
    same = rows["pid"].eq(rows["pid"].shift())
    changes = rows["team"].ne(rows["team"].shift())[same].mean()
    assert 0.01 < changes < 0.1  # real: 5% of steps


def test_missing_values_keep_their_share(career_sample) -> None:
    assert 0.14 < career_sample["note"].isna().mean() < 0.26


def test_ids_are_new_and_unique(career_sample, careers) -> None:
    child, _ = careers
    assert career_sample["row_id"].is_unique
    assert not set(career_sample["row_id"]) & set(child["row_id"])


def test_same_seed_same_rows_other_seed_other_rows(career_model, careers) -> None:
    _, context = careers
    part = context.iloc[:40]
    a = career_model.sample(context=part, seed=3)
    pd.testing.assert_frame_equal(a, career_model.sample(context=part, seed=3))
    assert not a.equals(career_model.sample(context=part, seed=4))


def test_batches_do_not_change_the_rows_of_a_seed_but_bound_memory(careers) -> None:
    child, context = careers
    model = SequenceModel(key="pid", order_by="year", seed=0, batch_entities=50)
    model.fit(child.iloc[:600], context=context.loc[child.iloc[:600]["pid"].unique()])
    parts = list(model.sample_batches(context=context.iloc[:120], seed=2))
    assert len(parts) == 3
    assert set(pd.concat(parts)["pid"]) <= set(context.index[:120])


def test_seed_steps_are_kept_and_continued(career_model, careers) -> None:
    child, context = careers
    longs = context.index[context["kind"] == "long"][:20]
    seed_rows = _steps(child[child["pid"].isin(longs)]).groupby("pid").head(3)
    rows = _steps(career_model.sample(context=context.loc[longs], seed_steps=seed_rows, seed=5))
    for pid, given in seed_rows.groupby("pid"):
        mine = rows[rows["pid"] == pid]
        assert len(mine) >= 3
        head = mine.head(3).reset_index(drop=True)
        assert head["year"].tolist() == given["year"].tolist()
        assert head["team"].tolist() == given["team"].tolist()
        assert (mine["year"].diff().dropna() == 1).all()  # continues one year at a time


def test_state_round_trip_is_json_and_arrays_and_samples_the_same(career_model, careers) -> None:
    _, context = careers
    state = career_model.get_state()
    arrays = {k: v for k, v in state.items() if isinstance(v, np.ndarray)}
    assert all(a.dtype != object for a in arrays.values())
    plain = {k: v for k, v in state.items() if k not in arrays}
    again = SequenceModel.from_state(json.loads(json.dumps(plain, default=_json)) | arrays)
    part = context.iloc[:30]
    pd.testing.assert_frame_equal(
        again.sample(context=part, seed=9), career_model.sample(context=part, seed=9)
    )


def _json(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)


def test_without_context_new_entities_get_new_keys(careers) -> None:
    child, _ = careers
    model = SequenceModel(key="pid", order_by="year", seed=0).fit(child)
    rows = model.sample(n_entities=50, seed=0)
    assert rows["pid"].nunique() == 50
    assert not set(rows["pid"]) & set(child["pid"])


def test_timestamps_keep_spacing_and_the_working_hours() -> None:
    real = make_readings()
    model = SequenceModel(key="device", order_by="time", seed=0).fit(real)
    rows = model.sample(n_entities=20, seed=0)
    stamps = pd.to_datetime(rows["time"], format="%Y-%m-%d %H:%M:%S")
    assert stamps.dt.hour.between(8, 17).mean() > 0.97
    assert (stamps.dt.day_of_week < 5).mean() > 0.97
    ordered = rows.assign(t=stamps).sort_values(["device", "t"], kind="stable")
    same = ordered["device"].eq(ordered["device"].shift())
    gaps = ordered["t"].diff()[same] / pd.Timedelta(hours=1)
    assert (gaps > 0).all()  # strictly ordered: the data has no ties
    assert (gaps == 1).mean() > 0.8  # one hour apart within a working day
    hours = stamps.dt.hour
    assert abs(np.corrcoef(hours, rows["load"])[0, 1]) > 0.9  # value follows the hour


def test_one_long_series_without_a_key() -> None:
    real = make_readings(devices=1, days=30).drop(columns="device")
    model = SequenceModel(order_by="time", seed=0).fit(real)
    rows = model.sample(seed=0)
    assert abs(len(rows) - len(real)) <= 1
    stamps = pd.to_datetime(rows["time"])
    assert stamps.is_monotonic_increasing and stamps.is_unique
    longer = model.sample(seed=0, length=500)
    assert len(longer) == 500


def test_bad_input_says_what_to_do(careers) -> None:
    child, _ = careers
    with pytest.raises(DataError, match="not a column"):
        SequenceModel(key="nope", order_by="year").fit(child)
    with pytest.raises(DataError, match="order by a number or a date"):
        SequenceModel(key="pid", order_by="team").fit(child)
    with pytest.raises(NotFittedError, match="fit"):
        SequenceModel(key="pid").sample(n_entities=3)


def test_input_is_not_changed(careers) -> None:
    child, context = careers
    before, ctx_before = child.copy(), context.copy()
    SequenceModel(key="pid", order_by="year", seed=0).fit(child.iloc[:300], context=context)
    pd.testing.assert_frame_equal(child, before)
    pd.testing.assert_frame_equal(context, ctx_before)


def test_max_time_stops_growing_trees_but_still_samples(careers) -> None:
    child, context = careers
    model = SequenceModel(key="pid", order_by="year", seed=0, max_time=1e-6)
    rows = model.fit(child.iloc[:400], context=context).sample(context=context.iloc[:20], seed=0)
    assert set(rows["pid"]) <= set(context.index[:20]) and len(rows) > 0
    ordered = _steps(rows)
    same = ordered["pid"].eq(ordered["pid"].shift())
    assert (ordered["year"].diff()[same] >= 0).all()  # gaps still never go back



def _censored_careers(n: int = 300) -> pd.DataFrame:
    """Careers of 1-15 seasons starting 1980-2010, cut where the data ends (2010)."""
    rng = np.random.default_rng(4)
    rows = []
    for e in range(n):
        start, length = int(rng.integers(1980, 2011)), int(rng.integers(1, 16))
        for year in range(start, min(start + length, 2011)):
            rows.append({"pid": f"P{e:04d}", "year": year, "games": int(rng.integers(1, 160))})
    return pd.DataFrame(rows)


def test_sequences_end_where_the_data_time_window_ends() -> None:
    child = _censored_careers()
    sample = SequenceModel(key="pid", order_by="year", seed=0).fit(child).sample(600, seed=1)
    assert sample["year"].max() <= 2010
    assert sample.groupby("pid").size().max() >= 12  # long careers are still drawn


def test_a_column_another_decides_keeps_its_pairs() -> None:
    """A team decides its league; teams change in 5% of steps and the league must follow."""
    from tests.sequences.conftest import make_careers

    child, context = make_careers(n=300, seed=3)
    league = {t: f"L{i % 3}" for i, t in enumerate("ABCDEFGH")}
    child = child.assign(league=child["team"].map(league))
    model = SequenceModel(key="pid", order_by="year", seed=0).fit(child, context=context)
    sample = model.sample(context=context, seed=2)
    assert (sample["league"] == sample["team"].map(league)).all()
    changed = sample["team"].ne(sample.groupby("pid")["team"].shift()) & sample["pid"].duplicated()
    assert changed.any()  # teams do change along a sequence
