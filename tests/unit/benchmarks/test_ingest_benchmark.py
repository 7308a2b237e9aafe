"""The ingest benchmark's load plan and summary, in-process (no server): the open loop's
schedule, latency from the scheduled send, the achieved rate, and the rendered section."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks"


@pytest.fixture
def load(monkeypatch):
    monkeypatch.setattr(sys, "path", [str(BENCH), *sys.path])
    spec = importlib.util.spec_from_file_location("bench_ingest_load", BENCH / "_ingest_load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def report(monkeypatch):
    monkeypatch.setattr(sys, "path", [str(BENCH), *sys.path])
    spec = importlib.util.spec_from_file_location("bench_ingest_report",
                                                  BENCH / "_ingest_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_clients_together_offer_the_rate_as_an_even_stream(load):
    plans = [load.schedule(start_at=100.0, end=110.0, batch=500, rate=5000.0, client=c,
                           clients=4) for c in range(4)]
    assert [len(p) for p in plans] == [100, 100, 100, 100]  # 4 x 5,000 events/s for 10 s
    merged = sorted(t for p in plans for t in p)
    gaps = {round(b - a, 9) for a, b in zip(merged, merged[1:])}
    assert gaps == {0.025}  # one batch every 25 ms across the clients, no bursts
    assert merged[0] == 100.0 and merged[-1] < 110.0


def _result(batches, *, unsent=0, errors=0):
    return {"batches": batches, "errors": [], "error_count": errors, "cpu_s": 1.0,
            "wall_s": 10.0, "unsent": unsent, "planned": len(batches) + unsent}


def test_open_loop_latency_runs_from_the_schedule_and_late_answers_do_not_count(load):
    # window [10, 20): batches scheduled at 10..19 s; one at 9 s is warm-up
    batches = [(9.05, 0.05, 100, 9.0)]
    batches += [(t + 0.02, 0.02, 100, float(t)) for t in range(10, 19)]
    batches.append((19.0 + 5.0, 5.0, 100, 19.0))  # answered 5 s late: slow, and not counted
    out = load.summarise([_result(batches)], start_at=7.0, warmup=3.0, duration=10.0,
                         rate=1000.0)
    assert out["batches"] == 10
    assert out["max_ms"] == pytest.approx(5000.0)
    assert out["p50_ms"] == pytest.approx(20.0)
    assert out["events_per_s"] == pytest.approx(900 / 10.0)
    assert out["offered_events_per_s"] == 1000.0 and out["unsent"] == 0


def test_closed_loop_counts_the_answers_in_the_window(load):
    batches = [(t + 0.5, 0.3, 1000, None) for t in range(8, 22)]
    out = load.summarise([_result(batches)], start_at=7.0, warmup=3.0, duration=10.0)
    assert out["events"] == 10_000 and out["batches"] == 10
    assert "offered_events_per_s" not in out


def _run(p99: float, achieved: float, unsent: int = 0) -> dict:
    point = {"events": 0, "batches": 400, "events_per_s": achieved, "p50_ms": 20.0,
             "p95_ms": 30.0, "p99_ms": p99, "max_ms": p99 + 5, "mean_ms": 21.0, "errors": 0,
             "client_cpu_cores": 0.1, "machine_busy_cores": 0.9}
    store = {"database": "SQLite 3", "load_before": [0.1, 0.2, 0.3],
             "load_after_server": [0.4, 0.5, 0.6],
             "runs": {"1000": dict(point, p99_ms=300.0, events_per_s=25_000.0)},
             "open": {"20000": dict(point, offered_events_per_s=20_000.0, unsent=unsent)},
             "baselines": {"store_ingest_events": {"events_per_s": 50_000.0},
                           "sqlalchemy_executemany": {"events_per_s": 20_000.0}}}
    store["server"] = store["runs"]["1000"]
    return {"date": "2026-11-24T01:00:00", "command": "python benchmarks/ingest.py",
            "machine": {"cpu": "cpu", "cores": 2, "usable_cores": 2},
            "versions": {"python": "3", "fastapi": "f", "uvicorn": "u", "sqlalchemy": "s",
                         "scikit-learn": "k", "orjson": "o"},
            "settings": {"workers": 2, "clients": 4, "warmup": 3.0, "duration": 20.0,
                         "batch": 1000, "batches": [1000], "open_batch": 500,
                         "baseline_batches": 20},
            "stores": {"sqlite": store}}


@pytest.mark.parametrize(("p99", "achieved", "unsent", "verdict"), [
    (40.0, 20_000.0, 0, "the target is met"),
    (140.0, 20_000.0, 0, "the target is **not met**"),
    (40.0, 19_900.0, 0, "the target is **not met**"),
    (40.0, 20_000.0, 3, "the target is **not met**")])
def test_the_target_is_judged_on_the_open_loop_run(report, p99, achieved, unsent, verdict):
    text = report.render(_run(p99, achieved, unsent))
    line = next(x for x in text.splitlines() if x.startswith("- SQLite, open loop at 20,000"))
    assert line.endswith(verdict + ".")
    assert "closed loop with 1,000-event batches: at most 25,000 events/s" in text


def test_a_run_above_the_target_rate_is_headroom_not_the_verdict(report):
    run = _run(40.0, 20_000.0)
    store = run["stores"]["sqlite"]
    store["open"]["25000"] = dict(store["open"]["20000"], offered_events_per_s=25_000.0,
                                  events_per_s=21_000.0, p99_ms=900.0)
    text = report.render(run)
    line = next(x for x in text.splitlines() if x.startswith("- SQLite, open loop at 25,000"))
    assert line.endswith("not both of the target's conditions hold at this rate.")
    assert "open loop at 20,000 events/s offered: 20,000 achieved, p99 40 ms" in text
