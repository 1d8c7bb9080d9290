from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lookalike
from lookalike.errors import DataError
from lookalike.io import files
from lookalike.io.files import iter_chunks, read_table, reparse_csv, write_chunks, write_table


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# ---------------------------------------------------------------------- reading
def test_semicolon_csv_in_windows_1252_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("name;city\nZoë;Liège\nAndré;Genève\n".encode("cp1252"))
    from lookalike.errors import DataWarning

    with pytest.warns(DataWarning, match="not UTF-8; read it as cp1252"):
        frame = read_table(path)
    assert list(frame.columns) == ["name", "city"]
    assert frame["city"].tolist() == ["Liège", "Genève"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"a,b,c\n", "header but no data rows"),
        (b"a,b,a\n1,2,3\n", "duplicate column name"),
    ],
)
def test_bad_csv_files_give_clear_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        read_table(path)


def test_unsupported_suffix_and_missing_file_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="unsupported file type"):
        read_table(tmp_path / "t.xlsx")
    with pytest.raises(DataError, match="does not exist"):
        read_table(tmp_path / "nope.csv")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_streamed_chunks_hold_every_row_with_the_types_of_a_full_read(
    tmp_path: Path, suffix: str, mixed_table: pd.DataFrame
) -> None:
    path = tmp_path / f"t{suffix}"
    write_table(mixed_table, path)
    chunks = list(iter_chunks(path, chunk_rows=50))
    assert [len(c) for c in chunks] == [50, 50, 20]
    whole = pd.concat(chunks, ignore_index=True)
    if suffix == ".csv":
        whole = reparse_csv(whole)
    pd.testing.assert_frame_equal(whole, read_table(path))


def test_a_damaged_parquet_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DataError, match="not a readable Parquet"):
        read_table(path)
    with pytest.raises(DataError, match="not a readable Parquet"):
        list(iter_chunks(path))


# ---------------------------------------------------------------------- writing
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_failure_mid_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, suffix: str, mixed_table: pd.DataFrame
) -> None:
    path = tmp_path / f"out{suffix}"
    write_table(mixed_table.iloc[:5], path)
    before = path.read_bytes()

    def chunks():
        yield mixed_table
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_chunks(chunks(), path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_a_full_disk_gives_a_clear_error_and_no_partial_file(
    tmp_path: Path, mixed_table: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = files._write_csv

    def full_disk(chunks, tmp):
        real_write(chunks, tmp)  # the bytes reach the temp file, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_write_csv", full_disk)
    path = tmp_path / "out.csv"
    with pytest.raises(DataError, match=r"no space left on the disk .* nothing was written"):
        write_table(mixed_table, path)
    assert not path.exists()
    assert _leftovers(tmp_path) == []
    monkeypatch.undo()
    write_table(mixed_table, path)  # a re-run completes
    assert len(read_table(path)) == len(mixed_table)


def test_chunks_stream_into_one_file(tmp_path: Path, mixed_table: pd.DataFrame) -> None:
    for suffix in (".csv", ".parquet"):
        path = tmp_path / f"out{suffix}"
        rows = write_chunks((mixed_table.iloc[i : i + 40] for i in range(0, 120, 40)), path)
        assert rows == 120
        back = read_table(path)
        assert len(back) == 120
        assert back["city"].tolist() == mixed_table["city"].tolist()


# ---------------------------------------------------------------------- DataFrame kinds
def test_models_accept_polars_and_pandas_frames_alike(mixed_table: pd.DataFrame) -> None:
    pl = pytest.importorskip("polars")
    table = mixed_table
    from_polars = lookalike.get_model("copula", random_state=0).fit(pl.from_pandas(table))
    from_pandas = lookalike.get_model("copula", random_state=0).fit(table)
    pd.testing.assert_frame_equal(from_polars.sample(50), from_pandas.sample(50))
    synthetic = lookalike.synthesize(pl.from_pandas(table), 30, random_state=1)
    assert len(synthetic) == 30
    assert list(synthetic.columns) == list(table.columns)


def test_polars_frames_can_be_written(tmp_path: Path, mixed_table: pd.DataFrame) -> None:
    pl = pytest.importorskip("polars")
    for target in ("t.csv", "t.parquet"):
        write_table(pl.from_pandas(mixed_table), tmp_path / target)
        assert read_table(tmp_path / target)["city"].tolist() == mixed_table["city"].tolist()
    with pytest.raises(DataError, match="cannot write a list"):
        write_table([1, 2], tmp_path / "t.csv")


def test_reading_never_changes_a_users_frame(tmp_path: Path, mixed_table: pd.DataFrame) -> None:
    copy = mixed_table.copy()
    write_table(mixed_table, tmp_path / "t.parquet")
    pd.testing.assert_frame_equal(mixed_table, copy)
    assert np.array_equal(read_table(tmp_path / "t.parquet")["age"], mixed_table["age"])


@pytest.mark.parametrize("suffix", ["a.csv", "b.parquet"])
def test_a_cell_with_a_bare_carriage_return_reads_back_equal(tmp_path: Path, suffix: str) -> None:
    frame = pd.DataFrame({"text": ["a\rb", "plain", "c\r\nd", 'say "\r"'], "n": [1, 2, 3, 4]})
    write_table(frame, tmp_path / suffix)
    pd.testing.assert_frame_equal(read_table(tmp_path / suffix), frame, check_dtype=False)
    rendered = files.csv_text(frame, True)  # what sampling workers hand over
    assert rendered.startswith('text,n\n"a\rb",1\nplain,2\n')  # quoted, "\n" row ends


def test_chunks_with_carriage_returns_stream_to_one_readable_csv(tmp_path: Path) -> None:
    first = pd.DataFrame({"text": ["x\ry", "z"]})
    second = pd.DataFrame({"text": ["w\r", "v"]})  # a leading "\r" would be a formula guard's
    assert (
        write_chunks([first, files.TextChunk(files.csv_text(second, False), 2)], tmp_path / "c.csv")
        == 4
    )
    assert read_table(tmp_path / "c.csv")["text"].tolist() == ["x\ry", "z", "w\r", "v"]
