"""Old import paths of moved modules keep working (users and benchmarks import them)."""

from __future__ import annotations

import pandas as pd

import lookalike


def test_moved_modules_are_re_exported_at_their_old_paths() -> None:
    import lookalike.anonymize
    import lookalike.files
    import lookalike.scan
    import lookalike.sources
    from lookalike.evaluation import evaluate, fidelity, statistics  # noqa: F401
    from lookalike.evaluation.inputs import prepare  # noqa: F401
    from lookalike.io import read_table
    from lookalike.pii import detect_pii

    assert lookalike.files.read_table is read_table is lookalike.read_table
    assert callable(lookalike.anonymize)  # the function, also after the shim module loaded
    assert lookalike.sources.mask_url("postgresql://u:secret@h/db").count("secret") == 0
    emails = pd.Series([f"person{i}@example.com" for i in range(40)])
    assert detect_pii(emails, "email") is not None
    assert evaluate is lookalike.evaluate
    assert callable(lookalike.scan.fit_table)


def test_evaluate_is_the_function_every_time() -> None:
    real = pd.DataFrame({"x": range(40), "y": ["a", "b"] * 20})
    first = lookalike.evaluate(real, real)
    second = lookalike.evaluate(real, real)  # the package import must not shadow the function
    assert first.scores["rows.real"] == second.scores["rows.real"] == 40
