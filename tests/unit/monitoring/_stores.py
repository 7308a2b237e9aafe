"""A ``store`` over SQLite and PostgreSQL for the monitoring read-model tests, reusing the
integration suite's PostgreSQL helpers (fresh schema per test; unreachable: skipped, under
``CI``: a failure)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

_CONFTEST = Path(__file__).resolve().parents[2] / "integration" / "conftest.py"


def _integration():
    spec = importlib.util.spec_from_file_location("_stalwart_integration_conftest", _CONFTEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    from stalwart.store import open_store
    if request.param == "sqlite":
        with open_store(f"sqlite:///{tmp_path / 'stalwart.db'}") as s:
            yield s
        return
    helpers = _integration()
    reason = helpers._pg_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with helpers.pg_schema_url() as url, open_store(url) as s:
        yield s
