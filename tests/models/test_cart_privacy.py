"""`cart(privacy=...)`: fit measures its own DCR share on held-out folds and smooths until met."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import ParameterError
from lookalike.models._privacy import KNOBS, dcr_share


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


def test_the_target_and_the_knob_are_checked() -> None:
    table = made_table(100, 0)
    for bad in ({"privacy": -0.1}, {"privacy": 1.5}, {"privacy": "high"}, {"privacy_knob": "x"}):
        with pytest.raises(ParameterError):
            get_model("cart", **bad).fit(table)


@pytest.mark.parametrize("knob", ["prune", "shrinkage"])
def test_the_least_smoothing_that_meets_the_target_is_kept(knob: str) -> None:
    train = made_table(400, 1)
    model = get_model("cart", privacy=0.52, privacy_knob=knob, random_state=0).fit(train)
    check = model.privacy_check_
    assert check["knob"] == knob and check["rows"] == 400
    shares = check["shares"]
    assert shares[0] > 0.52  # the plain model is too close to its training rows here
    met = [i for i, s in enumerate(shares) if s <= 0.52]
    # levels are tried from the least smoothing up; the first that meets the target ends the
    # search, and without one the strictest level is kept
    assert met in ([], [len(shares) - 1])
    levels = KNOBS[knob].levels({"prune": None, "shrinkage": 0.0}[knob])  # 400 rows: defaults
    assert levels.index(check["level"]) == len(shares) - 1
    assert met or len(shares) == len(levels)
    assert getattr(model, knob + "_") == check["level"]


def test_a_calibrated_model_is_the_plain_model_at_the_level_it_chose(tmp_path: Path) -> None:
    train, holdout = made_table(300, 3), made_table(300, 4)
    private = get_model("cart", privacy=0.51, random_state=4).fit(train)
    again = get_model("cart", privacy=0.51, random_state=4).fit(train)
    assert private.privacy_check_ == again.privacy_check_  # same seed, same level and rows
    rows = private.sample(300, random_state=5)
    pd.testing.assert_frame_equal(rows, again.sample(300, random_state=5))
    plain = get_model("cart", prune=private.prune_, random_state=4).fit(train)
    pd.testing.assert_frame_equal(rows, plain.sample(300, random_state=5))
    assert share(train, holdout, rows) < 0.6  # rows, not copies (a copy of train: ~0.6+)
    private.save(tmp_path / "private.lookalike")
    loaded = load(tmp_path / "private.lookalike")
    assert loaded.privacy_check_ == private.privacy_check_
    pd.testing.assert_frame_equal(loaded.sample(300, random_state=5), rows)
    shrunk = get_model("cart", privacy=0.51, privacy_knob="shrinkage", random_state=4).fit(train)
    shrunk.save(tmp_path / "shrunk.lookalike")
    assert load(tmp_path / "shrunk.lookalike").shrinkage_ == shrunk.shrinkage_


def test_the_model_card_says_the_level() -> None:
    from lookalike.models.provenance import describe_model

    model = get_model("cart", privacy=0.52, random_state=0).fit(made_table(300, 5))
    card = describe_model(model)
    assert card["params"]["privacy"] == 0.52
    assert card["privacy_check"]["level"] == model.prune_
    plain = get_model("cart").fit(made_table(100, 5))
    assert plain.privacy_check_ is None and "privacy_check" not in describe_model(plain)


def test_fit_says_what_the_check_chose(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lookalike.cli import app

    made_table(300, 6).to_csv(tmp_path / "made.csv", index=False)
    args = ["fit", str(tmp_path / "made.csv"), "-o", str(tmp_path / "m.lookalike"), "--seed", "0"]
    result = CliRunner().invoke(app, [*args, "-p", "privacy=0.52"])
    assert result.exit_code == 0, result.output
    assert "privacy check: prune=" in result.output and "held-out folds" in result.output


def test_large_tables_are_pruned_by_default() -> None:
    large = made_table(2000, 7)
    pruned = get_model("cart", random_state=0).fit(large)
    unpruned = get_model("cart", prune=None, random_state=0).fit(large)
    assert pruned.prune_ == 0.05 and unpruned.prune_ is None
    assert get_model("cart", random_state=0).fit(large.iloc[:1999]).prune_ is None
    leaves = [
        sum(len(np.unique(tree["leaf"])) for trees in model.trees_ for tree in trees)
        for model in (pruned, unpruned)
    ]
    assert leaves[0] < leaves[1]  # splits the held-out half does not confirm are undone
    with pytest.raises(ParameterError):
        get_model("cart", prune="sometimes").fit(large)
