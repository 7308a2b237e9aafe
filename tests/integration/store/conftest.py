"""Store fixtures: both backends at once, and an open store (``store_url`` and the
PostgreSQL helpers live in tests/integration/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def both_urls(pg_url, tmp_path):
    """SQLite and PostgreSQL URLs together (for tests whose cost is process start-up)."""
    return [f"sqlite:///{tmp_path / 'ws' / 'stalwart.db'}", pg_url]


@pytest.fixture
def store(store_url):
    from stalwart.store import open_store
    s = open_store(store_url)
    yield s
    s.close()
