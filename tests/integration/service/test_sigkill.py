"""SIGKILL during batch ingest: what the server acknowledged survives, exactly once.

The real server runs as a child process (uvicorn on ``create_app``) over a file SQLite store
and over PostgreSQL. Client threads post event batches and label batches with known ids and
record which ones were acknowledged (HTTP 200); the server is killed with SIGKILL in the
middle, restarted on the same store and port, and every batch is sent again, as a retrying
client would. Every acknowledged event and label is then stored exactly once, and its re-send
is reported as duplicates.
"""

from __future__ import annotations

import os
import threading
import time

import httpx
import pytest

from ._server_process import ServerProcess
from .conftest import INGEST, TOKENS

pytestmark = pytest.mark.slow

THREADS = 4
BATCHES = 25  # per thread
SIZE = 40  # events per batch
KILL_AFTER = 30  # acknowledged requests (event and label batches) before the SIGKILL


def _event(eid: str, n: int) -> dict:
    return {"event_id": eid, "timestamp": f"2026-01-01T{n // 3600 % 24:02d}:"
                                          f"{n // 60 % 60:02d}:{n % 60:02d}Z",
            "model": "churn", "model_version": "1", "segment": "a" if n % 2 else "b",
            "features": {"x": float(n), "c": "red"}, "outputs": {"prediction": n % 2}}


def _batches() -> dict[tuple[int, int], list[dict]]:
    out = {}
    for t in range(THREADS):
        for b in range(BATCHES):
            base = (t * BATCHES + b) * SIZE
            out[(t, b)] = [_event(f"k{t}-{b}-{j}", base + j) for j in range(SIZE)]
    return out


def _labels(events: list[dict]) -> list[dict]:
    return [{"event_id": e["event_id"], "label": (int(e["features"]["x"]) // 3) % 2,
             "timestamp": "2026-01-02T00:00:00Z"} for e in events]


def _send_until_refused(url: str, thread: int, batches: dict, acked: dict,
                        lock: threading.Lock) -> None:
    """Post this thread's event and label batches in order; stop at the first failure
    (connection refused or reset: the server is gone), recording each 200 with its body."""
    with httpx.Client(base_url=url, headers=INGEST, timeout=30) as client:
        for b in range(BATCHES):
            for kind, path, payload in (
                    ("events", "/api/v1/events", batches[(thread, b)]),
                    ("labels", "/api/v1/labels", _labels(batches[(thread, b)]))):
                try:
                    r = client.post(path, json={kind: payload})
                except httpx.TransportError:
                    return
                assert r.status_code == 200, r.text
                with lock:
                    acked[(kind, thread, b)] = r.json()


def test_acknowledged_batches_survive_sigkill_exactly_once(store_url, tmp_path):
    from stalwart.store import open_store

    batches = _batches()
    acked: dict[tuple[str, int, int], dict] = {}
    lock = threading.Lock()
    server = ServerProcess(store_url, TOKENS, log_path=tmp_path / "server.log").start()
    try:
        threads = [threading.Thread(target=_send_until_refused,
                                    args=(server.url, t, batches, acked, lock))
                   for t in range(THREADS)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 120
        while len(acked) < KILL_AFTER:
            assert time.monotonic() < deadline, server.log()
            assert any(t.is_alive() for t in threads), "all clients ended before the kill"
            time.sleep(0.005)
        pid = server.pid
        server.kill()
        for t in threads:
            t.join(60)
        assert server.proc.returncode == -9
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        sent_before = dict(acked)
        # the kill came in the middle: some of each kind acknowledged, many not yet sent
        assert any(k[0] == "events" for k in sent_before)
        assert len(sent_before) < 2 * THREADS * BATCHES - THREADS
        for body in sent_before.values():  # nothing was in the store before: all new
            assert (body["accepted"], body["duplicates"], body["rejected"]) == (SIZE, 0, [])

        server.start()  # same store, same port
        with httpx.Client(base_url=server.url, headers=INGEST, timeout=60) as client:
            for kind, path in (("events", "/api/v1/events"), ("labels", "/api/v1/labels")):
                for (t, b), events in batches.items():
                    payload = events if kind == "events" else _labels(events)
                    r = client.post(path, json={kind: payload})
                    assert r.status_code == 200, r.text
                    body = r.json()
                    assert body["rejected"] == [], body
                    assert body["accepted"] + body["duplicates"] == SIZE, body
                    if (kind, t, b) in sent_before:  # acknowledged before: all duplicates
                        assert (body["accepted"], body["duplicates"]) == (0, SIZE), (kind, t, b)
    finally:
        server.stop()

    store = open_store(store_url)
    try:
        frame = store.events("churn")
    finally:
        store.close()
    want = {e["event_id"]: lab["label"] for events in batches.values()
            for e, lab in zip(events, _labels(events))}
    assert len(frame) == len(want) == THREADS * BATCHES * SIZE
    assert frame["event_id"].is_unique
    assert dict(zip(frame["event_id"], frame["label"].astype(int))) == want
