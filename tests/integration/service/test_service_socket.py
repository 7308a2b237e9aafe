"""The server over a real socket: uvicorn in a thread on 127.0.0.1, httpx as the client."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx


def test_ingest_and_read_over_http(live, h):
    with httpx.Client(base_url=live.url, timeout=10) as c:
        assert c.get("/healthz").json()["status"] == "ok"
        batch = {"events": [h.event(i) for i in range(20)] + [{"event_id": "bad"}]}
        r = c.post("/api/v1/events", json=batch, headers=h.INGEST)
        assert r.status_code == 200
        assert (r.json()["accepted"], len(r.json()["rejected"])) == (20, 1)
        r = c.post("/api/v1/events", json=batch, headers=h.INGEST)
        assert (r.json()["accepted"], r.json()["duplicates"]) == (0, 20)
        got = c.get("/api/v1/events", params={"model": "churn", "limit": 3}, headers=h.READ)
        assert [e["event_id"] for e in got.json()["events"]] == ["e0", "e1", "e2"]
        assert c.post("/api/v1/events", json=batch, headers=h.READ).status_code == 403
        assert c.post("/api/v1/events", json=batch).status_code == 401
        assert "stalwart_events_ingested_total" in c.get("/metrics").text


def test_oversized_bodies_get_413_by_header_and_by_stream(live, h):
    big = {"events": [h.event(i) for i in range(400)]}  # ~100 kB > the 64 kB limit
    raw = json.dumps(big).encode()
    assert len(raw) > 64 * 1024
    with httpx.Client(base_url=live.url, timeout=10) as c:
        r = c.post("/api/v1/events", content=raw,
                   headers={**h.INGEST, "content-type": "application/json"})
        assert r.status_code == 413 and "65536 bytes" in r.json()["detail"]

        def chunks():  # no Content-Length: the limit is enforced while reading
            for start in range(0, len(raw), 8192):
                yield raw[start:start + 8192]

        r = c.post("/api/v1/events", content=chunks(),
                   headers={**h.INGEST, "content-type": "application/json"})
        assert r.status_code == 413 and "more than 65536" in r.json()["detail"]
        octet = {**h.ADMIN, "content-type": "application/octet-stream"}
        r = c.post("/api/v1/models/churn/references/big", content=b"\0" * 70_000,
                   headers=octet)
        assert r.status_code == 413
        assert c.get("/api/v1/events", params={"model": "churn"},
                     headers=h.READ).json()["count"] == 0
        small = {"events": [h.event(i) for i in range(100)]}
        ok = c.post("/api/v1/events", json=small, headers=h.INGEST)
        assert ok.status_code == 200 and ok.json()["accepted"] == 100
        metrics = c.get("/metrics").text
        assert 'route="unrouted",status="413"} 3' in metrics


def _lying_length(port: int, token: str) -> bytes:
    """A request whose Content-Length says 10 bytes but whose body is larger."""
    body = b'{"events": []}' + b" " * 80_000
    head = (f"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}"
            "\r\nContent-Type: application/json\r\nContent-Length: 14\r\n"
            "Connection: close\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head + body[:14])
        return s.recv(4096)


def test_a_small_content_length_reads_only_what_it_declares(live, h):
    reply = _lying_length(live.port, "tok-ingest-0123")
    assert reply.startswith(b"HTTP/1.1 200")


def test_stalwart_serve_runs_a_real_server(tmp_path, h):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps(h.TOKENS))
    code = ("import sys; from stalwart.cli.serve import serve_command; "
            "serve_command(sys.argv[1:])")
    env = {k: v for k, v in os.environ.items()
           if k not in {"STALWART_STORE_URL", "STALWART_TOKEN_FILE", "STALWART_TOKENS"}}
    proc = subprocess.Popen([sys.executable, "-c", code, "--workspace", str(tmp_path / "ws"),
                             "--port", str(port), "--token-file", str(tokens)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        assert r.json()["store"] == {"dialect": "sqlite", "reachable": True}
        r = httpx.post(f"http://127.0.0.1:{port}/api/v1/events",
                       json={"events": [h.event(1)]}, headers=h.INGEST, timeout=10)
        assert r.json()["accepted"] == 1
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=15)
    assert (tmp_path / "ws" / "stalwart.db").exists()
    assert b"1 token" not in err and b"4 token(s)" in err


def test_the_python_client_logs_to_the_server(live, h, tmp_path):
    from stalwart.monitoring.client import Monitor
    from stalwart.monitoring.sinks import HttpSink

    monitor = Monitor(HttpSink(live.url, token="tok-ingest-0123"), model="churn",
                      model_version="7", batch_size=50, flush_interval=0.05,
                      spill_path=tmp_path / "spill.jsonl")
    ids = [monitor.log({"x": float(i)}, {"prediction": i % 2}, segment="acme",
                       latency_ms=2.0) for i in range(120)]
    for event_id in ids[:10]:
        monitor.log_label(event_id, 1)
    assert monitor.close(timeout=20)
    with httpx.Client(base_url=live.url, timeout=10) as c:
        got = c.get("/api/v1/events", params={"model": "churn", "limit": 1000},
                    headers=h.READ).json()
    assert sorted(e["event_id"] for e in got["events"]) == sorted(ids)
    labelled = {e["event_id"] for e in got["events"] if e["label"] == 1}
    assert labelled == set(ids[:10])
    assert not (tmp_path / "spill.jsonl").exists() or \
        (tmp_path / "spill.jsonl").read_text() == ""


def test_concurrent_overlapping_batches_store_each_event_once(store_url, h):
    from concurrent.futures import ThreadPoolExecutor

    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url=store_url), tokens=h.TOKENS)
    with h.LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as c:
        def send(k: int) -> dict:
            batch = {"events": [h.event(i) for i in range(k * 50, k * 50 + 100)]}
            return c.post("/api/v1/events", json=batch, headers=h.INGEST).json()

        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(send, range(6)))  # events 0..349, each sent once or twice
        assert sum(a["accepted"] for a in answers) == 350
        assert sum(a["duplicates"] for a in answers) == 250
        got = c.get("/api/v1/events", params={"model": "churn", "limit": 1000},
                    headers=h.READ).json()
        assert got["count"] == 350
