from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lookalike.cli import app
from lookalike.pii.anonymize import anonymize
from lookalike.pii.fakes import iban_valid, luhn_valid
from tests.pii_tables import OTHER_COLUMNS, PII_COLUMNS, make_pii_table

TITANIC = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "titanic.csv"


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    return make_pii_table()


@pytest.fixture(scope="module")
def safe(real: pd.DataFrame) -> pd.DataFrame:
    return anonymize(real, secret="test secret")


def test_no_real_pii_value_survives(real: pd.DataFrame, safe: pd.DataFrame) -> None:
    for column in PII_COLUMNS:
        leaked = set(real[column].dropna().astype(str)) & set(safe[column].dropna().astype(str))
        assert not leaked, (column, sorted(leaked)[:3])


def test_rows_and_other_columns_are_kept(real: pd.DataFrame, safe: pd.DataFrame) -> None:
    assert safe.shape == real.shape and list(safe.columns) == list(real.columns)
    pd.testing.assert_frame_equal(safe[OTHER_COLUMNS], real[OTHER_COLUMNS])
    assert safe["phone"].isna().equals(real["phone"].isna())
    assert real.equals(make_pii_table())  # the input is not mutated


def test_the_same_person_gets_the_same_fake_in_every_row(
    real: pd.DataFrame, safe: pd.DataFrame
) -> None:
    for column in ("full_name", "email", "ssn"):
        pairs = pd.DataFrame({"real": real[column], "fake": safe[column]})
        assert (pairs.groupby("real")["fake"].nunique() == 1).all()
        assert safe[column].nunique() >= 0.97 * real[column].nunique()


def test_fakes_keep_the_format_of_each_value(safe: pd.DataFrame) -> None:
    assert safe["phone"].dropna().str.fullmatch(r"\(\d{3}\) \d{3}-\d{4}").all()
    assert safe["ssn"].str.fullmatch(r"\d{3}-\d{2}-\d{4}").all()
    assert safe["card_number"].map(luhn_valid).all()
    assert safe["iban"].map(iban_valid).all()
    assert safe["email"].str.contains("@").all()
    assert pd.to_datetime(safe["date_of_birth"], format="%Y-%m-%d").notna().all()


def test_the_secret_keys_the_pseudonyms(real: pd.DataFrame, safe: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(anonymize(real, secret="test secret"), safe)
    other = anonymize(real, secret="another secret")
    assert (other["full_name"] != safe["full_name"]).mean() > 0.95
    # a value maps alike whatever else is in the table (cross-table consistency)
    part = anonymize(real.iloc[:50], secret="test secret")
    assert part["ssn"].tolist() == safe["ssn"].iloc[:50].tolist()


def test_seeds_reproduce_and_no_key_means_a_fresh_one(real: pd.DataFrame) -> None:
    small = real.iloc[:40]
    pd.testing.assert_frame_equal(
        anonymize(small, random_state=1), anonymize(small, random_state=1)
    )
    assert not anonymize(small)["email"].equals(anonymize(small)["email"])


@pytest.mark.skipif(not TITANIC.exists(), reason="shared datasets not beside the repo")
def test_titanic_names_tickets_and_cabins_are_replaced_in_their_shapes() -> None:
    titanic = pd.read_csv(TITANIC)
    out = anonymize(titanic, secret="k")
    for column in ("Name", "Ticket", "Cabin"):
        assert not set(out[column].dropna()) & set(titanic[column].dropna()), column
    assert out["Name"].str.contains(r"^[^,]+, (?:Mr|Mrs|Miss|Master|Dr|Rev)\.").mean() > 0.9
    prefixed = titanic["Ticket"].str.startswith("PC ")
    assert out.loc[prefixed, "Ticket"].str.fullmatch(r"PC \d+").all()
    assert out["Cabin"].isna().equals(titanic["Cabin"].isna())
    kept = [c for c in titanic.columns if c not in ("Name", "Ticket", "Cabin")]
    pd.testing.assert_frame_equal(out[kept], titanic[kept])


def test_cli_anonymize_writes_the_table(tmp_path: Path, real: pd.DataFrame) -> None:
    data, out = tmp_path / "real.csv", tmp_path / "safe.csv"
    real.to_csv(data, index=False)
    result = CliRunner().invoke(
        app, ["anonymize", str(data), "-o", str(out), "--secret", "s", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out)
    assert len(written) == len(real)
    assert not set(written["email"]) & set(real["email"])
