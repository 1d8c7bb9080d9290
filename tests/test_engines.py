from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from lookalike import get_model
from lookalike.cli import app
from lookalike.errors import DataError
from lookalike.io.files import read_table
from lookalike.scale import dask_engine
from lookalike.scale import parallel as engines
from lookalike.scale.parallel import sample_dask, sample_local

N, CHUNK = 2_000, 250  # 8 chunks


@pytest.fixture
def fitted(mixed_table: pd.DataFrame):
    return get_model("copula", random_state=3).fit(mixed_table)


def _expected(model, n: int = N, seed: int = 11) -> pd.DataFrame:
    return pd.concat(model.sample_chunks(n, random_state=seed, chunk_rows=CHUNK), ignore_index=True)


def _parts(folder: Path) -> pd.DataFrame:
    parts = sorted(folder.glob("part-*.parquet"))
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)


# ---------------------------------------------------------------------- local engine
def test_rows_for_a_seed_do_not_depend_on_the_number_of_workers(fitted, tmp_path: Path) -> None:
    one, two = tmp_path / "one.parquet", tmp_path / "two.parquet"
    assert sample_local(fitted, N, one, seed=11, workers=1, chunk_rows=CHUNK) == N
    assert sample_local(fitted, N, two, seed=11, workers=2, chunk_rows=CHUNK) == N
    pd.testing.assert_frame_equal(pd.read_parquet(one), pd.read_parquet(two))
    pd.testing.assert_frame_equal(pd.read_parquet(one), _expected(fitted), check_dtype=False)


def test_csv_from_the_engine_equals_csv_of_the_sample(fitted, tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    sample_local(fitted, N, out, seed=11, workers=1, chunk_rows=CHUNK)
    reference = tmp_path / "ref.csv"
    _expected(fitted).to_csv(reference, index=False)
    assert out.read_text() == reference.read_text()


def test_a_failing_sampler_leaves_no_output(fitted, tmp_path: Path, monkeypatch) -> None:
    calls = {"n": 0}
    real = engines.render

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise MemoryError("simulated")
        return real(*args, **kwargs)

    monkeypatch.setattr(engines, "render", flaky)
    with pytest.raises(MemoryError):
        sample_local(fitted, N, tmp_path / "s.parquet", seed=1, workers=1, chunk_rows=CHUNK)
    assert list(tmp_path.iterdir()) == []


def test_unique_constraints_keep_sampling_in_one_process(
    tmp_path: Path, mixed_table: pd.DataFrame
) -> None:
    from lookalike.metadata import Metadata

    table = mixed_table
    meta = Metadata.detect(table)
    meta.constraints = [{"type": "unique", "column": "income"}]
    model = get_model("copula", random_state=0).fit(table, meta)
    with pytest.raises(DataError, match="unique constraint on 'income'"):
        sample_local(model, 600, tmp_path / "s.csv", workers=2, chunk_rows=100)
    sample_local(model, 600, tmp_path / "s.csv", seed=1, chunk_rows=100)
    assert read_table(tmp_path / "s.csv")["income"].is_unique


# ---------------------------------------------------------------------- dask engine
def test_dask_parts_equal_the_local_engine_and_a_failed_run_resumes(
    fitted, tmp_path: Path, monkeypatch
) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    real = dask_engine._sample_part

    def broken(part, **kwargs):
        if part == 2:
            raise OSError("simulated disk failure on a worker")
        return real(part, **kwargs)

    monkeypatch.setattr(dask_engine, "_sample_part", broken)
    options = {"seed": 11, "workers": 2, "processes": False, "partition_rows": 500}
    with pytest.raises(DataError, match="run the same command again"):
        sample_dask(fitted, N, out, chunk_rows=CHUNK, **options)
    assert not out.exists()  # no partial output under the real name
    staging = tmp_path / ".out.partial"
    assert not (staging / "part-00002.parquet").exists()
    monkeypatch.undo()
    parts = sample_dask(fitted, N, out, chunk_rows=CHUNK, **options)  # re-run completes
    assert [p.name for p in parts] == [f"part-0000{i}.parquet" for i in range(4)]
    assert not staging.exists()
    pd.testing.assert_frame_equal(_parts(out), _expected(fitted), check_dtype=False)


def test_dask_survives_a_worker_dying_mid_run(fitted, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    out = tmp_path / "out"
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        staging = tmp_path / ".out.partial"

        def kill_a_worker() -> None:
            deadline = time.time() + 60
            while time.time() < deadline and not list(staging.glob("part-*.parquet")):
                time.sleep(0.05)
            pids = client.run(os.getpid)
            os.kill(next(iter(pids.values())), signal.SIGKILL)  # as the OOM killer would
            done_at_kill.append(len(list(staging.glob("part-*.parquet"))))

        done_at_kill: list[int] = []

        killer = threading.Thread(target=kill_a_worker)
        killer.start()
        parts = sample_dask(
            fitted,
            N * 2,
            out,
            seed=11,
            scheduler=cluster.scheduler_address,
            partition_rows=CHUNK,
            chunk_rows=CHUNK,
        )
        killer.join()
    assert done_at_kill and done_at_kill[0] < 16  # the worker died mid-run
    assert len(parts) == 16
    assert sorted(p.name for p in out.iterdir()) == [
        "_lookalike.json",
        *(p.name for p in parts),
    ]
    expected = _expected(fitted, N * 2)
    pd.testing.assert_frame_equal(_parts(out), expected, check_dtype=False)


def test_dask_refuses_to_overwrite_a_folder_it_did_not_write(fitted, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(DataError, match="did not write"):
        sample_dask(fitted, 10, tmp_path / "out", processes=False)
    with pytest.raises(DataError, match="is a folder for Parquet parts"):
        sample_dask(fitted, 10, tmp_path / "out.csv", processes=False)


def test_an_unreachable_scheduler_gives_a_clear_error(fitted, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(dask_engine, "SCHEDULER_TIMEOUT", 1)
    with pytest.raises(DataError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:1"):
        sample_dask(fitted, 10, tmp_path / "out", scheduler="tcp://127.0.0.1:1")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------- CLI
def test_cli_sample_options_are_checked(fitted, tmp_path: Path) -> None:
    model = tmp_path / "m.lookalike"
    fitted.save(model)
    runner = CliRunner()
    cases = [
        (["--engine", "spark"], "--engine must be local or dask"),
        (["--scheduler", "tcp://x:8786"], "--scheduler needs --engine dask"),
        (["--workers", "0"], "--workers must be a whole number >= 1"),
    ]
    for extra, message in cases:
        result = runner.invoke(
            app, ["sample", str(model), "-n", "10", "-o", str(tmp_path / "s.csv"), *extra]
        )
        assert result.exit_code != 0
        assert message in str(result.exception) + result.output
    result = runner.invoke(
        app, ["sample", str(model), "-n", "700", "-o", str(tmp_path / "s.csv"), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    assert len(read_table(tmp_path / "s.csv")) == 700
