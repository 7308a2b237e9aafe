"""Fixtures of the server tests: a real store (SQLite file, and PostgreSQL in a fresh schema),
an app with one token per scope, and a real uvicorn server on a free local port.

An unreachable PostgreSQL skips its runs, except under ``CI`` where it is a failure.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

TOKENS = {"tok-admin-0123": ["admin"], "tok-ingest-0123": ["ingest"],
          "tok-read-012345": ["read"], "tok-both-012345": ["ingest", "read"]}
ADMIN = {"Authorization": "Bearer tok-admin-0123"}
INGEST = {"Authorization": "Bearer tok-ingest-0123"}
READ = {"Authorization": "Bearer tok-read-012345"}


def event(i: int, **changes: object) -> dict:
    base = {"event_id": f"e{i}", "timestamp": f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z",
            "model": "churn", "model_version": "1", "segment": "a" if i % 2 else "b",
            "features": {"x": float(i), "c": "red"},
            "outputs": {"prediction": i % 2, "proba": {"0": 0.25, "1": 0.75}},
            "latency_ms": 1.5, "metadata": {}}
    base.update(changes)
    return base


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'stalwart.db'}"


@pytest.fixture
def client(sqlite_url):
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url=sqlite_url), tokens=TOKENS)
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def shared_client(tmp_path_factory):
    """One app for tests that change nothing (bad requests), to keep the module fast."""
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'stalwart.db'}"
    with TestClient(create_app(ServiceSettings(store_url=url), tokens=TOKENS)) as c:
        yield c


class LiveServer:
    """uvicorn serving ``app`` in a thread on a socket bound to 127.0.0.1:0."""

    def __init__(self, app) -> None:
        import uvicorn
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def live(sqlite_url):
    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url=sqlite_url, max_body_bytes=64 * 1024),
                     tokens=TOKENS)
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def h():
    """The helpers: ``h.event(i)``, token headers ``h.ADMIN``/``h.INGEST``/``h.READ``."""
    import types
    return types.SimpleNamespace(event=event, ADMIN=ADMIN, INGEST=INGEST, READ=READ,
                                 TOKENS=TOKENS, LiveServer=LiveServer)
