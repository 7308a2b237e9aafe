"""The running system end to end, over real sockets and a real store: a model's predictions
are logged by the client to the server, labels follow, a monitor computes daily windows from
the store, a planted shift raises one alert, and the webhook receives one notification."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import numpy as np
import pytest

from stalwart.monitoring import HttpSink, Monitor, MonitorSpec, WebhookChannel
from stalwart.monitoring.runner import run_monitor
from stalwart.store import open_store


class _Receiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver():
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Receiver.received
    server.shutdown()
    server.server_close()


def _rows(rng: np.random.Generator, n: int, shift: float) -> list[tuple[dict, dict, int]]:
    x1 = rng.normal(shift, 1, n)
    x2 = rng.normal(0, 1, n)
    p = 1 / (1 + np.exp(-(x1 + x2)))
    y = (rng.random(n) < p).astype(int)
    return [({"x1": float(a), "x2": float(b)},
             {"prediction": int(q > 0.5), "proba": {"0": float(1 - q), "1": float(q)}}, int(t))
            for a, b, q, t in zip(x1, x2, p, y)]


def test_logged_traffic_is_monitored_and_alerted(sqlite_url, receiver, h):
    from stalwart.service import ServiceSettings, create_app
    rng = np.random.default_rng(0)
    hook_url, received = receiver
    app = create_app(ServiceSettings(store_url=sqlite_url), tokens=h.TOKENS)
    with h.LiveServer(app) as live:
        monitor = Monitor(HttpSink(live.url, token="tok-ingest-0123"), model="churn",
                          model_version="1", batch_size=200, flush_interval=0.05)
        # reference week (December), then six production days with a shift on day 5
        days = [("2025-12-0%d" % d, 0.0) for d in range(1, 8)]
        days += [(f"2026-01-0{d}", 2.0 if d >= 5 else 0.0) for d in range(1, 7)]
        for day, shift in days:
            for i, (features, outputs, label) in enumerate(_rows(rng, 300, shift)):
                stamp = f"{day}T{i // 60 % 24:02d}:{i % 60:02d}:00Z"
                event_id = monitor.log(features, outputs, timestamp=stamp,
                                       latency_ms=1.0 + i % 5)
                monitor.log_label(event_id, label)
        assert monitor.close(timeout=60)
        assert monitor.stats()["sent"] >= len(days) * 300

        store = open_store(sqlite_url)
        reference = store.events("churn", end="2026-01-01T00:00:00Z")
        assert len(reference) == 7 * 300 and reference["label"].notna().all()
        spec = MonitorSpec(name="churn-daily", model="churn", window="1D",
                           metrics=["data_drift", "performance", "latency"])
        store.save_monitor(spec.name, spec.model, spec.to_dict())
        run = run_monitor(store, spec, reference=reference,
                          rules=["drift_alarm >= 1"], channels=[WebhookChannel(hook_url)],
                          start="2026-01-01T00:00:00Z", end="2026-01-07T00:00:00Z")
        alarms = [w.metrics["drift_alarm"] for w in run.windows]
        assert len(run.windows) == 6 and alarms[:4] == [0, 0, 0, 0] and alarms[4] == 1
        assert all(w.metrics["latency_p50"] == 3.0 for w in run.windows)
        # one alert, still open, counted once per firing window; one notification sent
        alerts = httpx.get(f"{live.url}/api/v1/alerts", headers=h.READ).json()
        records = alerts if isinstance(alerts, list) else alerts["alerts"]
        assert len(records) == 1 and records[0]["status"] == "open"
        assert records[0]["rule"].startswith("drift_alarm")
        assert len(received) == 1 and received[0]["monitor"] == "churn-daily", run.deliveries
        windows = httpx.get(f"{live.url}/api/v1/monitors/churn-daily/windows",
                            headers=h.READ).json()
        rows = windows if isinstance(windows, list) else windows["windows"]
        assert len(rows) == 6
        # re-running the same days (from the same starting state) replaces the windows and
        # opens nothing new: the open alert with that fingerprint is counted again
        again = run_monitor(store, spec, reference=reference, rules=["drift_alarm >= 1"],
                            start="2026-01-01T00:00:00Z", end="2026-01-07T00:00:00Z")
        assert len(store.window_results("churn-daily")) == 6 and len(store.alerts()) == 1
        assert again.windows[4].metrics["drift_alarm"] == 1


def test_events_the_server_refuses_inside_a_batch_are_dead_lettered(sqlite_url, h, tmp_path):
    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url=sqlite_url), tokens=h.TOKENS)
    with h.LiveServer(app) as live:
        monitor = Monitor(HttpSink(live.url, token="tok-ingest-0123"), model="churn",
                          model_version="1", spill_path=tmp_path / "spill.jsonl")
        for i in range(20):
            # a probability of 1.5: the client forwards outputs as they are, the server's
            # event contract refuses it
            proba = {"0": -0.5, "1": 1.5} if i == 7 else {"0": 0.5, "1": 0.5}
            monitor.log({"x": float(i)}, {"prediction": i % 2, "proba": proba})
        assert monitor.close(timeout=30)
        stats = monitor.stats()
        assert stats["sent"] == 19 and stats["dead_lettered"] == 1, stats
        dead = (tmp_path / "spill.dead.jsonl").read_text().splitlines()
        assert len(dead) == 1 and "1.5" in dead[0] and "proba" in dead[0]
        stored = httpx.get(f"{live.url}/api/v1/events", params={"model": "churn"},
                           headers=h.READ).json()
        assert len(stored if isinstance(stored, list) else stored["events"]) == 19
