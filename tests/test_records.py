"""Provenance cards beside every output, and `lookalike records` listing and deleting them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lookalike.cli import app
from lookalike.errors import DataError
from lookalike.io.provenance import file_sha256
from lookalike.record_list import find_cards
from lookalike.records import write_card
from tests.conftest import make_mixed_table
from tests.test_cli import run as cli

runner = CliRunner()


def ok(*args: str) -> str:
    result = runner.invoke(app, [*args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("records")
    make_mixed_table(150, seed=1).to_csv(folder / "real.csv", index=False)
    ok(
        "fit",
        str(folder / "real.csv"),
        "-o",
        str(folder / "m.lookalike"),
        "-m",
        "cart",
        "--seed",
        "3",
        "-q",
    )
    return folder


def card(path: Path) -> dict:
    return json.loads(Path(f"{path}.card.json").read_text(encoding="utf-8"))


def test_sample_writes_a_card_with_source_model_seed_rows_purpose_and_expiry(workdir) -> None:
    out = workdir / "synthetic.csv"
    ok(
        "sample",
        str(workdir / "m.lookalike"),
        "-n",
        "80",
        "-o",
        str(out),
        "--seed",
        "5",
        "--purpose",
        "test the billing pipeline",
        "--expires",
        "2099-06-30",
        "-q",
    )
    facts = card(out)
    assert facts["command"] == "sample" and facts["rows"] == {"output": 80}
    assert facts["source"]["name"] == "real.csv"
    assert facts["source"]["sha256"] == file_sha256(workdir / "real.csv")
    assert facts["model"]["name"] == "cart" and facts["model"]["seed"] == 3
    assert facts["model"]["file"] == "m.lookalike"
    assert facts["seed"] == 5
    assert facts["purpose"] == "test the billing pipeline" and facts["expires"] == "2099-06-30"
    # a cart model file holds training values in its leaves: the card says so
    assert facts["model_file_contains_training_values"] is True
    assert "Paris" not in json.dumps(facts)


def test_evaluate_puts_privacy_scores_and_words_into_the_card(workdir) -> None:
    out = workdir / "synthetic.csv"
    if not Path(f"{out}.card.json").exists():
        test_sample_writes_a_card_with_source_model_seed_rows_purpose_and_expiry(workdir)
    ok("evaluate", str(workdir / "real.csv"), str(out), "-q")
    privacy = card(out)["privacy"]
    assert privacy["verdict"] in {"good", "fair", "poor"}
    assert "privacy.exact_match_share" in privacy["scores"]
    assert "empirical" in privacy["in_words"]


def test_generate_anonymize_and_balance_write_cards(workdir, tmp_path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("rows: 20\ncolumns:\n  x: {kind: normal, mean: 1, sd: 2}\n", encoding="utf-8")
    ok("generate", str(spec), "-o", str(tmp_path / "fake.csv"), "--seed", "1", "-q")
    assert card(tmp_path / "fake.csv")["source"]["sha256"] == file_sha256(spec)
    ok(
        "anonymize",
        str(workdir / "real.csv"),
        "-o",
        str(tmp_path / "anon.csv"),
        "--seed",
        "1",
        "--purpose",
        "support tickets",
        "-q",
    )
    anonymized = card(tmp_path / "anon.csv")
    assert anonymized["contains_real_rows"] is True and anonymized["purpose"] == "support tickets"
    ok(
        "balance",
        str(workdir / "real.csv"),
        "--target",
        "member",
        "-o",
        str(tmp_path / "bal.csv"),
        "--seed",
        "1",
        "-q",
    )
    balanced = card(tmp_path / "bal.csv")
    assert balanced["rows"]["output"] == balanced["rows"]["real"] + balanced["rows"]["added"]
    assert balanced["method"] == "smote"


def test_augment_and_anomalies_write_cards(workdir, tmp_path) -> None:
    real = str(workdir / "real.csv")
    aug = tmp_path / "aug.csv"
    ok(
        "augment",
        real,
        "--target",
        "member",
        "-o",
        str(aug),
        "--rows",
        "40",
        "--seed",
        "1",
        "--purpose",
        "more rows",
        "--expires",
        "2099-01-01",
        "-q",
    )
    augmented = card(aug)
    assert augmented["rows"] == {"real": 150, "added": 40, "output": 190}
    assert augmented["purpose"] == "more rows" and augmented["expires"] == "2099-01-01"
    assert augmented["source"]["sha256"] == file_sha256(workdir / "real.csv")
    odd = tmp_path / "odd.csv"
    ok("anomalies", real, "-n", "60", "-o", str(odd), "--seed", "1", "-q")
    assert card(odd)["rows"]["output"] == 60 and card(odd)["command"] == "anomalies"


def test_a_database_output_gets_its_card_in_the_records_folder(workdir, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'out.db'}?table=synthetic"
    ok(
        "sample",
        str(workdir / "m.lookalike"),
        "-n",
        "20",
        "-o",
        url,
        "--records",
        str(tmp_path / "records"),
        "-q",
    )
    (found,), _ = find_cards(tmp_path / "records")
    assert found.card["output"]["kind"] == "database"
    assert found.card["output"]["name"].endswith("?table=synthetic")


def test_a_bad_expiry_date_is_one_error_line_and_nothing_is_written(workdir, tmp_path) -> None:
    out = tmp_path / "never.csv"
    model = str(workdir / "m.lookalike")
    result = cli("sample", model, "-n", "5", "-o", str(out), "--expires", "2027-02-30")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error:") and "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr
    for date, words in (("30/06/2027", "YYYY-MM-DD"), ("2001-01-01", "in the past")):
        refused = runner.invoke(
            app, ["sample", model, "-n", "5", "-o", str(out), "--expires", date]
        )
        assert isinstance(refused.exception, DataError) and words in str(refused.exception)
    assert not out.exists() and not Path(f"{out}.card.json").exists()


def _outputs(folder: Path) -> tuple[Path, Path, Path]:
    old, new = folder / "old.csv", folder / "sub" / "new.csv"
    parts = folder / "parts"
    for path in (old, new):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n1\n", encoding="utf-8")
    (parts / "part-0.parquet").parent.mkdir(parents=True, exist_ok=True)
    (parts / "part-0.parquet").write_bytes(b"PAR1")
    write_card(old, command="sample", rows={"output": 1}, purpose="old test", expires="2020-01-01")
    write_card(new, command="sample", rows={"output": 1}, purpose="kept", expires="2099-01-01")
    write_card(parts, command="sample", rows={"output": 1}, expires="2021-05-05")
    return old, new, parts


def test_records_lists_purpose_age_expiry_and_privacy(tmp_path) -> None:
    _outputs(tmp_path)
    listing = ok("records", str(tmp_path))
    assert "old test" in listing and "kept" in listing and "2020-01-01 (expired)" in listing
    assert "not evaluated" in listing and "0 d" in listing
    expired = ok("records", str(tmp_path), "--expired")
    assert "old.csv" in expired and "new.csv" not in expired


def test_records_expired_delete_removes_expired_outputs_and_cards(tmp_path) -> None:
    old, new, parts = _outputs(tmp_path)
    said = ok("records", str(tmp_path), "--expired", "--delete", "--yes")
    assert not old.exists() and not Path(f"{old}.card.json").exists()
    assert not parts.exists() and not Path(f"{parts}.card.json").exists()
    assert new.exists() and Path(f"{new}.card.json").exists()
    assert "removed" in said and "old.csv" in said and "parts" in said
    assert not [p for p in tmp_path.rglob("*") if ".deleting-" in p.name]  # nothing left aside


def test_records_delete_without_yes_and_without_a_terminal_refuses(tmp_path) -> None:
    old, _, _ = _outputs(tmp_path)
    refused = runner.invoke(app, ["records", str(tmp_path), "--expired", "--delete"], input="y\n")
    assert isinstance(refused.exception, DataError) and "--yes" in str(refused.exception)
    assert old.exists() and Path(f"{old}.card.json").exists()
    result = cli("records", str(tmp_path), "--delete")  # --delete needs --expired
    assert result.returncode == 2 and result.stderr.startswith("error:")


def test_model_files_holding_training_values_are_marked_per_model() -> None:
    from lookalike.models import get_model
    from lookalike.models.provenance import describe_model

    def holds(name: str, **params: object) -> bool:
        return describe_model(get_model(name, **params))["stores_training_values"]

    assert holds("cart") and holds("smote") and holds("noise") and holds("kde")
    assert holds("ctgan") and not holds("ctgan", normalization="mode")
    assert not holds("tvae")
    described = describe_model(get_model("bayesnet", epsilon=1.0))
    assert "min and max" in described["training_values"]
    assert described["differential_privacy"].startswith("epsilon = 1.0")


def test_a_card_never_shows_a_database_password(tmp_path) -> None:
    url = "postgresql://ann:s3cret@db.example/x?table=patients"
    path = write_card(
        url, command="sample", rows={"output": 3}, records=tmp_path, source={"name": url}
    )
    assert path is not None and path.parent == tmp_path
    text = path.read_text(encoding="utf-8")
    assert "s3cret" not in text and "s3cret" not in path.name and "ann:***@" in text


def test_the_report_shows_the_synthetic_files_card(workdir, tmp_path) -> None:
    out = tmp_path / "carded.csv"
    ok(
        "sample",
        str(workdir / "m.lookalike"),
        "-n",
        "60",
        "-o",
        str(out),
        "--purpose",
        "dashboard <demo>",
        "--expires",
        "2099-01-01",
        "-q",
    )
    ok("evaluate", str(workdir / "real.csv"), str(out), "--report", str(tmp_path / "r.html"), "-q")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Provenance card" in page and "dashboard &lt;demo&gt;" in page and "2099-01-01" in page
    assert "cart (file m.lookalike)" in page  # the model named by the card


def test_a_purpose_is_kept_as_one_plain_line(tmp_path) -> None:
    out = tmp_path / "x.csv"
    out.write_text("x\n1\n", encoding="utf-8")
    path = write_card(out, command="sample", rows={"output": 1}, purpose="ops\x1b[31m\nreview")
    assert json.loads(path.read_text(encoding="utf-8"))["purpose"] == "ops [31m review"
    with pytest.raises(DataError, match="--purpose"):
        write_card(out, command="sample", rows={"output": 1}, purpose="x" * 501)
