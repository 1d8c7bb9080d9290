"""`lookalike generate SPEC -o DATABASE_URL` writes a table like every other command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from lookalike import rules
from lookalike.errors import SpecError
from tests.rules.conftest import run_cli

SPEC = {
    "columns": {
        "id": {"kind": "id", "pattern": "C-#####"},
        "age": {"kind": "normal", "mean": 40, "sd": 10, "round": 0},
        "sex": {"kind": "categorical", "values": {"F": 0.5, "M": 0.5}},
    }
}


def spec_file(folder: Path, spec: dict) -> Path:
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path


def test_generate_writes_a_sqlite_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "fake.db"
    url = f"sqlite:///{database}?table=people"
    records = tmp_path / "records"
    code, _, err = run_cli(
        capsys, "generate", str(spec_file(tmp_path, SPEC)), "-n", "250", "-o", url,
        "--records", str(records),
    )  # fmt: skip
    assert code == 0, err
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, age, sex FROM people").fetchall()
    assert len(rows) == 250 and len({r[0] for r in rows}) == 250
    assert {r[2] for r in rows} == {"F", "M"}
    assert list(records.glob("*.json"))  # the card of a database output goes to --records


def test_a_failure_midway_keeps_the_old_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "fake.db"
    url = f"sqlite:///{database}?table=people"
    spec = str(spec_file(tmp_path, SPEC))
    assert run_cli(capsys, "generate", spec, "-n", "250", "-o", url)[0] == 0
    real_draw = rules.draw_chunk

    def draw(checked: dict, start: int, *args: object) -> object:
        if start >= 200:  # the third chunk of 100 rows fails
            raise SpecError("column 'age' cannot be drawn: broken on purpose.")
        return real_draw(checked, start, *args)

    monkeypatch.setattr(rules, "draw_chunk", draw)
    monkeypatch.setitem(rules.chunks_of.__kwdefaults__, "chunk_rows", 100)
    code, _, err = run_cli(capsys, "generate", spec, "-n", "500", "-o", url)
    assert code == 2 and err.startswith("error: ") and "broken on purpose" in err
    with sqlite3.connect(database) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]
        count = connection.execute("SELECT COUNT(*) FROM people").fetchone()[0]
    assert tables == ["people"] and count == 250  # the old table, no staging table left


def test_a_database_password_is_never_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://ann:s3cret-pw@127.0.0.1:1/shop?table=people"
    code, out, err = run_cli(
        capsys, "generate", str(spec_file(tmp_path, SPEC)), "-n", "5", "-o", url
    )
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    assert "s3cret-pw" not in err + out and "ann:***@" in err
