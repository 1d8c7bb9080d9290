import numpy as np
import pandas as pd
import pytest

from lookalike import get_model
from lookalike.metadata import Column, Metadata
from lookalike.pii.detect import detect_pii, fake_values
from lookalike.pii.fakes import KINDS, KeyedRandom, iban_valid, luhn_valid, make
from tests.pii_tables import OTHER_COLUMNS, PII_COLUMNS, make_pii_table


@pytest.fixture(scope="module")
def pii_table() -> pd.DataFrame:
    return make_pii_table()


def test_every_pii_kind_is_detected_by_values_and_names(pii_table: pd.DataFrame) -> None:
    found = {c: detect_pii(pii_table[c], c) for c in pii_table.columns}
    assert {c: f[0] for c, f in found.items() if f} == PII_COLUMNS
    assert all(0.5 <= f[1] <= 1 for f in found.values() if f)


def test_values_alone_find_pii_behind_meaningless_column_names(pii_table: pd.DataFrame) -> None:
    by_value = {"email", "phone", "home_address", "ssn", "card_number", "iban", "ip_address"}
    renamed = pii_table[sorted(by_value)].set_axis([f"c{i}" for i in range(len(by_value))], axis=1)
    found = [detect_pii(renamed[c], c) for c in renamed.columns]
    assert [f[0] for f in found] == [PII_COLUMNS[c] for c in sorted(by_value)]
    assert detect_pii(pii_table["full_name"], "who")[0] == "name"  # first-name dictionary


def test_look_alike_columns_are_not_pii(pii_table: pd.DataFrame) -> None:
    assert all(detect_pii(pii_table[c], c) is None for c in OTHER_COLUMNS)
    assert detect_pii(pd.Series(["Paris", "Lyon", "Nice"] * 20), "city") is None
    assert detect_pii(pd.Series(["male", "female"] * 20), "Sex") is None
    random_digits = pd.Series([f"{i:016d}" for i in range(10**12, 10**12 + 400, 7)])
    assert detect_pii(random_digits, "reference") is None  # 16 digits but not Luhn-valid


def test_checksums_tell_real_numbers_from_lookalikes() -> None:
    assert luhn_valid("4539 1488 0343 6467") and not luhn_valid("4539 1488 0343 6468")
    assert iban_valid("GB82 WEST 1234 5698 7654 32") and not iban_valid(
        "GB82 WEST 1234 5698 7654 33"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_fakes_of_every_kind_are_varied_and_reproducible(kind: str) -> None:
    values = make(kind, 2000, np.random.default_rng(0))
    again = make(kind, 2000, np.random.default_rng(0))
    assert values.tolist() == again.tolist()
    assert all(isinstance(v, str) and v for v in values)
    floor = {
        "first_name": 300,
        "last_name": 400,
        "country": 150,
        "job": 400,
        "city": 800,
        "company": 1000,
    }
    assert len(set(values)) >= floor.get(kind, 1500)


def test_checksummed_fakes_are_valid_in_several_locales() -> None:
    rng = np.random.default_rng(1)
    for locale in ("en_US", "fr_FR", "de_DE", "en_GB", "nl_NL"):
        ibans = fake_values("iban", 200, rng, locale)
        assert all(iban_valid(v) for v in ibans), locale
    assert all(luhn_valid(v) for v in fake_values("credit_card", 500, rng))


def test_keyed_draws_give_equal_fakes_for_equal_keys() -> None:
    keys = np.array([5, 9, 5, 7, 9], dtype=np.uint64)
    for kind in ("name", "email", "phone", "iban", "address"):
        values = make(kind, 5, KeyedRandom(keys))
        assert values[0] == values[2] and values[1] == values[4] and values[0] != values[1]


def test_a_model_never_outputs_a_real_pii_value(pii_table: pd.DataFrame) -> None:
    metadata = Metadata.detect(pii_table)
    # ZIP codes and card numbers written as plain digits read as numbers: declare them PII
    metadata.columns["zip"] = Column("zip", "pii", pii_kind="postcode")
    metadata.columns["card_number"] = Column("card_number", "pii", pii_kind="credit_card")
    metadata.columns["date_of_birth"] = Column("date_of_birth", "pii", pii_kind="date_of_birth")
    model = get_model("copula", random_state=0).fit(pii_table, metadata)
    synthetic = model.sample(3000)
    for column in PII_COLUMNS:
        real = set(pii_table[column].dropna().astype(str))
        leaked = real & set(synthetic[column].dropna().astype(str))
        assert not leaked, (column, sorted(leaked)[:3])
    assert synthetic["phone"].dropna().str.fullmatch(r"\(\d{3}\) \d{3}-\d{4}").all()
    assert synthetic["card_number"].map(luhn_valid).all()
    assert 0.01 < synthetic["phone"].isna().mean() < 0.1


def test_fakes_repeat_as_often_as_real_values_do() -> None:
    from lookalike.pii.detect import fake_like, fit_fakes

    tickets = pd.Series([f"PC {10000 + i // 3}" for i in range(300)])  # every ticket 3 times
    state = fit_fakes(tickets, "text")
    fakes_ = pd.Series(fake_like(state, 300, np.random.default_rng(0)))
    assert fakes_.value_counts().eq(3).mean() > 0.9
    assert fakes_.str.fullmatch(r"PC \d{5}").all()
    assert not set(fakes_) & set(tickets)


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("nameLast", "last_name"),
        ("name_last", "last_name"),
        ("lname", "last_name"),
        ("familyName", "last_name"),
        ("nameFirst", "first_name"),
        ("fname", "first_name"),
    ],
)
def test_name_columns_written_name_first_are_personal_data(column: str, kind: str) -> None:
    stems = ("Aard", "Bell", "Cruz", "Dunn")
    surnames = pd.Series([f"{a}{b}" for a in stems for b in "aeiouy"] * 5)
    found = detect_pii(surnames, column)
    assert found is not None and found[0] == kind
    assert Metadata.detect(pd.DataFrame({column: surnames})).columns[column].kind == "pii"
