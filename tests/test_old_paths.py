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


def test_names_of_split_modules_are_re_exported_where_they_used_to_live() -> None:
    from lookalike.column import Column
    from lookalike.column_detect import detect_column
    from lookalike.constraints import combinations, formula, inequality
    from lookalike.constraints.transforms import FixedCombinations, Formula, Inequality
    from lookalike.io import sql_connect
    from lookalike.io.sql import PAGE_ROWS, DatabaseSource, _engine, is_url, iter_sql
    from lookalike.metadata import Column as OldColumn
    from lookalike.metadata import _detect_datetime_format, _string_pattern
    from lookalike.metadata import detect_column as old_detect_column
    from lookalike.pii import column_fakes, names, value_filter
    from lookalike.pii.detect import common_tokens, fake_like, fit_fakes, in_filter, name_template
    from lookalike.scale import dask_engine
    from lookalike.scale.parallel import model_bytes, resolve_seed, sample_dask
    from lookalike.sources import DatabaseSource as OldSource
    from lookalike.sources import iter_sql as old_iter_sql

    assert (OldColumn, old_detect_column) == (Column, detect_column)
    assert (fit_fakes, fake_like) == (column_fakes.fit_fakes, column_fakes.fake_like)
    assert (common_tokens, name_template) == (names.common_tokens, names.name_template)
    assert in_filter is value_filter.in_filter
    assert (Inequality, FixedCombinations, Formula) == (
        inequality.Inequality,
        combinations.FixedCombinations,
        formula.Formula,
    )
    assert (
        sample_dask is dask_engine.sample_dask and callable(model_bytes) and callable(resolve_seed)
    )
    assert (DatabaseSource, _engine, is_url) == (
        sql_connect.DatabaseSource,
        sql_connect.connect,
        sql_connect.is_url,
    )
    assert (OldSource, old_iter_sql, PAGE_ROWS) == (DatabaseSource, iter_sql, 50_000)
    assert _detect_datetime_format(pd.Series(["2020-01-31", "2021-02-01"])) == "%Y-%m-%d"
    assert _string_pattern(pd.Series(["AB-001", "AB-002"])) == "\\A\\B-999"
