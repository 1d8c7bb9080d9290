"""Same seed, same output: across torch thread counts when sampling, and byte for byte in files."""

from __future__ import annotations

import pandas as pd
import pytest

from lookalike import get_model
from lookalike.models.neural.training import THREADS_VARIABLE
from tests.conftest import make_mixed_table
from tests.models.test_contract import params


@pytest.mark.parametrize("name", ["ctgan", pytest.param("tvae", marks=pytest.mark.slow)])
def test_sampling_gives_the_same_rows_whatever_the_torch_thread_count(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(THREADS_VARIABLE, "1")
    model = get_model(name, **params(name)).fit(make_mixed_table(150))
    one = model.sample(200, random_state=3)
    monkeypatch.setenv(THREADS_VARIABLE, "2")
    pd.testing.assert_frame_equal(model.sample(200, random_state=3), one)
