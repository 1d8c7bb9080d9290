"""Neural models (gan, wgan-gp, ctgan, tvae): what a user sees after a few epochs on small data."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import DataError
from lookalike.models.neural.data import DataLayout
from lookalike.models.neural.sampler import ConditionSampler

torch = pytest.importorskip("torch")

NEURAL = ["gan", "wgan-gp", "ctgan", "tvae"]
TINY_GAN = {"generator_dim": (32,), "discriminator_dim": (32,), "embedding_dim": 16}
TINY = {
    "gan": TINY_GAN,
    "wgan-gp": {**TINY_GAN, "n_critic": 2},
    "ctgan": TINY_GAN,
    "tvae": {"compress_dims": (32,), "decompress_dims": (32,), "embedding_dim": 16},
}


def tiny(name: str, **params: Any) -> Any:
    return get_model(name, **{"epochs": 2, "batch_size": 60, **TINY[name], **params})


@pytest.fixture
def table(mixed_table: pd.DataFrame) -> pd.DataFrame:
    return mixed_table


@pytest.mark.parametrize("name", NEURAL)
def test_rows_keep_types_ranges_categories_and_some_missing_values(
    name: str, table: pd.DataFrame
) -> None:
    rows = tiny(name, random_state=0).fit(table).sample(300)
    assert list(rows.columns) == list(table.columns)
    assert rows.dtypes.to_dict() == table.dtypes.to_dict()
    assert rows["income"].between(table["income"].min(), table["income"].max()).all()
    assert set(rows["city"]) <= set(table["city"])
    assert rows["score"].isna().any() and rows["score"].notna().any()


def test_max_time_stops_training_and_keeps_a_usable_model(table: pd.DataFrame) -> None:
    start = time.perf_counter()
    model = tiny("ctgan", epochs=100_000, max_time=1.0, random_state=0).fit(table)
    assert time.perf_counter() - start < 30
    assert model.history_["stopped"] == "max_time"
    assert len(model.sample(20)) == 20


def test_ctrl_c_during_training_keeps_the_model_so_far(
    table: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lookalike.models.neural.tvae import TVAE

    def interrupt(self: Any, epoch: int, losses: dict[str, float]) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(TVAE, "_end_epoch", interrupt)
    model = tiny("tvae", epochs=50, random_state=0).fit(table)
    assert model.history_["stopped"] == "interrupted"
    assert model.history_["epochs"] == 1
    assert len(model.sample(10)) == 10


def test_ctgan_meets_a_rare_category_natively(table: pd.DataFrame) -> None:
    model = tiny("ctgan", random_state=0).fit(table)
    native = model._sample_conditioned(50, {"city": "Lille"}, np.random.default_rng(0))
    assert native is not None
    rows = model.sample(50, conditions={"city": "Lille"}, random_state=0)
    assert (rows["city"] == "Lille").all()
    assert rows["age"].nunique() > 1
    pd.testing.assert_frame_equal(
        rows, model.sample(50, conditions={"city": "Lille"}, random_state=0)
    )


def test_training_and_sampling_leave_torch_global_random_state_alone(
    table: pd.DataFrame,
) -> None:
    before = torch.random.get_rng_state().clone()
    tiny("wgan-gp", random_state=3).fit(table).sample(10)
    assert torch.equal(torch.random.get_rng_state(), before)


def test_model_file_holds_weights_as_plain_arrays(table: pd.DataFrame, tmp_path: Path) -> None:
    model = tiny("tvae", random_state=0).fit(table)
    model.save(tmp_path / "m.lookalike")
    with zipfile.ZipFile(tmp_path / "m.lookalike") as archive:
        header = json.loads(archive.read("model.json"))
        archive.extract("arrays.npz", tmp_path)
    with np.load(tmp_path / "arrays.npz", allow_pickle=False) as arrays:
        weights = [k for k in arrays.files if k.startswith("model.net.decoder.")]
        assert "model.net.decoder.sigma" in weights and len(weights) > 2
    assert header["params"]["epochs"] == 2
    loaded = load(tmp_path / "m.lookalike")
    pd.testing.assert_frame_equal(
        loaded.sample(30, random_state=1), model.sample(30, random_state=1)
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"epochs": 0}, "epochs"),
        ({"batch_size": -5}, "batch_size"),
        ({"max_time": -1.0}, "max_time"),
        ({"device": "tpu"}, "device"),
        ({"normalization": "zscore"}, "normalization"),
    ],
)
def test_bad_parameters_say_what_is_wrong(
    params: dict[str, Any], message: str, table: pd.DataFrame
) -> None:
    with pytest.raises(DataError, match=message):
        tiny("tvae", **params).fit(table)


# ---------------------------------------------------------------------- building blocks
@pytest.mark.parametrize("normalization", ["mode", "quantile"])
def test_layout_round_trips_the_encoded_frame(normalization: str) -> None:
    rng = np.random.default_rng(0)
    encoded = pd.DataFrame(
        {
            "x": np.concatenate([rng.normal(-10, 1, 300), rng.normal(20, 2, 200)]),
            "c": rng.integers(0, 4, 500),
        }
    )
    layout = DataLayout(normalization).fit(encoded, rng)
    matrix = layout.transform(encoded, rng)
    assert matrix.dtype == np.float32 and matrix.shape == (500, layout.dim)
    back = layout.inverse(matrix)
    np.testing.assert_array_equal(back["c"], encoded["c"])
    assert np.quantile(np.abs(back["x"] - encoded["x"]), 0.98) < 0.1  # the gap interpolates
    again = DataLayout.from_state(layout.get_state("p."), "p.")
    pd.testing.assert_frame_equal(again.inverse(matrix), back)


def test_training_by_sampling_draws_rare_categories_more_often_and_matching_rows() -> None:
    rng = np.random.default_rng(0)
    codes = np.column_stack(
        [(rng.random(10_000) < 0.01).astype(np.int64), rng.integers(0, 3, 10_000)]
    )
    sampler = ConditionSampler(codes, [2, 3])
    columns, categories, rows = sampler.draw_training(20_000, rng)
    assert (codes[rows, columns] == categories).all()
    rare = ((columns == 0) & (categories == 1)).sum() / (columns == 0).sum()
    assert rare > 0.2  # log-frequency: about log(101)/(log(101)+log(9901)) = 0.33, not 0.01
    columns, categories = sampler.draw_generation(20_000, rng)
    share = ((columns == 0) & (categories == 1)).sum() / (columns == 0).sum()
    assert share == pytest.approx(codes[:, 0].mean(), abs=0.01)


# ---------------------------------------------------------------------- real training
@pytest.mark.slow
@pytest.mark.parametrize("name", ["ctgan", "tvae"])
def test_two_clusters_and_their_proportions_are_recovered(name: str) -> None:
    rng = np.random.default_rng(0)
    n = 3000
    upper = rng.random(n) < 0.3
    table = pd.DataFrame(
        {
            "x": np.where(upper, rng.normal(10, 1, n), rng.normal(-10, 1, n)),
            "group": np.where(upper, "b", "a"),
        }
    )
    params = {"epochs": 60} if name == "ctgan" else {"epochs": 100}
    rows = get_model(name, random_state=0, **params).fit(table).sample(4000)
    high = rows["x"] > 0
    assert high.mean() == pytest.approx(0.3, abs=0.06)
    assert rows.loc[high, "x"].mean() == pytest.approx(10, abs=1.5)
    assert rows.loc[~high, "x"].mean() == pytest.approx(-10, abs=1.5)
    assert (rows.loc[high, "group"] == "b").mean() > 0.7  # base rate 0.3
    assert (rows.loc[~high, "group"] == "a").mean() > 0.85  # base rate 0.7


# ---------------------------------------------------------------------- keeping the best epoch
def test_epoch_score_is_one_for_the_reference_and_lower_for_broken_rows() -> None:
    from lookalike.models.neural.validation import EpochScore

    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, 4000)
    encoded = pd.DataFrame(
        {
            "x": x,
            "y": 2 * x + rng.normal(0, 0.5, 4000),
            "c": (x > 0).astype(np.int64) + 2 * rng.integers(0, 2, 4000),
            "age": rng.integers(18, 90, 4000).astype(float),
        }
    )
    reference = EpochScore(encoded, 3000, np.random.default_rng(1))
    assert reference.score(encoded) > 0.97
    # rounded values score like the integers they decode to
    jittered = encoded.assign(age=encoded["age"] + rng.uniform(-0.4, 0.4, 4000))
    assert reference.score(jittered) > 0.97
    shuffled = encoded.apply(lambda column: rng.permutation(column.to_numpy()))
    assert reference.score(shuffled) < reference.score(encoded) - 0.05  # pairs broken
    shifted = encoded.assign(x=encoded["x"] + 1.0)
    assert reference.score(shifted) < reference.score(encoded) - 0.05
    beyond = encoded.assign(age=encoded["age"].max() + 5.0)  # all mass above the real range
    assert reference.score(beyond) < reference.score(encoded) - 0.1


def test_keep_best_restores_the_best_scored_epoch(
    table: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lookalike.models.neural.validation import EpochScore

    calls = iter([0.9, 0.2, 0.5, 0.1] * 10)
    monkeypatch.setattr(EpochScore, "score", lambda self, frame: next(calls))
    model = tiny("ctgan", epochs=3, keep_best=True, random_state=0).fit(table)
    assert model.history_["best_epoch"] == 1 and model.history_["scores"] == [0.9, 0.2, 0.5]
    calls = iter([0.9] * 10)
    first = tiny("ctgan", epochs=1, keep_best=True, random_state=0).fit(table)
    pd.testing.assert_frame_equal(model.sample(40), first.sample(40))


def test_keep_best_with_max_time_scores_the_partial_epoch_and_stops(table: pd.DataFrame) -> None:
    model = tiny("ctgan", epochs=100_000, max_time=1.0, keep_best=True, random_state=0)
    model.fit(table)
    assert model.history_["stopped"] == "max_time"
    # the last, partial epoch is scored too (unless the time ran out exactly at an epoch's end)
    assert len(model.history_["scores"]) in (model.history_["epochs"], model.history_["epochs"] + 1)
    assert 1 <= model.history_["best_epoch"] <= len(model.history_["scores"])
    assert len(model.sample(20)) == 20
