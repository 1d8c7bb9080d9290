"""What a table file really holds: compression by magic bytes, text encoding by BOM or a strict
decode, and Parquet column types lookalike can model.

- Compressed CSVs (`.csv.gz`, `.csv.bz2`, `.csv.xz`, a `.zip` of one CSV) are read as users
  expect, and so is a compressed file misnamed `.csv`: the magic bytes decide, not the name.
- Text: a byte-order mark decides (UTF-8, UTF-16, UTF-32, either byte order); without one,
  UTF-16 is recognised by its zero bytes, then UTF-8 is tried strictly. Only when that fails is
  the file read as Windows-1252 (then Latin-1), with a DataWarning saying so. A file with other
  zero bytes is binary: a DataError, never columns named after garbage.
- Parquet columns of lists, structs, maps or raw bytes are a DataError naming them.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import lzma
import warnings
import zipfile
from pathlib import Path
from typing import IO, Any

from lookalike.errors import DataError, DataWarning

COMPRESSED_SUFFIXES = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zip": "zip"}
_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
    (b"(\xb5/\xfd", "zstd"),
    (b"PAR1", "parquet"),
)
_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_OPENERS: dict[str, Any] = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}


def compression_of(path: Path) -> str | None:
    """'gzip', 'bz2', 'xz' or 'zip' from the file's first bytes; DataError for other formats."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    kind = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
    if kind == "parquet":
        raise DataError(f"{path} is a Parquet file; name it .parquet to read it.")
    if kind == "zstd":
        raise DataError(f"{path} is zstd-compressed; decompress it (or use gzip) first.")
    return kind


def open_binary(path: Path) -> IO[bytes]:
    """The file's (decompressed) bytes as a binary stream."""
    kind = compression_of(path)
    if kind is None:
        return open(path, "rb")
    if kind == "zip":
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.infolist() if not m.is_dir()]
        names = [m.filename for m in members]
        if "[Content_Types].xml" in names:
            raise DataError(f"{path} is an Excel workbook; save the sheet as CSV first.")
        if len(members) != 1:
            raise DataError(f"{path} is a zip of {len(members)} files; give a zip of one CSV.")
        return archive.open(members[0])
    try:
        return _OPENERS[kind](path, "rb")  # type: ignore[no-any-return]
    except OSError as error:
        raise DataError(f"{path} is not a readable {kind} file ({error}).") from None


def read_bytes(path: Path) -> bytes:
    """All the file's bytes, decompressed."""
    try:
        with open_binary(path) as handle:
            return handle.read()
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as error:
        raise _read_error(error, path) from None


def _read_error(error: BaseException, path: Path) -> DataError:
    """An OS error (no permission, ...) as itself; a decompression error as a damaged file."""
    if isinstance(error, OSError) and error.errno is not None:
        from lookalike.os_errors import os_data_error

        return os_data_error(error, path, "read")
    return DataError(f"{path} is damaged: it cannot be decompressed ({error}).")


def head_bytes(path: Path, size: int) -> bytes:
    """The first `size` decompressed bytes."""
    try:
        with open_binary(path) as handle:
            return handle.read(size)
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as error:
        raise _read_error(error, path) from None


def detect_encoding(raw: bytes, path: Path) -> str:
    """The encoding of text `raw` (the start of a file): BOM, UTF-16 by its zeros, strict UTF-8,
    else Windows-1252 or Latin-1 with a DataWarning; binary data is a DataError.
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding
    if b"\x00" in raw:
        even, odd = raw[0::2], raw[1::2]
        if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
        raise DataError(f"{path} holds binary data, not CSV text; is it really a table?")
    if _decodes(raw, "utf-8"):
        return "utf-8"
    encoding = "cp1252" if _decodes(raw, "cp1252") else "latin-1"
    warnings.warn(
        f"{path} is not UTF-8; read it as {encoding} (a guess). If characters look wrong, "
        "re-save the file as UTF-8.",
        DataWarning,
        stacklevel=3,
    )
    return encoding


def decode(raw: bytes, path: Path, *, final: bool = True) -> tuple[str, str]:
    """(encoding, text) of `raw`; with final=False a character cut at the end is left out."""
    encoding = detect_encoding(raw[: 1 << 20], path)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return encoding, decoder.decode(raw, final=final)
    except UnicodeDecodeError as error:
        raise DataError(
            f"{path} is not valid {encoding} text at byte {error.start}; re-save it as UTF-8."
        ) from None


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)(errors="strict").decode(raw, final=False)
    except UnicodeDecodeError:
        return False
    return True


def check_parquet_types(path: Path) -> None:
    """DataError naming the columns of nested (list, struct, map) or binary type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as error:
        raise DataError(f"{path} is not a readable Parquet file ({error}).") from None
    bad = [f"{field.name} ({field.type})" for field in schema if _unsupported(field.type)]
    if bad:
        raise DataError(
            f"{path}: column(s) {', '.join(bad[:5])}{' ...' if len(bad) > 5 else ''} hold nested "
            "or binary values, which lookalike cannot model; flatten them into plain columns "
            "(numbers, text, dates) or drop them first."
        )


def _unsupported(kind: Any) -> bool:
    import pyarrow as pa

    types = pa.types
    if types.is_dictionary(kind):
        return _unsupported(kind.value_type)
    return bool(
        types.is_list(kind)
        or types.is_large_list(kind)
        or types.is_fixed_size_list(kind)
        or types.is_struct(kind)
        or types.is_map(kind)
        or types.is_union(kind)
        or types.is_binary(kind)
        or types.is_large_binary(kind)
        or types.is_fixed_size_binary(kind)
    )
