"""The scheduler on SQLite and PostgreSQL: due monitors only, complete windows once, the saved
reference period, channels, an isolated failure, and a clean background loop."""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
import pytest

from stalwart.exceptions import StageError
from stalwart.monitoring import MonitorSpec
from stalwart.monitoring.scheduler import Scheduler, is_due, run_due
from stalwart.store import open_store


def _events(day: int, *, n: int = 40, shift: float = 0.0, latency: float = 10.0,
            seed: int = 0) -> list:
    rng = np.random.default_rng([seed, day])
    x = rng.normal(shift, 1.0, n)
    return [{"event_id": f"d{day}-{i}", "timestamp": f"2026-01-{day:02d}T{i % 24:02d}:"
             f"{i // 24:02d}:00Z", "model": "m", "model_version": "1",
             "features": {"x": float(x[i])}, "outputs": {"prediction": 1},
             "latency_ms": latency} for i in range(n)]


def _save(store, name: str, **fields) -> None:
    fields.setdefault("metrics", ["latency"])
    spec = MonitorSpec(name=name, model="m", **fields)
    store.save_monitor(name, "m", spec.to_dict())


def test_period_schedule_runs_when_due_and_each_window_once(store):
    _save(store, "hourly", window="1D", schedule="6h")
    _save(store, "manual", window="1D")  # no schedule: on demand only
    store.ingest_events(_events(1) + _events(2))
    first = run_due(store, now="2026-01-03T00:30:00Z")
    assert first.ran == ("hourly",) and first.not_due == ("manual",) and first.errors == {}
    assert [w.n_events for w in first.runs[0].windows] == [40, 40]
    assert run_due(store, now="2026-01-03T06:29:00Z").ran == ()
    store.ingest_events(_events(3))
    later = run_due(store, now="2026-01-04T00:00:00Z")
    assert [(w.window_start.day, w.n_events) for w in later.runs[0].windows] == [(3, 40)]
    assert [w.window_start.day for w in store.window_results("hourly")] == [1, 2, 3]
    assert store.window_results("manual") == ()
    on_demand = Scheduler(store).run_monitor("manual", now="2026-01-04T00:00:00Z")
    assert len(on_demand.windows) == 3


def test_event_count_schedule(store):
    _save(store, "counted", window="1D", schedule="every 50 events")
    store.ingest_events(_events(1))
    assert not is_due(store, "counted", "every 50 events", now="2026-01-05T00:00:00Z")
    store.ingest_events(_events(2))
    assert is_due(store, "counted", "every 50 events", now="2026-01-05T00:00:00Z")
    run = run_due(store, now="2026-01-05T00:00:00Z")
    assert run.ran == ("counted",)
    # the events up to the last evaluated window (2026-01-05) no longer count
    assert not is_due(store, "counted", "every 50 events", now="2026-01-06T00:00:00Z")


def test_reference_period_channels_and_an_isolated_failure(store, caplog):
    store.ingest_events(_events(1) + _events(2) + _events(3, shift=3.0))
    store.save_channel("ops-log", "log", {"logger": "stalwart.test.ops"})
    _save(store, "drift", window="1D", schedule="1D", metrics=["data_drift"],
          reference={"start": "2026-01-01", "end": "2026-01-02"},
          rules=["drift_share > 0.5"], channels=["ops-log"])
    # its reference period holds no events: fitting data_drift fails, only for this monitor
    _save(store, "broken", window="1D", schedule="1D", metrics=["data_drift"],
          reference={"start": "2025-01-01", "end": "2025-01-02"})
    with caplog.at_level(logging.INFO, logger="stalwart.test.ops"):
        tick = run_due(store, now="2026-01-04T00:00:00Z")
    assert tick.ran == ("drift",)
    assert "broken" in tick.errors and "reference" in tick.errors["broken"]
    shares = [w.metrics["drift_share"] for w in tick.runs[0].windows]
    assert shares[:2] == [0.0, 0.0] and shares[2] == 1.0
    assert [d.channel for d in tick.runs[0].deliveries] == ["log"]
    assert all(d.ok for d in tick.runs[0].deliveries)
    assert any("drift_share" in r.getMessage() for r in caplog.records)
    [alert] = store.alerts(monitor="drift")
    assert alert.status == "open"
    broken = store.monitor_state("broken")
    assert broken.state["last_error"]["error"] == tick.errors["broken"]
    assert broken.last_run is None and broken.last_window_end is None
    # the broken monitor is retried (and fails again) at the next tick; the other is not due
    again = run_due(store, now="2026-01-04T01:00:00Z")
    assert again.ran == () and set(again.errors) == {"broken"} and again.not_due == ("drift",)
    assert tick.to_dict()["errors"] == tick.errors
    # fixed (a reference period with events): it runs, and the error is forgotten
    _save(store, "broken", window="1D", schedule="1D", metrics=["data_drift"],
          reference={"start": "2026-01-01", "end": "2026-01-02"})
    fixed = run_due(store, now="2026-01-04T02:00:00Z")
    assert fixed.ran == ("broken",) and fixed.errors == {}
    assert "last_error" not in store.monitor_state("broken").state


def test_background_loop_ticks_and_stops_cleanly(store):
    _save(store, "bg", window="1D", schedule="1h")
    store.ingest_events(_events(1))
    scheduler = Scheduler(store)
    thread = scheduler.run_forever(interval=0.05)
    deadline = time.monotonic() + 30
    while scheduler.last is None and time.monotonic() < deadline:
        time.sleep(0.02)
    scheduler.stop()
    assert not thread.is_alive()
    assert scheduler.last is not None and scheduler.last.errors == {}
    # real time: every complete day since the events, quiet days included, evaluated once
    windows = store.window_results("bg")
    assert windows[0].n_events == 40 and all(w.n_events == 0 for w in windows[1:])
    ends = [w.window_end for w in windows]
    assert len(set(ends)) == len(ends) and ends[-1] <= scheduler.last.at


def test_a_monitor_leased_elsewhere_is_busy_not_failed(store):
    _save(store, "leased", window="1D", schedule="1h")
    _save(store, "free", window="1D", schedule="1h")
    store.ingest_events(_events(1))
    assert store.acquire_lease("leased", "other-host:99")
    tick = run_due(store, now="2026-01-02T00:00:00Z")
    assert tick.ran == ("free",) and tick.busy == ("leased",) and tick.errors == {}
    assert store.window_results("leased") == ()
    with pytest.raises(StageError, match="being run by another scheduler"):
        Scheduler(store).run_monitor("leased", now="2026-01-02T00:00:00Z")
    store.release_lease("leased", "other-host:99")
    assert run_due(store, now="2026-01-02T00:00:00Z").ran == ("leased",)


def test_concurrent_schedulers_evaluate_each_window_once(store_url):
    first = open_store(store_url)
    _save(first, "shared", window="1D", schedule="1h", rules=["latency_p99 > 5"])
    first.ingest_events(_events(1) + _events(2) + _events(3))
    stores = [first] + [open_store(store_url) for _ in range(3)]
    barrier = threading.Barrier(len(stores))
    ticks = [None] * len(stores)

    def tick(i: int) -> None:
        barrier.wait()
        ticks[i] = Scheduler(stores[i]).run_due(now="2026-01-04T00:00:00Z")

    threads = [threading.Thread(target=tick, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    try:
        assert all(t is not None and t.errors == {} for t in ticks)
        windows = [len(r.windows) for t in ticks for r in t.runs]
        assert sum(windows) == 3  # every window evaluated by exactly one scheduler
        assert [w.window_start.day for w in first.window_results("shared")] == [1, 2, 3]
        [alert] = first.alerts(monitor="shared")
        assert alert.count == 3  # fired once, kept firing twice: never raised again
    finally:
        for s in stores:
            s.close()
