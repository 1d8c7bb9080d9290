from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from lookalike import get_model
from lookalike.cli import app
from lookalike.io.files import read_table, write_table
from lookalike.scale.large_fit import fit_table, is_large, scan_table


def _numbered(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "row": np.arange(n),
            "group": rng.choice(["a", "b", "c"], size=n),
            "value": np.round(rng.normal(size=n), 3),
        }
    )


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_the_sample_is_uniform_over_the_whole_table(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"t{suffix}"
    write_table(_numbered(20_000), path)
    scan = scan_table(path, 2_000, random_state=1, chunk_rows=700)
    rows = scan.sample["row"].to_numpy()
    assert scan.rows == 20_000
    assert len(rows) == 2_000
    assert len(np.unique(rows)) == 2_000
    assert np.all(np.diff(rows) > 0)  # kept in table order
    assert stats.kstest(rows / 20_000, "uniform").pvalue > 0.001
    per_chunk = np.bincount(rows // 2_000, minlength=10)  # every stretch is represented
    assert per_chunk.min() > 140
    again = scan_table(path, 2_000, random_state=1, chunk_rows=700)
    pd.testing.assert_frame_equal(scan.sample, again.sample)


def test_a_small_table_is_used_whole_with_the_types_of_a_full_read(
    tmp_path: Path, mixed_table: pd.DataFrame
) -> None:
    path = tmp_path / "t.csv"
    write_table(mixed_table, path)
    scan = scan_table(path, 1_000, chunk_rows=33)
    assert not scan.sampled
    pd.testing.assert_frame_equal(scan.sample, read_table(path))


def test_the_fit_keeps_rare_categories_and_whole_table_statistics(tmp_path: Path) -> None:
    table = _numbered(30_000)
    table.loc[12_345, "group"] = "rare"
    table.loc[29_999, "value"] = 99.0  # the maximum sits in the last chunk
    table.loc[::10, "value"] = np.nan
    path = tmp_path / "t.parquet"
    write_table(table, path)
    model = get_model("copula", random_state=0)
    scan = fit_table(model, path, sample_rows=500)
    assert scan.sampled
    assert len(scan.sample) == 500
    meta = model.metadata_.columns
    assert meta["value"].max == 99.0
    assert meta["value"].missing_share == pytest.approx(0.1, abs=1e-6)
    assert meta["group"].n_categories == 4
    rare = model.sample(3, conditions={"group": "rare"}, random_state=0)
    assert rare["group"].tolist() == ["rare"] * 3


def test_a_large_csv_is_never_read_whole(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "big.csv"
    write_table(_numbered(5_000), path)
    assert is_large(path, sample_rows=1_000)
    assert not is_large(path, sample_rows=10_000)
    real_read_csv = pd.read_csv

    def only_in_chunks(source, *args, **kwargs):
        if str(source) == str(path):
            assert kwargs.get("chunksize"), "the large CSV was read whole"
        return real_read_csv(source, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", only_in_chunks)
    model = tmp_path / "m.lookalike"
    result = CliRunner().invoke(
        app, ["fit", str(path), "-o", str(model), "--sample-rows", "1000", "--seed", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "uniform sample of 1,000 of 5,000 rows" in result.output
    assert model.exists()
