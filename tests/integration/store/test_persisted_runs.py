"""run_monitor on a saved monitor persists alert and trigger state in the store (SQLite and
PostgreSQL): successive runs continue streaks and hysteresis, raise an alert once, fire a
trigger once per persisting condition, and evaluate each complete window exactly once."""

from __future__ import annotations

import json
import sys

import pytest

from stalwart.monitoring import MonitorSpec, run_monitor


def _events(day: int, latency: float, n: int = 4, *, first: int = 0, hour: int = 6) -> list:
    return [{"event_id": f"d{day}-{first + i}", "timestamp": f"2026-01-{day:02d}T{hour:02d}:"
             f"{first + i:02d}:00Z", "model": "m", "model_version": "1",
             "features": {"x": float(i)}, "outputs": {"prediction": 1},
             "latency_ms": latency} for i in range(n)]


def _save(store, **extra) -> None:
    spec = MonitorSpec(name="lat", model="m", window=extra.pop("window", "1D"),
                       metrics=["latency"], **extra)
    store.save_monitor("lat", "m", spec.to_dict())


def _day_end(day: int) -> str:
    return f"2026-01-{day + 1:02d}T00:00:00Z"


def test_streak_continues_across_runs_and_the_alert_is_raised_once(store):
    _save(store, rules=["latency_p99 > 30 for 2 windows clear 20"])
    fired, firing = [], []
    for day, latency in enumerate([50, 60, 70, 25, 10], start=1):
        store.ingest_events(_events(day, latency))
        run = run_monitor(store, "lat", now=_day_end(day))
        assert run.persisted and [w.window_end.day for w in run.windows] == [day + 1]
        fired.append(len(run.fired))
        firing.append(sum(len(ev.firing) for ev in run.alerts))
    # day 1 pending, day 2 fires, day 3 keeps firing, day 4 (25: above clear 20) holds,
    # day 5 resolves: one alert, raised once
    assert fired == [0, 1, 0, 0, 0] and firing == [0, 0, 1, 1, 0]
    [alert] = store.alerts(monitor="lat")
    assert (alert.status, alert.count) == ("resolved", 3)
    state = store.monitor_state("lat")
    assert state.last_window_end.isoformat() == "2026-01-06T00:00:00+00:00"
    assert state.state["engine"]["alerts"]["lat/latency_p99 > 30 for 2 windows/"][
        "status"] == "ok"


def test_without_persistence_each_run_starts_afresh(store):
    _save(store, rules=["latency_p99 > 30 for 2 windows"])
    fired = []
    for day in (1, 2):
        store.ingest_events(_events(day, 50))
        run = run_monitor(store, "lat", persist=False, start=f"2026-01-{day:02d}",
                          end=_day_end(day))
        fired.append(len(run.fired))
    assert fired == [0, 0]  # the streak never reached 2 windows
    assert store.monitor_state("lat").updated is None


def test_only_complete_windows_not_yet_evaluated(store):
    _save(store)
    store.ingest_events(_events(1, 10) + _events(2, 20, n=2))
    run = run_monitor(store, "lat", now="2026-01-02T12:00:00Z")
    assert [(w.window_start.day, w.n_events) for w in run.windows] == [(1, 4)]
    store.ingest_events(_events(2, 20, n=2, first=2, hour=18))
    assert run_monitor(store, "lat", now="2026-01-02T23:59:59Z").windows == ()
    run = run_monitor(store, "lat", now="2026-01-04T01:00:00Z")
    assert [(w.window_start.day, w.n_events) for w in run.windows] == [(2, 4), (3, 0)]
    assert [w.n_events for w in store.window_results("lat")] == [4, 4, 0]


def test_count_windows_take_full_blocks_only(store):
    _save(store, window=3)
    store.ingest_events(_events(1, 10, n=7))
    run = run_monitor(store, "lat", now="2026-01-05T00:00:00Z")
    assert [w.n_events for w in run.windows] == [3, 3]
    store.ingest_events(_events(1, 10, n=2, first=7))
    run = run_monitor(store, "lat", now="2026-01-05T00:00:00Z")
    assert [w.n_events for w in run.windows] == [3]
    assert store.monitor_state("lat").last_window_end.minute == 8


def test_trigger_fires_once_per_persisting_condition(store, tmp_path):
    log = tmp_path / "retrain.log"
    code = f"import sys; open({str(log)!r}, 'a').write(sys.stdin.read() + '\\n')"
    _save(store, rules=["latency_p99 > 30"],
          triggers=[{"condition": "latency_p99 > 30", "windows": 2, "name": "retrain",
                     "action": {"type": "command", "argv": [sys.executable, "-c", code]}}])
    runs = []
    for day, latency in enumerate([50, 50, 50, 50, 10, 50, 50], start=1):
        store.ingest_events(_events(day, latency))
        runs.append(len(run_monitor(store, "lat", now=_day_end(day)).trigger_runs))
    assert runs == [0, 1, 0, 0, 0, 0, 1]
    contexts = [json.loads(line) for line in log.read_text().splitlines()]
    assert [c["window_end"][:10] for c in contexts] == ["2026-01-03", "2026-01-08"]
    assert all(c["trigger"] == "retrain" and c["windows"] == 2 for c in contexts)


def test_saved_spec_is_validated(store):
    with pytest.raises(Exception, match="schedule"):
        store.save_monitor("x", "m", {"schedule": "soon", "metrics": ["latency"]})
    with pytest.raises(Exception, match="channels saved in the store"):
        store.save_monitor("x", "m", {"channels": ["ops"], "metrics": ["latency"]})
    with pytest.raises(Exception, match="reference period"):
        store.save_monitor("x", "m", {"reference": {"start": "2026-02-01",
                                                    "end": "2026-01-01"}})
    with pytest.raises(Exception, match="spec name"):
        store.save_monitor("x", "m", {"schema_version": "1.0", "name": "y"})
    with pytest.raises(Exception, match="trigger action"):
        store.save_monitor("x", "m", {"triggers": [{"condition": "a > 1", "action": {}}]})
    store.save_channel("ops", "log", {})
    rec = store.save_monitor("x", "m", {"channels": ["ops"], "schedule": "every 10 events",
                                        "metrics": ["latency"]})
    assert rec.spec["channels"] == ["ops"] and rec.spec["name"] == "x"
    # an old-style spec without the scheduler keys is stored as given
    assert store.save_monitor("old", "m", {"window": "1d", "metrics": ["psi"]}).spec == \
        {"window": "1d", "metrics": ["psi"]}


def test_reference_period_reads_the_models_own_events(store):
    from stalwart.monitoring.runner import reference_events

    v2 = [dict(e, event_id=e["event_id"] + "-v2", model_version="2") for e in _events(1, 10)]
    store.ingest_events(_events(1, 10) + v2 + _events(2, 10))
    spec = MonitorSpec(name="lat", model="m", metrics=["latency"],
                       reference={"start": "2026-01-01", "end": "2026-01-02",
                                  "model_version": "2"})
    ref = reference_events(store, spec)
    assert len(ref) == 4 and set(ref["model_version"]) == {"2"}
    whole = MonitorSpec(name="lat", model="m", metrics=["latency"],
                        reference={"start": "2026-01-01", "end": "2026-01-03"})
    assert len(reference_events(store, whole)) == 12
    assert reference_events(store, MonitorSpec(name="lat", model="m")) is None


def test_the_drift_alarm_budget_continues_across_runs(store):
    import math

    import numpy as np

    rng = np.random.default_rng(5)

    def day(d: int, shift: float = 0.0) -> list:
        x = rng.normal(shift, 1, 60)
        return [{"event_id": f"b{d}-{i}", "timestamp": f"2026-01-{d:02d}T{i % 24:02d}:"
                 f"{i // 24:02d}:00Z", "model": "m", "model_version": "1",
                 "features": {"x": float(x[i])}, "outputs": {"prediction": 1}}
                for i in range(60)]

    def save(ref_end: str) -> None:
        spec = MonitorSpec(name="drift", model="m", metrics=["data_drift"],
                           reference={"start": "2026-01-01", "end": ref_end})
        store.save_monitor("drift", "m", spec.to_dict())

    store.ingest_events(day(1) + day(2))
    save("2026-01-02")
    levels = []
    for d in range(2, 6):
        if d > 2:
            store.ingest_events(day(d))
        run = run_monitor(store, "drift", now=_day_end(d))
        levels += [w.details["data_drift"]["alarm"]["level"] for w in run.windows
                   if w.window_start.day >= 2]
    # one budget over the stream: window k is judged at rate * 6 / (pi^2 k^2), k = 2..5
    # (day 1, the reference period itself, was window 1 of the first run)
    expected = [0.05 * 6 / math.pi ** 2 / k ** 2 for k in range(2, 6)]
    assert levels == pytest.approx(expected, rel=1e-12)
    assert store.monitor_state("drift").state["budgets"]["data_drift"]["tested"] == 5
    # a new reference period is a new hypothesis: the budget starts again
    save("2026-01-03")
    store.ingest_events(day(6, shift=3.0))
    [w] = run_monitor(store, "drift", now=_day_end(6)).windows
    assert w.details["data_drift"]["alarm"]["level"] == pytest.approx(0.05 * 6 / math.pi ** 2)
    assert w.metrics["drift_alarm"] == 1.0
