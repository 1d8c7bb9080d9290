"""Hostile model files: edited, bombs, deep JSON, and re-signed files with impossible states."""

from __future__ import annotations

import json
import signal
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import ModelFileError
from tests.conftest import make_mixed_table
from tests.hostile.model_files import read_parts, resign
from tests.models.test_contract import params

State = dict[str, Any]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return make_mixed_table(150)


def saved(name: str, table: pd.DataFrame, folder: Path) -> Path:
    path = folder / f"{name}.lookalike"
    get_model(name, **params(name)).fit(table).save(path)
    return path


def refused(path: Path, words: str) -> str:
    """load raises a one-line ModelFileError (and sampling never gets to hang: 30 s alarm)."""
    signal.signal(signal.SIGALRM, _hang)
    signal.alarm(30)
    try:
        with pytest.raises(ModelFileError, match=words) as caught:
            load(path).sample(20)
    finally:
        signal.alarm(0)
    message = str(caught.value)
    assert "\n" not in message and len(message) <= 300
    return message


def _hang(*_: Any) -> None:
    raise TimeoutError("loading or sampling a tampered model file hangs")


def _peak_memory_refusing(path: Path, words: str) -> int:
    """Peak bytes Python allocated while load refused `path`."""
    tracemalloc.start()
    try:
        refused(path, words)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_edited_parameter_fails_the_checksum(table: pd.DataFrame, tmp_path: Path) -> None:
    path = saved("cart", table, tmp_path)
    with zipfile.ZipFile(path) as archive:
        header = json.loads(archive.read("model.json"))
        payload = archive.read("arrays.npz")
    header["params"]["smoothing"] = 0.0
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.json", json.dumps(header))
        archive.writestr("arrays.npz", payload)
    refused(path, "checksum")


@pytest.mark.parametrize("name", ["copula", "bayesnet", "kde", "noise", "smote", "cart", "tvae"])
def test_the_same_seed_and_data_give_byte_identical_files(
    name: str, table: pd.DataFrame, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = saved(name, table, tmp_path / "a"), saved(name, table, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_a_zip_bomb_fails_fast_with_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.lookalike"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("model.json", "{}")
        with archive.open("arrays.npz", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(300):  # 300 MiB of zeros, ~300 KB on disk
                member.write(block)
    assert path.stat().st_size < 2 << 20
    assert _peak_memory_refusing(path, "inflate") < 16 << 20


def test_a_model_larger_than_the_cap_is_refused_with_the_setting_to_raise_it(
    table: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved("copula", table, tmp_path)
    monkeypatch.setenv("LOOKALIKE_MAX_MODEL_BYTES", "1000")
    refused(path, "LOOKALIKE_MAX_MODEL_BYTES")
    monkeypatch.setenv("LOOKALIKE_MAX_MODEL_BYTES", str(1 << 30))
    assert len(load(path).sample(5)) == 5


def test_deeply_nested_json_is_a_model_file_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.lookalike"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", "[" * 200_000 + "]" * 200_000)
        archive.writestr("arrays.npz", b"")
    refused(path, "nested")


def test_an_old_format_is_refused_with_what_to_do(table: pd.DataFrame, tmp_path: Path) -> None:
    path = saved("copula", table, tmp_path)
    resign(path, lambda header, arrays: header.update(format_version=1))
    refused(path, "format 1.*Fit the model again")


def test_object_arrays_are_never_loaded(table: pd.DataFrame, tmp_path: Path) -> None:
    import io

    path = saved("copula", table, tmp_path)
    header, _ = read_parts(path)
    buffer = io.BytesIO()
    np.savez(buffer, **{"model.correlation": np.array([object()], dtype=object)})
    payload = buffer.getvalue()
    from lookalike.persistence import _signature

    header["sha256"] = _signature(header, payload)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.json", json.dumps(header))
        archive.writestr("arrays.npz", payload)
    refused(path, "dtype object|arrays lookalike did not write")


# ---------------------------------------------------------------------- re-signed states
def _set(key: str, value: Any) -> Any:
    def edit(header: State, arrays: dict[str, np.ndarray]) -> None:
        if key in arrays:
            arrays[key] = np.asarray(value)
        else:
            header["state"][key] = value

    return edit


def _resize(key: str, value: Any) -> Any:
    """Every entry of the JSON list state[key] set to `value`."""

    def edit(header: State, arrays: dict[str, np.ndarray]) -> None:
        header["state"][key] = [value] * len(header["state"][key])

    return edit


def _array_edit(key: str, change: Any) -> Any:
    def edit(header: State, arrays: dict[str, np.ndarray]) -> None:
        arrays[key] = change(arrays[key].copy())

    return edit


def _cycle(tree: np.ndarray) -> np.ndarray:
    tree[1] = 0  # node 1's left child is the root: a walk down would never end
    return tree


def _nan(values: np.ndarray) -> np.ndarray:
    values = values.astype(float)
    values.flat[0] = np.nan
    return values


def _neg_inf_meta(header: State, arrays: dict[str, np.ndarray]) -> None:
    header["state"]["transformer"]["metadata"]["columns"]["age"]["min"] = float("-inf")


def _lose_a_key(header: State, arrays: dict[str, np.ndarray]) -> None:
    header["state"]["transformer"]["columns"]["city"]["keys"].pop()


def _not_psd(values: np.ndarray) -> np.ndarray:
    values[0, 1] = values[1, 0] = 0.99
    values[0, 2] = values[2, 0] = -0.99
    values[1, 2] = values[2, 1] = 0.99
    return values


def _first_tree(arrays: dict[str, np.ndarray]) -> str:
    """The prefix of a cart tree with inner nodes (of a late column, so features exist)."""
    prefixes = sorted(
        {k.rsplit(".", 1)[0] for k in arrays if k.startswith("model.tree.")},
        key=lambda p: -int(p.split(".")[2]),
    )
    return next(p for p in prefixes if (arrays[p + ".left"] != -1).any())


def _cart_tree(part: str, change: Any) -> Any:
    def edit(header: State, arrays: dict[str, np.ndarray]) -> None:
        prefix = _first_tree(arrays)
        arrays[f"{prefix}.{part}"] = change(arrays[f"{prefix}.{part}"].copy())

    return edit


def _inner(change: Any) -> Any:
    def apply(values: np.ndarray) -> np.ndarray:
        at = np.flatnonzero(values != -1)[0]
        return change(values, at)

    return apply


CASES = [
    # name, edit, words in the error
    ("copula", _array_edit("model.correlation", _not_psd), "positive definite"),
    ("copula", _array_edit("model.correlation", lambda v: v * 2), "unit diagonal"),
    ("copula", _array_edit("model.order.2", lambda v: v * 0), "ordering"),
    ("copula", _array_edit("model.marginal.0", _nan), "NaN"),
    ("copula", _neg_inf_meta, "finite"),
    ("copula", _lose_a_key, "category table"),
    ("cart", _cart_tree("left", _inner(lambda v, at: (v.__setitem__(at, 0), v)[1])), "cycle"),
    ("cart", _cart_tree("right", _inner(lambda v, at: (v.__setitem__(at, 10**6), v)[1])), "range"),
    ("cart", _cart_tree("feature", lambda v: v + 50), "feature"),
    ("cart", _cart_tree("start", lambda v: v + 10**6), "pool"),
    ("cart", _cart_tree("parent", lambda v: v * 0 + 5), "parent"),
    ("cart", _cart_tree("pool", _nan), "NaN"),
    ("cart", _resize("model.linear", [5, 0.0, 1.0]), "copied from a later column"),
    ("bayesnet", _array_edit("model.table.0", lambda v: v * 3), "probabilities"),
    ("bayesnet", _resize("model.order", 0), "order"),
    ("bayesnet", _resize("model.cards", 10**9), "states|shape"),
    ("kde", _array_edit("model.codes", lambda v: v + 99), "codes"),
    ("kde", _array_edit("model.grid.0", lambda v: v[::-1].copy()), "increasing"),
    ("noise", _array_edit("model.scores", _nan), "NaN"),
    ("smote", _array_edit("model.neighbors", lambda v: v + 10**6), "neighbour"),
    ("smote", _array_edit("model.codes", lambda v: v - 5), "codes"),
    ("ctgan", _array_edit("model.sampler.counts", lambda v: v - 1000), "sampler"),
    ("ctgan", _array_edit("model.layout.grid.0", _nan), "NaN"),
    ("gan", _set("model.layout.columns", []), "layout"),
    ("tvae", _array_edit("model.net.decoder.sigma", lambda v: v[:-1].copy()), "damaged|edited"),
    ("wgan-gp", _array_edit("model.layout.grid.0", lambda v: v[::-1].copy()), "increasing"),
]


@pytest.mark.parametrize(
    ("name", "edit", "words"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_a_resigned_impossible_state_is_refused_on_load(
    name: str, edit: Any, words: str, table: pd.DataFrame, tmp_path: Path
) -> None:
    path = saved(name, table, tmp_path)
    assert len(load(path).sample(10)) == 10  # the file was fine before the edit
    resign(path, edit)
    refused(path, words)


def test_nan_and_infinite_arrays_never_reach_integer_columns(
    table: pd.DataFrame, tmp_path: Path
) -> None:
    path = saved("copula", table, tmp_path)
    resign(path, _array_edit("model.marginal.0", lambda v: v * 0 - np.inf))
    refused(path, "NaN or infinite")


def test_a_member_that_inflates_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    import struct

    path = tmp_path / "liar.lookalike"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.json", "{}")
        archive.writestr("arrays.npz", bytes(50 << 20))  # 50 MiB of zeros, declared as 1 KiB
    blob = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = blob.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if blob[name_at : name_at + 10] == b"arrays.npz":
                struct.pack_into("<I", blob, at + offset, 1024)
            at = blob.find(signature, at + 4)
    path.write_bytes(bytes(blob))
    assert _peak_memory_refusing(path, "not a lookalike model file|damaged") < 16 << 20


@pytest.mark.parametrize(
    ("name", "setting", "words"),
    [
        ("copula", {"quantiles": 0}, "quantiles must be a whole number from 2"),
        ("kde", {"quantiles": 1}, "quantiles must be a whole number from 2"),
        ("noise", {"quantiles": "many"}, "quantiles must be a whole number from 2"),
        ("copula", {"order_passes": -1}, "order_passes"),
        ("cart", {"min_leaf": "abc"}, "min_leaf must be a whole number"),
    ],
)
def test_bad_model_parameters_are_refused_with_the_valid_range(
    name: str, setting: dict[str, Any], words: str, table: pd.DataFrame
) -> None:
    from lookalike.errors import DataError

    with pytest.raises(DataError, match=words):
        get_model(name, **setting).fit(table)
