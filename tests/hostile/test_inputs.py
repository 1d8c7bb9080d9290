"""Hostile or odd inputs: encodings, compression, binary and nested files, mixed dates, PII hidden
in numbers."""

from __future__ import annotations

import bz2
import gzip
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lookalike import Metadata, get_model
from lookalike.errors import DataError, DataWarning
from lookalike.io.files import iter_chunks, read_table, write_table
from lookalike.pii.anonymize import anonymize
from lookalike.pii.fakes import luhn_valid
from tests.test_cli import assert_clean_error, run

TEXT = "größe,stadt\n1.5,Köln\n2.5,Zürich\n3.5,Genève\n"
EXPECTED = ["Köln", "Zürich", "Genève"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf16.csv", TEXT.encode("utf-16")),
        ("utf16be.csv", b"\xfe\xff" + TEXT.encode("utf-16-be")),
        ("utf16-no-bom.csv", TEXT.encode("utf-16-le")),
        ("utf32.csv", TEXT.encode("utf-32")),
        ("utf8-bom.csv", b"\xef\xbb\xbf" + TEXT.encode()),
        ("gzip-named.csv", gzip.compress(TEXT.encode())),
        ("t.csv.gz", gzip.compress(TEXT.encode())),
        ("t.csv.bz2", bz2.compress(TEXT.encode())),
        ("utf16-in.csv.gz", gzip.compress(TEXT.encode("utf-16"))),
    ],
)
def test_encodings_and_compression_are_detected_not_read_as_latin1(
    tmp_path: Path, name: str, data: bytes
) -> None:
    path = _write(tmp_path / name, data)
    frame = read_table(path)
    assert list(frame.columns) == ["größe", "stadt"] and frame["stadt"].tolist() == EXPECTED
    streamed = pd.concat(list(iter_chunks(path, chunk_rows=2)))
    assert streamed["stadt"].tolist() == EXPECTED


def test_a_zip_of_one_csv_is_read_and_a_zip_of_many_is_refused(tmp_path: Path) -> None:
    one = tmp_path / "t.csv.zip"
    with zipfile.ZipFile(one, "w") as archive:
        archive.writestr("t.csv", TEXT)
    assert read_table(one)["stadt"].tolist() == EXPECTED
    with zipfile.ZipFile(one, "w") as archive:
        archive.writestr("a.csv", TEXT)
        archive.writestr("b.csv", TEXT)
    with pytest.raises(DataError, match="zip of 2 files"):
        read_table(one)


def test_latin1_fallback_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path / "old.csv", TEXT.encode("cp1252"))
    with pytest.warns(DataWarning, match="not UTF-8"):
        assert read_table(path)["stadt"].tolist() == EXPECTED
    result = run("inspect", str(path))
    assert result.returncode == 0 and "warning: " in result.stderr


def test_binary_data_named_csv_is_a_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "photo.csv", bytes(range(256)) * 40)
    assert_clean_error(run("inspect", str(path)), "binary")


def test_nested_and_binary_parquet_columns_are_named(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "nested.parquet"
    table = pa.table(
        {
            "tags": [[1, 2], [3]],
            "address": [{"city": "a"}, {"city": "b"}],
            "attrs": pa.array([[("k", 1)], [("k", 2)]], type=pa.map_(pa.string(), pa.int64())),
            "blob": [b"ab", b"cd"],
            "ok": [1, 2],
        }
    )
    pq.write_table(table, path)
    for read in (read_table, lambda p: next(iter_chunks(p))):
        with pytest.raises(DataError) as caught:
            read(path)
        message = str(caught.value)
        assert all(name in message for name in ("tags", "address", "attrs", "blob"))
        assert "ok (" not in message
    assert_clean_error(run("fit", str(path), "-o", str(tmp_path / "m.lookalike")), "tags")


def test_a_compressed_output_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"plain \.csv"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "out.csv.gz")


# ---------------------------------------------------------------------- what columns hold
def _mixed_dates(n: int = 300) -> pd.Series:
    rng = np.random.default_rng(0)
    stamps = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, n), unit="D")
    formats = ["%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%b %d %Y"]
    return pd.Series([s.strftime(formats[i % 4]) for i, s in enumerate(stamps)])


def test_dates_in_mixed_formats_are_dates_and_sample_as_real_dates() -> None:
    table = pd.DataFrame({"when": _mixed_dates(), "v": np.arange(300.0)})
    assert Metadata.detect(table).columns["when"].kind == "datetime"
    rows = get_model("cart", random_state=0).fit(table).sample(200)
    when = pd.to_datetime(rows["when"], errors="coerce")
    assert when.notna().all()
    assert when.between(pd.Timestamp("2014-12-31"), pd.Timestamp("2023-12-31")).all()


def _card_numbers(n: int, rng: np.random.Generator) -> list[int]:
    out = []
    while len(out) < n:
        number = int(rng.integers(4 * 10**15, 5 * 10**15))
        if luhn_valid(str(number)):
            out.append(number)
    return out


def test_integer_card_numbers_are_pii_whatever_the_column_name(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    cards = _card_numbers(297, rng) + [int(x) for x in rng.integers(10**15, 10**16, 3)]
    table = pd.DataFrame(
        {
            "card": cards,
            "amount": rng.normal(100, 20, 300).round(2),
            "order": rng.integers(10**15, 10**16, 300),  # big numbers that are not cards
        }
    )
    columns = Metadata.detect(table).columns
    assert columns["card"].kind == "pii" and columns["card"].pii_kind == "credit_card"
    assert columns["order"].kind != "pii"
    masked = anonymize(table, secret="k")
    assert not masked["card"].isin(table["card"]).any()
    assert masked["amount"].equals(table["amount"])
    rows = get_model("cart", random_state=0).fit(table).sample(300)
    assert not rows["card"].isin(table["card"]).any()
    path = tmp_path / "cards.csv"
    table.to_csv(path, index=False)
    out = tmp_path / "masked.csv"
    assert run("anonymize", str(path), "-o", str(out), "--secret", "k").returncode == 0
    assert not pd.read_csv(out)["card"].isin(table["card"]).any()


@pytest.mark.parametrize(
    ("column", "words"),
    [
        ({"kind": "numerical", "min": "x"}, "min must be a finite number"),
        ({"kind": "numerical", "min": 5, "max": 1}, "min 5 is above max 1"),
        ({"kind": "numerical", "decimals": 1e30}, "decimals must be a whole number"),
        ({"kind": "datetime", "format": 5}, "format must be text"),
        ({"kind": "categorical", "n_categories": -1}, "n_categories"),
        ({"kind": "numerical", "missing_share": 2}, "missing_share"),
    ],
)
def test_hand_edited_metadata_fields_are_checked(column: dict[str, object], words: str) -> None:
    from lookalike.errors import MetadataError

    with pytest.raises(MetadataError, match=f"column 'a': {words}"):
        Metadata.from_dict({"columns": {"a": column}})


def test_deeply_nested_metadata_json_is_a_clear_error(tmp_path: Path) -> None:
    from lookalike.errors import MetadataError

    path = tmp_path / "meta.json"
    path.write_text('{"a":' * 50_000 + "1" + "}" * 50_000)
    with pytest.raises(MetadataError, match="nested too deeply"):
        Metadata.from_json(path)
