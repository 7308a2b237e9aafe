"""Fixtures shared by the store and server tests: a ``store_url`` parametrised over SQLite
(a temporary file) and PostgreSQL (127.0.0.1:5432, database ``test``, or
``STALWART_TEST_PG_URL``).

PostgreSQL runs are isolated in a fresh schema per test (``search_path``), dropped afterwards.
An unreachable PostgreSQL skips those runs, except under ``CI`` where it is a failure.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest

PG_URL = os.environ.get("STALWART_TEST_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_reason() -> str | None:
    import sqlalchemy as sa
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means unreachable
        return f"PostgreSQL at {PG_URL} is unreachable ({type(exc).__name__}); set " \
               "STALWART_TEST_PG_URL or start it (under CI this is a failure)"
    return None


@pytest.fixture(scope="session")
def pg_available() -> None:
    reason = _pg_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@contextlib.contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL whose ``search_path`` is a fresh schema, dropped on exit."""
    import sqlalchemy as sa
    schema = f"stalwart_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ws' / 'stalwart.db'}"
        return
    request.getfixturevalue("pg_available")
    with pg_schema_url() as url:
        yield url


@pytest.fixture
def pg_url(pg_available) -> Iterator[str]:
    """A PostgreSQL URL in a fresh schema (dropped afterwards)."""
    with pg_schema_url() as url:
        yield url
