"""Names a model samples follow the sampled sex/gender column, as rules and anonymize do."""

import numpy as np
import pandas as pd

import lookalike
from lookalike.pii import fakes


def _people(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    sex = rng.choice(["female", "male"], n)
    female = fakes.pool("en_US", "first_name_female")
    male = fakes.pool("en_US", "first_name_male")
    last = fakes.pool("en_US", "last_name")
    first = np.where(sex == "female", rng.choice(female, n), rng.choice(male, n))
    return pd.DataFrame(
        {
            "gender": sex,
            "first_name": first,
            "full_name": [f"{a} {b}" for a, b in zip(first, rng.choice(last, n), strict=True)],
            "age": rng.integers(20, 80, n),
        }
    )


def test_sampled_first_names_follow_the_sampled_gender() -> None:
    sample = lookalike.get_model("cart", random_state=0).fit(_people()).sample(600)
    female = set(fakes.pool("en_US", "first_name_female"))
    male = set(fakes.pool("en_US", "first_name_male"))
    for column in ("first_name", "full_name"):
        first = sample[column].str.split().str[0]
        assert first[sample["gender"] == "female"].isin(female).mean() > 0.95, column
        assert first[sample["gender"] == "male"].isin(male).mean() > 0.95, column
    assert sample["gender"].value_counts(normalize=True).min() > 0.4  # both sexes sampled


def test_same_seed_same_names() -> None:
    model = lookalike.get_model("cart", random_state=0).fit(_people())
    assert model.sample(50, random_state=3).equals(model.sample(50, random_state=3))


def test_titled_names_take_a_title_of_the_row_sex() -> None:
    rng = np.random.default_rng(1)
    n = 300
    sex = rng.choice(["female", "male"], n)
    female = fakes.pool("en_US", "first_name_female")
    male = fakes.pool("en_US", "first_name_male")
    last = rng.choice(fakes.pool("en_US", "last_name"), n)
    names = [
        f"{b}, Mrs. {rng.choice(female)}" if s == "female" else f"{b}, Mr. {rng.choice(male)}"
        for s, b in zip(sex, last, strict=True)
    ]
    real = pd.DataFrame({"Sex": sex, "Name": names, "Fare": rng.gamma(2, 10, n).round(2)})
    sample = lookalike.get_model("cart", random_state=0).fit(real).sample(500)
    title = sample["Name"].str.extract(r", (Mrs?)\.")[0]
    assert (title[sample["Sex"] == "female"] == "Mrs").mean() > 0.95
    assert (title[sample["Sex"] == "male"] == "Mr").mean() > 0.95
