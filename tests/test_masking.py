"""Database passwords never reach the terminal: success lines, notes and errors are all masked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lookalike import get_model, save
from lookalike.cli import main
from lookalike.masking import mask_url
from tests.conftest import make_mixed_table
from tests.test_sources import postgres_url  # noqa: F401 - a fixture

SECRET = "s3cr@t"  # with an unencoded "@", which a naive mask stops at
URL = f"postgresql://ann:{SECRET}@127.0.0.1:1/clinic?table=patients"  # port 1: nothing listens


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("postgresql://u:secret@host/db", "postgresql://u:***@host/db"),
        (
            "wrote postgresql://u:p@ss@host:5432/db?table=t.",
            "wrote postgresql://u:***@host:5432/db?table=t.",
        ),
        ("a sqlite:///x.db?table=t b", "a sqlite:///x.db?table=t b"),
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        (
            "two: mysql://a:b@h/d and postgresql://c:d@e/f",
            "two: mysql://a:***@h/d and postgresql://c:***@e/f",
        ),
    ],
)
def test_mask_url_hides_every_password(text: str, masked: str) -> None:
    assert mask_url(text) == masked


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    captured = capsys.readouterr()
    return int(done.value.code or 0), captured.out + captured.err


@pytest.mark.parametrize(
    "args",
    [
        ["inspect", URL],
        ["anonymize", URL, "-o", "out.csv"],
        ["balance", URL, "-t", "city", "-o", "out.csv"],
        ["fit", URL, "-o", "m.lookalike"],
        ["anonymize", "data.csv", "-o", URL],
        ["sample", "model.lookalike", "-n", "5", "-o", URL],
    ],
    ids=["inspect", "anonymize in", "balance", "fit", "anonymize out", "sample"],
)
def test_an_unreachable_database_error_is_masked(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    table = make_mixed_table(60)
    table.to_csv("data.csv", index=False)
    save(get_model("copula", random_state=0).fit(table), "model.lookalike")
    code, shown = run(capsys, *args)
    assert code == 2, shown
    assert "error:" in shown and SECRET not in shown and "s3cr" not in shown
    assert "ann:***@127.0.0.1" in shown


@pytest.fixture
def fake_database(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """read_table/write_table that serve URL from memory, so the success paths run offline."""
    stored: dict[str, Any] = {URL: make_mixed_table(80)}

    def read(source: Any) -> pd.DataFrame:
        return stored[str(source)] if str(source) in stored else pd.read_csv(source)

    def write(frame: Any, target: Any, **options: Any) -> None:  # allow_formulas, ...
        stored[str(target)] = frame

    def write_chunks(chunks: Any, target: Any, **options: Any) -> int:
        frames = list(chunks)
        stored[str(target)] = frames
        return sum(len(f) for f in frames)

    monkeypatch.setattr("lookalike.io.files.read_table", read)
    monkeypatch.setattr("lookalike.io.files.write_table", write)
    monkeypatch.setattr("lookalike.scale.parallel.write_chunks", write_chunks)
    return stored


@pytest.mark.parametrize(
    "args",
    [
        ["inspect", URL],
        ["anonymize", URL, "-o", URL.replace("patients", "shared")],
        ["balance", URL, "-t", "member", "-o", URL.replace("patients", "balanced")],
        ["sample", "model.lookalike", "-n", "5", "-o", URL.replace("patients", "fake")],
    ],
    ids=["inspect", "anonymize", "balance", "sample"],
)
def test_success_lines_are_masked(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    fake_database: dict[str, Any],
    args: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    save(get_model("copula", random_state=0).fit(make_mixed_table(60)), "model.lookalike")
    code, shown = run(capsys, *args)
    assert code == 0, shown
    assert "ann:***@" in shown, shown
    assert SECRET not in shown and "s3cr" not in shown


@pytest.mark.postgres
def test_a_real_postgres_url_is_masked_on_every_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,  # noqa: F811 - the fixture imported above
) -> None:
    from sqlalchemy.engine import make_url

    password = make_url(postgres_url).password
    assert password, "the test server's URL carries a password"
    monkeypatch.chdir(tmp_path)
    make_mixed_table(60).to_csv("data.csv", index=False)
    out = postgres_url.replace("?table=", "?table=masked_")
    steps = [  # (command, whether its summary names the URL)
        (["anonymize", "data.csv", "-o", postgres_url], True),
        (["inspect", postgres_url], True),
        (["balance", postgres_url, "-t", "member", "-o", out], True),
        (["fit", postgres_url, "-o", "m.lookalike"], False),
        (["sample", "m.lookalike", "-n", "5", "-o", out], True),
    ]
    for args, names_it in steps:
        code, shown = run(capsys, *args)
        assert code == 0, shown
        assert f":{password}@" not in shown, args  # (the user name may equal the password)
        assert ":***@" in shown or not names_it, shown
    assert f":{password}@" not in (tmp_path / "m.lookalike").read_bytes().decode("latin-1")
