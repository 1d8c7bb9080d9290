"""The library side of the CLI: whole jobs, text parameters, outputs never onto inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import lookalike
from lookalike.cli import main
from lookalike.errors import DataError
from lookalike.jobs import fit_file, model_params, refuse_overwriting, same_place, sample_to
from lookalike.models import model_class
from lookalike.models.param_text import parse_params
from tests.conftest import make_mixed_table


def test_the_api_exports_what_the_cli_uses() -> None:
    for name in ("balance", "Interval", "set_quiet", "quiet_mode", "fit_file", "sample_to"):
        assert name in lookalike.__all__ and hasattr(lookalike, name), name
    assert lookalike.parse_where(["age>=60"])["age"] == lookalike.Interval("60", None)
    assert callable(lookalike.balance)


def test_metadata_detect_takes_a_polars_frame_as_fit_does() -> None:
    polars = pytest.importorskip("polars")
    table = make_mixed_table(40)
    detected = lookalike.Metadata.detect(polars.from_pandas(table))
    assert detected.to_dict() == lookalike.Metadata.detect(table).to_dict()
    detected.validate(polars.from_pandas(table))


def test_fit_file_then_sample_to_match_the_command(tmp_path: Path) -> None:
    data = tmp_path / "real.csv"
    make_mixed_table(100).to_csv(data, index=False)
    fitted = fit_file(data, tmp_path / "m.lookalike", model="cart", seed=1, params=["trees=1"])
    assert fitted.rows == "100 rows" and fitted.model.trees == 1 and fitted.notes == []
    written = sample_to(tmp_path / "m.lookalike", 30, tmp_path / "s.csv", seed=2, where=["age>=50"])
    rows = pd.read_csv(tmp_path / "s.csv")
    assert written.rows == len(rows) == 30 and (rows["age"] >= 50).all()
    assert written.written == f"30 rows to {tmp_path / 's.csv'}"


def test_a_one_row_table_fits_with_a_clear_warning(tmp_path: Path) -> None:
    data = tmp_path / "one.csv"
    data.write_text("x,c\n1.5,a\n")
    result = fit_file(data, model="cart")
    assert result.notes and "only 1 row" in result.notes[0] and "copies" in result.notes[0]


def test_parameters_are_read_as_their_declared_types() -> None:
    ctgan = model_class("ctgan")
    got = parse_params(ctgan, ["generator_dim=(128,128)", "keep_best=no", "max_time=none"])
    assert got == {"generator_dim": (128, 128), "keep_best": False, "max_time": None}
    assert parse_params(model_class("cart"), ["order=few"]) == {"order": "few"}
    assert parse_params(model_class("cart"), ["order=a,b"]) == {"order": ["a", "b"]}
    assert parse_params(model_class("kde"), ["bandwidth=0.2"]) == {"bandwidth": 0.2}
    with pytest.raises(DataError, match=r"min_leaf .* takes a whole number"):
        parse_params(model_class("cart"), ["min_leaf=2.5"])
    with pytest.raises(DataError, match="--seed"):
        parse_params(model_class("cart"), ["random_state=1"])
    params, notes = model_params("copula", [], epochs=5)
    assert params == {} and "--epochs is ignored" in notes[0]
    with pytest.raises(DataError, match="--max-time must be more than 0"):
        model_params("ctgan", [], max_time=-1.0)


def test_an_output_onto_an_input_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n")
    assert same_place(tmp_path / "a.csv", tmp_path / "sub" / ".." / "a.csv")
    db = tmp_path / "x.db"
    assert same_place(f"sqlite:///{db}?table=t", f"sqlite:///{tmp_path}/./x.db?table=T")
    assert not same_place(f"sqlite:///{db}?table=t", f"sqlite:///{db}?table=u")
    assert not same_place(f"sqlite:///{db}?table=t", tmp_path / "a.csv")
    with pytest.raises(DataError, match="would destroy the input"):
        refuse_overwriting([tmp_path / "a.csv"], str(tmp_path / "a.csv"))


def test_anonymize_replaces_its_input_only_with_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    table = pd.DataFrame({"email": [f"p{i}@example.org" for i in range(30)], "x": range(30)})
    table.to_csv("people.csv", index=False)
    with pytest.raises(SystemExit) as refused:
        main(["anonymize", "people.csv", "-o", "people.csv", "-q"])
    assert refused.value.code == 2 and "--in-place" in capsys.readouterr().err
    assert pd.read_csv("people.csv").equals(table)
    with pytest.raises(SystemExit) as done:
        main(["anonymize", "people.csv", "-o", "people.csv", "--in-place", "-q"])
    assert done.value.code == 0
    after = pd.read_csv("people.csv")
    assert after["x"].tolist() == list(range(30))
    assert not after["email"].isin(table["email"]).any()
