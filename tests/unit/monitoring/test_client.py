"""Monitor against a real local HTTP receiver: batching, retries, spill, re-send, dead letters."""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.monitoring.client import Monitor
from stalwart.monitoring.sinks import HttpSink, MemorySink

_spec = importlib.util.spec_from_file_location("_monitoring_sinks_tests",
                                               Path(__file__).with_name("test_sinks.py"))
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
Receiver, free_port = _mod.Receiver, _mod.free_port


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def make(sink, tmp_path, **kwargs):
    options = {"model": "churn", "model_version": "1", "flush_interval": 0.05,
               "spill_path": tmp_path / "spill.jsonl", "retries": 2, "backoff": 0.01}
    options.update(kwargs)
    return Monitor(sink, **options)


def spill_lines(path: Path) -> list[dict]:
    lines = []
    for p in (path, path.with_name(path.name + ".sending")):
        if p.exists():
            lines += [json.loads(x) for x in p.read_text().splitlines()]
    return lines


def test_ten_thousand_events_from_four_threads_arrive_exactly_once(tmp_path):
    with Receiver() as rx:
        monitor = make(HttpSink(rx.url, token="t"), tmp_path, batch_size=500)
        ids: list[list[str]] = [[] for _ in range(4)]

        def worker(k):
            for i in range(2500):
                ids[k].append(monitor.log({"x": i, "k": k}, {"prediction": i % 2},
                                          segment=f"c{k}", latency_ms=0.5))

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert monitor.flush(timeout=20)
        stats = monitor.stats()
        monitor.close()
    all_ids = [i for part in ids for i in part]
    assert len(set(all_ids)) == 10_000
    assert set(rx.events) == set(all_ids)
    assert set(rx.received.values()) == {1}
    assert stats == {"logged": 10_000, "sent": 10_000, "resent": 0, "spilled": 0,
                     "dead_lettered": 0, "queued": 0}
    event = rx.events[ids[2][7]]
    assert event["features"] == {"x": 7, "k": 2} and event["segment"] == "c2"
    assert event["model"] == "churn" and event["model_version"] == "1"
    assert event["outputs"] == {"prediction": 1} and event["latency_ms"] == 0.5
    assert len(rx.requests) < 500  # batched, not one request per event


def test_receiver_down_spills_then_resends_when_it_comes_up(tmp_path):
    port = free_port()
    monitor = make(HttpSink(f"http://127.0.0.1:{port}", token="t", timeout=1), tmp_path,
                   batch_size=100)
    first = [monitor.log({"i": i}, {"prediction": 0}) for i in range(300)]
    monitor.log_label(first[0], 1)
    assert monitor.flush(timeout=20)
    assert monitor.stats()["spilled"] == 301 and monitor.stats()["sent"] == 0
    assert len(spill_lines(tmp_path / "spill.jsonl")) == 301
    with Receiver(port=port) as rx:
        assert wait_for(lambda: monitor.stats()["resent"] == 301)
        second = [monitor.log({"i": i}, {"prediction": 1}) for i in range(200)]
        assert monitor.flush(timeout=20)
        monitor.close()
    assert set(rx.events) == set(first) | set(second)
    assert set(rx.received.values()) == {1}  # none lost, none twice
    assert rx.labels[first[0]]["label"] == 1
    assert spill_lines(tmp_path / "spill.jsonl") == []
    stats = monitor.stats()
    assert stats["sent"] + stats["spilled"] == 501 and stats["resent"] == stats["spilled"]


def test_two_server_errors_then_success_is_retried(tmp_path):
    with Receiver() as rx:
        rx.script = [(500, "oops"), (500, "oops")]
        # a long interval: the ten events travel as one batch however slow the logging is
        # (with 50 ms a loaded machine sent a partial batch first: four requests, not three)
        monitor = make(HttpSink(rx.url, token="t"), tmp_path, batch_size=10, retries=3,
                       flush_interval=30)
        ids = [monitor.log({"i": i}, {"prediction": i}) for i in range(10)]
        assert monitor.flush(timeout=10)
        monitor.close()
    assert len(rx.requests) == 3
    assert set(rx.events) == set(ids) and set(rx.received.values()) == {1}
    assert monitor.stats()["sent"] == 10 and monitor.stats()["spilled"] == 0


def test_a_rejected_batch_goes_to_the_dead_letter_file_with_the_message(tmp_path):
    with Receiver() as rx:
        rx.script = [(400, '{"detail": "no such model"}')]
        monitor = make(HttpSink(rx.url, token="t"), tmp_path, batch_size=5)
        lone = monitor.log({"age": 1}, {"prediction": 0})
        assert monitor.flush(timeout=10)
        assert len(rx.requests) == 1  # not retried
        rx.reject = lambda e: (f"{e['event_id']}: features.age: expected a number"
                               if isinstance(e["features"]["age"], str) else None)
        ages = [3, "old", 5, 6, "older"]
        ids = [monitor.log({"age": a}, {"prediction": 0}) for a in ages]
        assert monitor.flush(timeout=10)
        monitor.close()
    dead = [json.loads(x) for x in (tmp_path / "spill.dead.jsonl").read_text().splitlines()]
    assert [d["record"]["event_id"] for d in dead] == [lone, ids[1], ids[4]]
    assert "HTTP 400" in dead[0]["error"] and "no such model" in dead[0]["error"]
    assert "HTTP 422" in dead[1]["error"] and "features.age: expected a number" in dead[1]["error"]
    # the batch was halved until the bad events were alone: the good ones arrived
    assert set(rx.events) == {ids[0], ids[2], ids[3]} and set(rx.received.values()) == {1}
    assert monitor.stats()["dead_lettered"] == 3 and monitor.stats()["sent"] == 3


def test_log_returns_in_microseconds_while_the_sink_hangs(tmp_path):
    with Receiver() as rx:
        rx.hang = 30
        monitor = make(HttpSink(rx.url, token="t", timeout=1.0), tmp_path, batch_size=1,
                       retries=0, max_queue=100)
        monitor.log({"x": 0}, {"prediction": 0})
        assert wait_for(lambda: len(rx.requests) == 0 and monitor.stats()["queued"] == 0, 2)
        times = []
        for i in range(1000):
            start = time.perf_counter()
            monitor.log({"x": i, "y": 0.5}, {"prediction": 1})
            times.append(time.perf_counter() - start)
        assert statistics.median(times) < 100e-6  # microseconds, not the 1 s timeout
        assert max(times) < 0.1
        stats = monitor.stats()
        assert stats["spilled"] >= 900  # the queue (100) is full: the rest went to disk
        assert monitor.close()
    stats = monitor.stats()
    assert stats["logged"] == 1001
    assert stats["spilled"] + stats["sent"] == 1001 and stats["queued"] == 0
    assert len(spill_lines(tmp_path / "spill.jsonl")) == stats["spilled"]


def test_close_flushes_and_log_after_close_is_an_error(tmp_path):
    sink = MemorySink()
    monitor = make(sink, tmp_path, flush_interval=60, batch_size=1000)
    ids = [monitor.log({"x": i}, {"prediction": 0}) for i in range(10)]
    monitor.close()
    monitor.close()  # idempotent
    assert set(sink.events) == set(ids)
    with pytest.raises(StageError):
        monitor.log({"x": 1}, {"prediction": 0})


def test_a_new_monitor_resends_an_old_spill_file(tmp_path):
    old = make(HttpSink(f"http://127.0.0.1:{free_port()}", token="t"), tmp_path, retries=0)
    ids = [old.log({"i": i}, {"prediction": 0}) for i in range(50)]
    old.log_label(ids[3], "yes")
    old.close()
    assert len(spill_lines(tmp_path / "spill.jsonl")) == 51
    sink = MemorySink()
    new = make(sink, tmp_path)
    assert wait_for(lambda: new.stats()["resent"] == 51)
    new.close()
    assert set(sink.events) == set(ids) and sink.received == 50
    assert sink.labels[ids[3]]["label"] == "yes"
    assert spill_lines(tmp_path / "spill.jsonl") == []


def test_flush_at_interpreter_exit(tmp_path):
    with Receiver() as rx:
        code = textwrap.dedent(f"""
            from stalwart.monitoring.client import Monitor
            from stalwart.monitoring.sinks import HttpSink
            m = Monitor(HttpSink({rx.url!r}, token="t"), model="m", model_version="1",
                        flush_interval=60, spill_path={str(tmp_path / "s.jsonl")!r})
            for i in range(20):
                m.log({{"i": i}}, {{"prediction": 0}}, event_id=f"e{{i}}")
        """)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
        subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=60)
    assert set(rx.events) == {f"e{i}" for i in range(20)}


class FlakySink(MemorySink):
    """A real in-process sink whose first ``failures`` sends raise a plain exception."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def send_events(self, events):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("flaky")
        super().send_events(events)


def test_unknown_sink_exceptions_are_retried_and_labels_follow_events(tmp_path):
    sink = FlakySink(failures=2)
    monitor = make(sink, tmp_path, retries=3)
    event_id = monitor.log({"x": 1}, {"prediction": 1}, event_id="abc",
                           timestamp="2026-01-02T03:04:05+00:00", metadata={"src": "api"})
    monitor.log_label(event_id, 1)
    monitor.close()
    assert sink.events["abc"]["timestamp"] == "2026-01-02T03:04:05+00:00"
    assert sink.events["abc"]["metadata"] == {"src": "api"}
    assert sink.labels["abc"]["label"] == 1 and monitor.stats()["sent"] == 2


@pytest.mark.parametrize("kwargs", [{"batch_size": 0}, {"max_queue": -1}, {"retries": -1},
                                    {"flush_interval": 0}, {"backoff": float("nan")},
                                    {"model": ""}])
def test_bad_parameters_are_parameter_errors(tmp_path, kwargs):
    with pytest.raises(ParameterError):
        make(MemorySink(), tmp_path, **kwargs)
    with pytest.raises(ParameterError):
        Monitor(object(), model="m", model_version="1")


def test_bad_input_is_a_data_error_at_log_time(tmp_path):
    sink = MemorySink()
    monitor = make(sink, tmp_path)
    bad = [({"x": object()}, {"prediction": 1}, {}),
           ({"x": [1, {"deep": {1, 2}}]}, {"prediction": 1}, {}),
           ([1, 2], {"prediction": 1}, {}),
           ({"x": 1}, {"prediction": 1}, {"latency_ms": -1.0}),
           ({"x": 1}, {"prediction": 1}, {"timestamp": "yesterday"}),
           ({"x": 1}, {"prediction": 1}, {"event_id": 12}),
           ({"x": 1}, {"prediction": 1}, {"segment": 3})]
    for features, outputs, extra in bad:
        with pytest.raises(DataError):
            monitor.log(features, outputs, **extra)
    with pytest.raises(DataError):
        monitor.log_label("a", object())
    monitor.log({"x": 1}, {"prediction": 1})
    monitor.close()
    assert monitor.stats()["logged"] == 1 and len(sink) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.filterwarnings("ignore:.*multi-threaded.*fork:DeprecationWarning")
def test_a_forked_child_cannot_log_and_does_not_resend_the_parents_queue(tmp_path):
    sink = MemorySink()
    monitor = make(sink, tmp_path, flush_interval=60, batch_size=1000)
    monitor.log({"x": 1}, {"prediction": 0}, event_id="parent")
    ctx = __import__("multiprocessing").get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_logs, args=(monitor, queue))
    child.start()
    assert queue.get(timeout=30) == "StageError"
    child.join(30)
    monitor.close()
    assert list(sink.events) == ["parent"] and spill_lines(tmp_path / "spill.jsonl") == []


def _child_logs(monitor, queue):
    try:
        monitor.log({"x": 2}, {"prediction": 0})
        queue.put("logged")
    except StageError:
        queue.put("StageError")
    monitor._at_exit()  # what atexit would run in the child: nothing


def test_flush_returns_once_the_sending_thread_is_idle(tmp_path):
    # a flush waits for the rows to be sent and then for the thread to finish that pass, so
    # the caller's next call does not share the interpreter with its last steps
    sink = MemorySink()
    monitor = Monitor(sink, model="m", model_version="1", spill_path=tmp_path / "s.jsonl",
                      flush_interval=3600)
    try:
        for i in range(5):
            monitor.log({"x": float(i)}, {"prediction": i % 2}, event_id=f"e{i}")
            assert monitor.flush(timeout=30)
            assert monitor._idle.is_set() and len(sink.events) == i + 1
        assert monitor.flush(timeout=30)  # nothing pending: returns at once, still idle
        assert monitor._idle.is_set()
    finally:
        assert monitor.close(timeout=30)
    assert monitor.flush(timeout=1)  # after close: the thread is gone, no wait on it
