"""Full disks, read-only folders, unreadable inputs: one `error:` line, exit 2, nothing left behind.

The command runs in this process (`lookalike.cli.main`) so that a write can be made to fail the
way a full disk makes it fail (ENOSPC from a monkeypatched write). Permission tests that need a
real chmod skip as root (root ignores permissions); a monkeypatched twin covers them there.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lookalike import get_model, save
from lookalike.cli import main
from lookalike.io.files import write_table
from tests.conftest import make_mixed_table

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def full_disk(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, "No space left on device")


def lookalike_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """(exit code, stderr) of `lookalike ARGS` run in this process."""
    with pytest.raises(SystemExit) as done:
        main(list(args))
    return int(done.value.code or 0), capsys.readouterr().err


def visible_lines(stderr: str) -> list[str]:
    """The lines a terminal shows: a progress bar cleared with a carriage return is gone."""
    shown = (line.rsplit("\r", 1)[-1] for line in stderr.split("\n"))
    return [line for line in shown if line.strip()]


def assert_one_error(code: int, stderr: str, *words: str) -> None:
    lines = visible_lines(stderr)
    assert code == 2, stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    for word in words:
        assert word in lines[0], lines[0]


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*"))


@pytest.fixture
def place(tmp_path: Path) -> Path:
    table = make_mixed_table(60)
    table.to_csv(tmp_path / "data.csv", index=False)
    save(get_model("copula", random_state=0).fit(table), tmp_path / "model.lookalike")
    return tmp_path


@pytest.mark.parametrize(
    ("target", "args"),
    [
        ("zipfile.ZipFile.writestr", ["fit", "data.csv", "-o", "new.lookalike", "-q"]),
        ("pathlib.Path.write_text", ["inspect", "data.csv", "-o", "new.json"]),
        ("pathlib.Path.write_text", ["spec", "data.csv", "-o", "new.yaml"]),
        (
            "lookalike.io.files._write_csv",
            ["sample", "model.lookalike", "-n", "5", "-o", "new.csv"],
        ),
    ],
    ids=["fit", "inspect -o", "spec -o", "sample"],
)
def test_a_full_disk_gives_one_line_and_leaves_nothing(
    place: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    args: list[str],
) -> None:
    monkeypatch.chdir(place)
    monkeypatch.setattr(target, full_disk)
    code, stderr = lookalike_in_process(capsys, *args)
    assert_one_error(code, stderr, "no space left", "new.")
    assert not any(p.name.startswith("new.") for p in place.iterdir())
    assert hidden(place) == []


def test_a_full_disk_during_evaluate_json(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(place)
    make_mixed_table(60, seed=1).to_csv(place / "synthetic.csv", index=False)
    monkeypatch.setattr("pathlib.Path.write_text", full_disk)
    args = ["evaluate", "data.csv", "synthetic.csv", "--json", "scores.json", "-q"]
    code, stderr = lookalike_in_process(capsys, *args)
    stderr = "\n".join(line for line in stderr.splitlines() if not line.startswith("note:"))
    assert_one_error(code, stderr, "no space left", "scores.json")
    assert not (place / "scores.json").exists() and hidden(place) == []


def test_an_error_is_not_printed_on_the_progress_bars_line(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(place)
    monkeypatch.delenv("LOOKALIKE_QUIET", raising=False)

    def fill_then_fail(chunks: Any, tmp: Path) -> int:
        next(iter(chunks))  # the bar has drawn itself
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("lookalike.io.files._write_csv", fill_then_fail)
    with pytest.raises(SystemExit):
        main(["sample", "model.lookalike", "-n", "120000", "-o", "new.csv", "--workers", "1"])
    stderr = capsys.readouterr().err
    assert "sampling" in stderr  # a bar was shown
    line = next(text for text in stderr.split("\n") if "error:" in text)
    assert line.rsplit("\r", 1)[-1].startswith("error: no space left"), repr(line)


@pytest.mark.skipif(AS_ROOT, reason="root ignores folder permissions; see the monkeypatched twin")
def test_a_read_only_folder_is_refused_in_one_line(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(place)
    locked = place / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, stderr = lookalike_in_process(
            capsys, "sample", "model.lookalike", "-n", "5", "-o", "locked/new.csv"
        )
    finally:
        locked.chmod(0o755)
    assert_one_error(code, stderr, "permission denied", "locked/new.csv")
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("code_", [errno.EACCES, errno.EROFS], ids=["no permission", "read-only"])
def test_a_folder_that_refuses_writes_is_reported_in_one_line(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, code_: int
) -> None:
    monkeypatch.chdir(place)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(code_, os.strerror(code_))

    monkeypatch.setattr("pathlib.Path.touch", refuse)  # how the atomic writer creates its temp
    code, stderr = lookalike_in_process(
        capsys, "sample", "model.lookalike", "-n", "5", "-o", "new.csv"
    )
    assert_one_error(code, stderr, "new.csv")
    assert ("permission denied" if code_ == errno.EACCES else "read-only") in stderr


@pytest.mark.skipif(AS_ROOT, reason="root reads any file; see the monkeypatched twin")
def test_an_unreadable_input_is_reported_in_one_line(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(place)
    (place / "data.csv").chmod(0)
    try:
        code, stderr = lookalike_in_process(capsys, "inspect", "data.csv")
    finally:
        (place / "data.csv").chmod(0o644)
    assert_one_error(code, stderr, "permission denied", "data.csv")


def test_an_os_error_while_reading_is_reported_in_one_line(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(place)

    def unreadable(path: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("lookalike.io.encoding.open_binary", unreadable)  # how files are opened
    code, stderr = lookalike_in_process(capsys, "inspect", "data.csv")
    assert_one_error(code, stderr, "permission denied", "data.csv")


def test_a_full_disk_while_replacing_a_sqlite_table_keeps_the_old_table(
    place: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(place)
    database = place / "clinic.db"
    old = pd.DataFrame({"x": [1, 2, 3]})
    write_table(old, f"sqlite:///{database}?table=t")
    calls = []

    def disk_full(*args: Any) -> None:
        calls.append(1)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("lookalike.io.sql._insert_sqlite", disk_full)
    url = f"sqlite:///{database}?table=t"
    code, stderr = lookalike_in_process(capsys, "sample", "model.lookalike", "-n", "5", "-o", url)
    assert calls
    assert_one_error(code, stderr, "disk space")
    with sqlite3.connect(database) as connection:
        names = [n for (n,) in connection.execute("SELECT name FROM sqlite_master")]
        assert names == ["t"]
        assert connection.execute("SELECT x FROM t").fetchall() == [(1,), (2,), (3,)]


def test_model_files_are_still_zips_after_the_change(place: Path) -> None:
    assert zipfile.is_zipfile(place / "model.lookalike")
