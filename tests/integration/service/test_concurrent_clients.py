"""Concurrent writers: several client processes (multiprocessing, spawn), each logging through
its own ``Monitor`` and ``HttpSink`` into one real server process, with event ids that overlap
between processes; on SQLite and PostgreSQL. Nothing is lost and nothing is doubled, also when
the server is SIGKILLed in the middle and restarted: the clients' retries and spill files
deliver everything once it is back.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from pathlib import Path

import httpx
import pytest

from ._server_process import ServerProcess
from .conftest import READ, TOKENS

pytestmark = pytest.mark.slow

PROCESSES = 3
PER_PROCESS = 1200
STRIDE = 900  # process k logs ids [k * STRIDE, k * STRIDE + PER_PROCESS): 300 shared
CHUNK = 50  # events logged between pauses, so the traffic lasts while the test acts
UNIQUE = (PROCESSES - 1) * STRIDE + PER_PROCESS


def _label(i: int) -> int:
    return (i * 7) % 3


def log_events(url: str, model: str, k: int, spill: str, go, deadline: float) -> dict:
    """One client process: log its events (and a label for every 5th), then wait until every
    record is acknowledged (sent, or re-sent from the spill file) and close."""
    from stalwart.monitoring.client import Monitor
    from stalwart.monitoring.sinks import HttpSink

    monitor = Monitor(HttpSink(url, token="tok-ingest-0123", timeout=5), model=model,
                      model_version="1", batch_size=100, flush_interval=0.05, retries=3,
                      backoff=0.05, spill_path=spill)
    go.wait(120)
    ids = range(k * STRIDE, k * STRIDE + PER_PROCESS)
    for n, i in enumerate(ids):
        monitor.log({"x": float(i), "c": "red" if i % 2 else "blue"}, {"prediction": i % 2},
                    event_id=f"{model}{i}", timestamp=f"2026-01-01T{i // 3600:02d}:"
                                                      f"{i // 60 % 60:02d}:{i % 60:02d}+00:00",
                    segment="a" if i % 3 else "b")
        if n % CHUNK == CHUNK - 1:
            time.sleep(0.04)
    monitor.flush(timeout=60)
    for i in ids:
        if i % 5 == 0:  # logged after its event: events go before labels
            monitor.log_label(f"{model}{i}", _label(i))
    logged = monitor.stats()["logged"]
    while time.monotonic() < deadline:
        monitor.flush(timeout=5)
        stats = monitor.stats()
        if (stats["sent"] + stats["resent"] + stats["dead_lettered"] >= logged
                and not monitor.spill.pending()):
            break
        time.sleep(0.1)
    monitor.close(timeout=30)
    return {**monitor.stats(), "pending": monitor.spill.pending(),
            "dead_file": monitor.spill.dead_path.exists()}


def _counter(url: str, outcome: str) -> int:
    text = httpx.get(f"{url}/metrics", timeout=5).text
    match = re.search(r'stalwart_events_ingested_total\{outcome="%s"\} (\d+)' % outcome, text)
    return int(match.group(1)) if match else 0


@pytest.fixture(scope="module")
def clients():
    """A spawn pool of client processes (started once: each imports stalwart) and a manager
    for the start signal. Spawned children unpickle ``log_events`` by module name, so they
    get the repo root on their path."""
    ctx = multiprocessing.get_context("spawn")
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(Path(__file__).resolve().parents[3]))
        with ctx.Manager() as manager, ctx.Pool(PROCESSES) as pool:
            yield pool, manager


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    """One real server per store for the module (the restart test leaves it restarted)."""
    tmp = tmp_path_factory.mktemp(f"clients-{request.param}")
    if request.param == "sqlite":
        with ServerProcess(f"sqlite:///{tmp / 'stalwart.db'}", TOKENS,
                           log_path=tmp / "server.log") as srv:
            yield srv
        return
    from ..conftest import _pg_reason, pg_schema_url
    reason = _pg_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with pg_schema_url() as url, ServerProcess(url, TOKENS, log_path=tmp / "server.log") as srv:
        yield srv


def _run(server: ServerProcess, clients, model: str, tmp_path: Path, *,
         restart: bool) -> list[dict]:
    pool, manager = clients
    go = manager.Event()
    deadline = time.monotonic() + 120
    jobs = [pool.apply_async(log_events, (server.url, model, k, str(tmp_path / f"spill{k}"),
                                          go, deadline)) for k in range(PROCESSES)]
    go.set()
    if restart:
        floor = _counter(server.url, "accepted")
        while _counter(server.url, "accepted") < floor + UNIQUE // 4:
            assert time.monotonic() < deadline, server.log()
            time.sleep(0.01)
        server.kill()  # SIGKILL in the middle of the traffic
        assert server.proc.returncode == -9
        time.sleep(0.5)  # the clients meet a dead port: retries, then spill
        server.start()
    return [job.get(timeout=max(deadline - time.monotonic(), 1) + 60) for job in jobs]


def _assert_all_stored_once(store_url: str, model: str, stats: list[dict]) -> None:
    from stalwart.store import open_store

    for s in stats:
        assert s["logged"] == PER_PROCESS + PER_PROCESS // 5, s
        assert s["sent"] + s["resent"] == s["logged"], s  # every record acknowledged
        assert s["dead_lettered"] == 0 and not s["dead_file"] and not s["pending"], s
    with open_store(store_url) as store:
        frame = store.events(model)
    assert len(frame) == UNIQUE
    assert frame["event_id"].is_unique
    assert set(frame["event_id"]) == {f"{model}{i}" for i in range(UNIQUE)}
    labels = {e: int(v) for e, v in zip(frame["event_id"], frame["label"]) if v == v}
    assert labels == {f"{model}{i}": _label(i) for i in range(UNIQUE) if i % 5 == 0}
    assert frame.set_index("event_id").loc[f"{model}1234", "features.x"] == 1234.0


def test_concurrent_client_processes_store_every_event_once(server, clients, tmp_path):
    before = {o: _counter(server.url, o) for o in ("accepted", "duplicates")}
    stats = _run(server, clients, "steady", tmp_path, restart=False)
    _assert_all_stored_once(server.store_url, "steady", stats)
    # no failures: each event accepted once, every overlapping one reported as a duplicate
    assert _counter(server.url, "accepted") - before["accepted"] == UNIQUE
    assert (_counter(server.url, "duplicates") - before["duplicates"]
            == PROCESSES * PER_PROCESS - UNIQUE)
    got = httpx.get(f"{server.url}/api/v1/events", headers=READ, timeout=30,
                    params={"model": "steady", "limit": 10_000}).json()
    assert got["count"] == UNIQUE
    assert all(s["spilled"] == 0 and s["resent"] == 0 for s in stats), stats


def test_clients_deliver_everything_across_a_server_sigkill(server, clients, tmp_path):
    stats = _run(server, clients, "restarted", tmp_path, restart=True)
    _assert_all_stored_once(server.store_url, "restarted", stats)
    # the kill came mid-traffic: some records went through the spill file and back
    assert sum(s["spilled"] for s in stats) > 0 and sum(s["resent"] for s in stats) > 0, stats
