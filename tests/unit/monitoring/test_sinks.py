"""Sinks against a real local HTTP receiver, a store-like object, and the spill file."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from stalwart.exceptions import DataError, ParameterError
from stalwart.monitoring.sinks import (HttpSink, MemorySink, RejectedBatchError, SpillFile,
                                       StoreSink, TransientSinkError)


def _payload(path: str, body: bytes) -> dict:
    """The request as {events: [...]} or {labels: [...]}: column blocks (JSON or a binary
    frame) are expanded into their events as the server does."""
    from stalwart.store.columnar import expand_blocks
    from stalwart.store.frames import decode_frame
    if path.endswith("/frames"):
        return {"events": expand_blocks(decode_frame(body))[0]}
    payload = json.loads(body)
    if path.endswith("/columnar"):
        return {"events": expand_blocks(payload["blocks"])[0]}
    return payload


class Receiver:
    """A real HTTP server on 127.0.0.1 storing events by event_id.

    ``script`` is a list of (status, body) answers used before falling back to 200;
    ``reject(event)`` returning a message refuses a batch holding that event (422);
    ``hang`` makes every request wait that many seconds before answering.
    """

    def __init__(self, port: int = 0) -> None:
        self.events: dict[str, dict] = {}
        self.labels: dict[str, dict] = {}
        self.received: dict[str, int] = {}
        self.requests: list[tuple[str, dict]] = []
        self.script: list[tuple[int, str]] = []
        self.hang = 0.0
        self.reject = None  # event -> message when the whole batch is to be refused
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.hang:
                    receiver.stop_hang.wait(receiver.hang)
                with receiver.lock:
                    receiver.requests.append((self.path, dict(self.headers)))
                    status, text = receiver.script.pop(0) if receiver.script else (200, "")
                    if status == 200 and receiver.reject is not None:
                        for e in _payload(self.path, body).get("events", []):
                            if receiver.reject(e):
                                status, text = 422, json.dumps({"detail": receiver.reject(e)})
                    if status == 200:
                        payload = _payload(self.path, body)
                        for e in payload.get("events", []):
                            receiver.events[e["event_id"]] = e
                            receiver.received[e["event_id"]] = (
                                receiver.received.get(e["event_id"], 0) + 1)
                        for label in payload.get("labels", []):
                            receiver.labels[label["event_id"]] = label
                        text = '{"accepted": true}'
                data = text.encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting (timeout tests)
                    pass

        self.stop_hang = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stop_hang.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Receiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port() -> int:
    """A port nothing listens on (bound then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_http_sink_posts_events_and_labels_with_the_token():
    with Receiver() as rx:
        sink = HttpSink(rx.url, token="t0k")
        sink.send_events([{"event_id": "a", "timestamp": dt.datetime(2026, 1, 1),
                           "features": {"x": np.float32(1.5), "n": np.int64(3),
                                        "bad": float("nan")}}])
        sink.send_labels([{"event_id": "a", "label": np.int64(1)}])
        sink.close()
    assert rx.events["a"]["features"] == {"x": 1.5, "n": 3, "bad": None}
    assert rx.events["a"]["timestamp"] == "2026-01-01T00:00:00"
    assert rx.labels["a"]["label"] == 1
    assert [path for path, _ in rx.requests] == ["/api/v1/events", "/api/v1/labels"]
    assert all(h["Authorization"] == "Bearer t0k" for _, h in rx.requests)


@pytest.mark.parametrize("status", [500, 503, 408, 429])
def test_http_sink_server_errors_are_transient(status):
    with Receiver() as rx:
        rx.script = [(status, "busy")]
        with pytest.raises(TransientSinkError, match=str(status)):
            HttpSink(rx.url, token="t").send_events([{"event_id": "a"}])
        assert rx.events == {}


@pytest.mark.parametrize("status", [400, 401, 403, 413, 422])
def test_http_sink_client_errors_are_rejections_with_the_message(status):
    with Receiver() as rx:
        rx.script = [(status, '{"detail": "features.x: not a number"}')]
        with pytest.raises(RejectedBatchError, match="features.x: not a number"):
            HttpSink(rx.url, token="t").send_events([{"event_id": "a"}])


def test_http_sink_connection_refused_and_timeout_are_transient():
    with pytest.raises(TransientSinkError, match="ConnectionRefused"):
        HttpSink(f"http://127.0.0.1:{free_port()}", token="t").send_events([{"event_id": "a"}])
    with Receiver() as rx:
        rx.hang = 5
        with pytest.raises(TransientSinkError, match="TimeoutError"):
            HttpSink(rx.url, token="t", timeout=0.2).send_events([{"event_id": "a"}])


def test_http_sink_keeps_one_connection_and_reopens_one_the_server_closed():
    """Keep-alive: one connection for many batches; when the server closes it while idle
    (as uvicorn does after its keep-alive timeout) the next batch opens a new one."""
    import socketserver
    from http.server import BaseHTTPRequestHandler

    connections, posts = [], []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            connections.append(self.client_address)

        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            posts.append((self.path, self.headers["Authorization"], json.loads(body)))
            data = b'{"accepted": 1}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            # every third answer, drop the connection silently (no Connection: close)
            self.close_connection = len(posts) % 3 == 0

        def log_message(self, *args):
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        sink = HttpSink(f"http://127.0.0.1:{server.server_address[1]}/prefix", token="tk")
        for i in range(7):
            assert sink.send_events([{"event_id": f"e{i}"}]) == []
        sink.close()
    finally:
        server.shutdown()
        server.server_close()
    assert [p[2]["events"][0]["event_id"] for p in posts] == [f"e{i}" for i in range(7)]
    assert {p[0] for p in posts} == {"/prefix/api/v1/events"}
    assert {p[1] for p in posts} == {"Bearer tk"}
    assert len(connections) == 3  # 7 batches: a new connection after answers 3 and 6


@pytest.mark.parametrize("kwargs", [{"base_url": "127.0.0.1:80", "token": "t"},
                                    {"base_url": "http://x", "token": ""},
                                    {"base_url": "http://x", "token": "t", "timeout": 0}])
def test_http_sink_bad_parameters(kwargs):
    with pytest.raises(ParameterError):
        HttpSink(**kwargs)


class FakeStore:
    """A store-like object (the real store has the same two methods)."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.events: list[dict] = []
        self.labels: list[dict] = []

    def ingest_events(self, events):
        if self.fail is not None:
            raise self.fail
        self.events.extend(events)

    def add_labels(self, labels):
        self.labels.extend(labels)


def test_store_sink_passes_batches_and_classifies_failures():
    store = FakeStore()
    sink = StoreSink(store)
    sink.send_events([{"event_id": "a"}])
    sink.send_labels([{"event_id": "a", "label": 0}])
    assert store.events == [{"event_id": "a"}] and store.labels[0]["label"] == 0
    bad = DataError("event", expected="x", got="y", fix="z")
    with pytest.raises(RejectedBatchError, match="event: expected x"):
        StoreSink(FakeStore(fail=bad)).send_events([{"event_id": "a"}])
    with pytest.raises(TransientSinkError, match="OperationalError"):
        StoreSink(FakeStore(fail=type("OperationalError", (Exception,), {})("db down"))
                  ).send_events([{"event_id": "a"}])
    with pytest.raises(ParameterError):
        StoreSink(object())


def test_memory_sink_is_idempotent_by_event_id_and_counts_duplicates():
    sink = MemorySink()
    sink.send_events([{"event_id": "a", "v": 1}, {"event_id": "b"}])
    sink.send_events([{"event_id": "a", "v": 2}])
    assert len(sink) == 2 and sink.received == 3 and sink.events["a"]["v"] == 2


def test_spill_file_take_finish_and_dead_letter(tmp_path):
    spill = SpillFile(tmp_path / "spill.jsonl")
    assert not spill.pending() and spill.take() == []
    spill.append("event", [{"event_id": "a", "x": np.float64(1.0)}, {"event_id": "b"}])
    spill.append("label", [{"event_id": "a", "label": 1}], sync=True)
    assert spill.pending()
    taken = spill.take()
    assert [(k, r["event_id"]) for k, r in taken] == [("event", "a"), ("event", "b"),
                                                       ("label", "a")]
    spill.append("event", [{"event_id": "c"}])  # spills while sending go to a fresh file
    spill.finish(taken[1:])  # 'a' acknowledged
    assert [r["event_id"] for _, r in spill.take()] == ["b", "a"]  # .sending first
    spill.finish([])
    assert [r["event_id"] for _, r in spill.take()] == ["c"]
    spill.finish([])
    assert not spill.pending()
    spill.dead_letter("event", [{"event_id": "z"}], "HTTP 400: bad")
    line = json.loads(spill.dead_path.read_text())
    assert spill.dead_path.name == "spill.dead.jsonl"
    assert line == {"kind": "event", "record": {"event_id": "z"}, "error": "HTTP 400: bad"}
    spill.close()


def test_spill_file_skips_a_torn_last_line(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"kind": "event", "record": {"event_id": "a"}}\n{"kind": "ev')
    assert [r["event_id"] for _, r in SpillFile(path).take()] == ["a"]


def test_store_sink_into_a_real_sqlite_store_with_labels_joined(tmp_path):
    pytest.importorskip("sqlalchemy")
    from stalwart.monitoring.client import Monitor
    from stalwart.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    with Monitor(StoreSink(store), model="churn", model_version="1", flush_interval=0.05,
                 spill_path=tmp_path / "spill.jsonl") as monitor:
        ids = [monitor.log({"x": float(i), "plan": "pro"},
                           {"prediction": i % 2, "proba": {"0": 0.25, "1": 0.75}},
                           segment="acme", latency_ms=2.0) for i in range(20)]
        monitor.log_label(ids[4], 1)
    frame = store.events("churn").set_index("event_id")
    store.close()
    assert len(frame) == 20 and set(frame.index) == set(ids)
    row = frame.loc[ids[4]]
    assert row["features.x"] == 4.0 and row["outputs.proba.1"] == 0.75 and row["label"] == 1
    assert row["segment"] == "acme" and row["latency_ms"] == 2.0
    assert monitor.stats()["sent"] == 21
