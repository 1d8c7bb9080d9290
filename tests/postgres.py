"""The PostgreSQL server of the database tests: `source .ci/postgres.sh` starts a throwaway one
and sets LOOKALIKE_TEST_POSTGRES_URL. Without it the tests skip, except under CI=true, where a
missing server is a failure (CI must never pass by skipping them)."""

from __future__ import annotations

import os

import pytest

POSTGRES_ENV = "LOOKALIKE_TEST_POSTGRES_URL"


def postgres_base() -> str:
    """The server's URL (postgresql://user:pw@host:port/db); skips or fails without one."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs a PostgreSQL server: set {POSTGRES_ENV} (see .ci/run).")
        pytest.skip(f"no PostgreSQL server: set {POSTGRES_ENV}=postgresql://user:pw@host/db")
    return base
