"""`cart(privacy=...)`: fit measures its own DCR share on held-out folds and smooths until met."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import ParameterError
from lookalike.models._privacy import dcr_share


def made_table(rows: int, seed: int) -> pd.DataFrame:
    """Numbers that depend on each other and on a category: a small table a model can overfit."""
    rng = np.random.default_rng(seed)
    group = rng.choice(["a", "b", "c", "d"], size=rows, p=[0.4, 0.3, 0.2, 0.1])
    shift = pd.Series(group).map({"a": 0.0, "b": 1.0, "c": 2.5, "d": -1.0}).to_numpy()
    x = rng.normal(shift, 1.0)
    return pd.DataFrame(
        {
            "group": group,
            "x": x.round(2),
            "y": (2 * x + rng.normal(0, 1.0, rows)).round(2),
            "z": np.exp(rng.normal(0.3 * x, 0.5)).round(3),
            "flag": np.where(x + rng.normal(0, 1, rows) > 1, "yes", "no"),
        }
    )


def share(train: pd.DataFrame, holdout: pd.DataFrame, rows: pd.DataFrame) -> float:
    """The judge's DCR share (one-hot categories, numbers standardised on train)."""
    nominal = [not pd.api.types.is_numeric_dtype(train[c]) for c in train.columns]
    frames = [train, holdout, rows[train.columns]]
    arrays = []
    for frame in frames:
        columns = []
        for c, is_nominal in zip(train.columns, nominal, strict=True):
            if is_nominal:
                known = sorted(pd.concat([train[c], holdout[c]]).unique())
                columns.append(pd.Categorical(frame[c], categories=known).codes.astype(float))
            else:
                columns.append(frame[c].to_numpy(dtype=float))
        arrays.append(np.column_stack(columns))
    return dcr_share(*arrays, nominal, np.random.default_rng(0), subsamples=1)


def test_the_target_is_checked() -> None:
    table = made_table(100, 0)
    for bad in (-0.1, 1.5, "high"):
        with pytest.raises(ParameterError):
            get_model("cart", privacy=bad).fit(table)


def test_calibration_moves_samples_away_from_the_training_rows() -> None:
    train, holdout = made_table(400, 1), made_table(400, 2)  # a fresh holdout: same generator
    plain = get_model("cart", random_state=0).fit(train)
    assert plain.privacy_check_ is None and plain.shrinkage_ == 0.0
    private = get_model("cart", privacy=0.52, random_state=0).fit(train)
    check = private.privacy_check_
    assert check["rows"] == 400 and check["shares"][0] > 0.52  # the plain model is too close
    # levels are tried in order until one meets the target: that one is kept
    assert check["shares"][-1] <= 0.52 and all(s > 0.52 for s in check["shares"][:-1])
    assert private.shrinkage_ == check["shrinkage"] > 0
    plain_shares = [share(train, holdout, plain.sample(800, random_state=s)) for s in (1, 2, 3)]
    private_shares = [share(train, holdout, private.sample(800, random_state=s)) for s in (1, 2, 3)]
    assert np.mean(private_shares) < np.mean(plain_shares) - 0.01
    assert np.mean(private_shares) <= 0.545  # fresh rows: 0.50; the plain model: 0.56


def test_same_seed_same_level_and_rows(tmp_path: Path) -> None:
    train = made_table(300, 3)
    first = get_model("cart", privacy=0.5, random_state=4).fit(train)
    second = get_model("cart", privacy=0.5, random_state=4).fit(train)
    assert first.privacy_check_ == second.privacy_check_
    pd.testing.assert_frame_equal(
        first.sample(200, random_state=5), second.sample(200, random_state=5)
    )
    plain = get_model("cart", random_state=4).fit(train)  # the trees do not depend on it
    assert plain.trees_[1][0]["pool"].tolist() == first.trees_[1][0]["pool"].tolist()
    first.save(tmp_path / "private.lookalike")
    loaded = load(tmp_path / "private.lookalike")
    assert loaded.shrinkage_ == first.shrinkage_ and loaded.privacy_check_ == first.privacy_check_
    pd.testing.assert_frame_equal(
        loaded.sample(200, random_state=5), first.sample(200, random_state=5)
    )


def test_the_model_card_says_the_level() -> None:
    from lookalike.models.provenance import describe_model

    model = get_model("cart", privacy=0.52, random_state=0).fit(made_table(300, 5))
    card = describe_model(model)
    assert card["params"]["privacy"] == 0.52
    assert card["privacy_check"]["shrinkage"] == model.shrinkage_
    assert "privacy_check" not in describe_model(get_model("cart").fit(made_table(100, 5)))
