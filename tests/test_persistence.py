from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from lookalike import get_model, load
from lookalike.errors import ModelFileError, NotFittedError


def test_model_file_holds_only_json_and_numeric_arrays(
    mixed_table: pd.DataFrame, tmp_path: Path
) -> None:
    get_model("copula", random_state=0).fit(mixed_table).save(tmp_path / "m.lookalike")
    with zipfile.ZipFile(tmp_path / "m.lookalike") as archive:
        assert sorted(archive.namelist()) == ["arrays.npz", "model.json"]
        header = json.loads(archive.read("model.json"))
    assert header["format"] == "lookalike-model" and header["model"] == "copula"


def test_unfitted_model_cannot_be_saved(tmp_path: Path) -> None:
    with pytest.raises(NotFittedError):
        get_model("copula").save(tmp_path / "m.lookalike")
    assert not (tmp_path / "m.lookalike").exists()


def test_future_format_and_foreign_model_are_refused(
    mixed_table: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "m.lookalike"
    get_model("copula", random_state=0).fit(mixed_table).save(path)
    with zipfile.ZipFile(path) as archive:
        header = json.loads(archive.read("model.json"))
        arrays = archive.read("arrays.npz")
    for change, words in (
        ({"format_version": 99}, "format"),
        ({"model": "evil"}, "evil"),
        ({"format": "other"}, "not a lookalike"),
    ):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("model.json", json.dumps({**header, **change}))
            archive.writestr("arrays.npz", arrays)
        with pytest.raises(ModelFileError, match=words):
            load(path)


def test_pickled_arrays_are_never_loaded(mixed_table: pd.DataFrame, tmp_path: Path) -> None:
    import hashlib
    import io

    import numpy as np

    path = tmp_path / "m.lookalike"
    get_model("copula", random_state=0).fit(mixed_table).save(path)
    with zipfile.ZipFile(path) as archive:
        header = json.loads(archive.read("model.json"))
    buffer = io.BytesIO()
    np.savez(buffer, **{"model.correlation": np.array([object()], dtype=object)})
    payload = buffer.getvalue()
    header["arrays_sha256"] = hashlib.sha256(payload).hexdigest()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.json", json.dumps(header))
        archive.writestr("arrays.npz", payload)
    with pytest.raises(ModelFileError):
        load(path)
