"""A date of birth in a single table: learned as a date, so the table's timeline holds."""

import numpy as np
import pandas as pd

import lookalike
from lookalike.constraints import suggest
from lookalike.metadata import Metadata
from lookalike.pii.anonymize import anonymize


def _people(n: int = 600, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.to_timedelta(rng.integers(0, 150 * 365, n), "D")
    birth = pd.Series(pd.Timestamp("1850-01-01") + days)
    age_at_death = pd.to_timedelta(rng.integers(40 * 365, 95 * 365, n), "D")
    death = (birth + age_at_death).where(rng.random(n) < 0.6)
    return pd.DataFrame(
        {
            "birth_date": birth.dt.strftime("%Y-%m-%d"),
            "death_date": death.dt.strftime("%Y-%m-%d"),
            "weight": rng.normal(180, 20, n).round(),
        }
    )


def test_birth_date_is_detected_as_a_marked_date() -> None:
    column = Metadata.detect(_people()).columns["birth_date"]
    found = (column.kind, column.pii_kind, column.format)
    assert found == ("datetime", "date_of_birth", "%Y-%m-%d")


def test_sampled_people_die_after_they_are_born_and_keep_the_years() -> None:
    real = _people()
    model = lookalike.get_model("cart", random_state=0).fit(real)
    sample = model.sample(2000)
    birth = pd.to_datetime(sample["birth_date"])
    death = pd.to_datetime(sample["death_date"])
    assert (death < birth).mean() < 0.01  # a learned model, not a rule: see the next test
    assert abs(birth.dt.year.median() - pd.to_datetime(real["birth_date"]).dt.year.median()) < 10
    assert birth.min().year < 1870  # the data's years, not ages counted back from today


def test_the_order_of_birth_and_death_is_suggested_as_a_constraint() -> None:
    found = [(c["type"], c["low"], c["high"]) for c in suggest(_people())]
    assert ("inequality", "birth_date", "death_date") in found


def test_anonymize_still_replaces_a_birth_date() -> None:
    real = _people()
    safe = anonymize(real, secret="k")
    assert not set(real["birth_date"]) & set(safe["birth_date"])
    assert safe["death_date"].equals(real["death_date"])
