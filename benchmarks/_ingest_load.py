"""Drive a running stalwart server with concurrent client processes; the store baselines.

Each client process keeps one HTTP/1.1 connection (httpx, keep-alive) and POSTs batches of
``batch`` events to ``/api/v1/events`` back to back. The events are seeded and realistic (10
numeric and 2 categorical features, a prediction and two class probabilities); their JSON is
made once per client, and only the ``event_id`` (unique per run, client and batch) is
spliced into each batch, so the clients spend their CPU on HTTP, not on making data.
Batches finished in the warm-up are not counted; then every batch finished within the
measured ``duration`` counts, with its latency (request sent to answer read).
"""

from __future__ import annotations

import json
import random
import statistics
import time
from typing import Any

__all__ = ["baselines", "busy_cores", "client_main", "cpu_times", "make_events", "summarise",
           "templates"]

CATEGORIES = {"plan": ("basic", "pro", "team", "enterprise"), "region": ("eu", "us", "apac")}


def make_events(n: int, *, seed: int, id_prefix: str = "e") -> list[dict[str, Any]]:
    """``n`` seeded events in the shared contract (10 numeric, 2 categorical features)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        features: dict[str, Any] = {f"num_{j}": round(rng.gauss(j, 1 + j / 5), 6)
                                    for j in range(10)}
        for name, levels in CATEGORIES.items():
            features[name] = rng.choice(levels)
        p = rng.random()
        out.append({"event_id": f"{id_prefix}-{i}",
                    "timestamp": f"2026-11-23T12:00:00.{i % 1_000_000:06d}Z",
                    "model": "churn", "model_version": "3", "segment": rng.choice(["a", "b"]),
                    "features": features,
                    "outputs": {"prediction": int(p > 0.5), "proba": {"0": round(1 - p, 6),
                                                                       "1": round(p, 6)}},
                    "latency_ms": round(rng.uniform(0.5, 5.0), 3),
                    "metadata": {"batch_rows": 1000}})
    return out


_MARK, _STAMP = "@@ID@@", "@@TS@@"


def templates(n: int, *, seed: int) -> list[tuple[bytes, bytes, bytes]]:
    """Each event's JSON split around its ``event_id`` and ``timestamp`` values."""
    out = []
    for event in make_events(n, seed=seed):
        text = json.dumps(dict(event, event_id=_MARK, timestamp=_STAMP),
                          separators=(",", ":")).encode()
        head, rest = text.split(_MARK.encode())
        middle, tail = rest.split(_STAMP.encode())
        out.append((head, middle, tail))
    return out


def _body(parts: list[tuple[bytes, bytes, bytes]], prefix: str,
          when: float | None = None) -> bytes:
    """A batch: ids ``<prefix><i>``, timestamps ``when`` (default now) plus i microseconds,
    as a service logs them: in time order."""
    import datetime as dt
    pre = prefix.encode()
    second = dt.datetime.fromtimestamp(time.time() if when is None else when,
                                       dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.")
    return (b'{"events":[' + b",".join(h + pre + str(i).encode() + m + second.encode()
                                       + b"%06dZ" % (i % 1_000_000) + t
                                       for i, (h, m, t) in enumerate(parts)) + b"]}")


def client_main(url: str, token: str, *, client: int, run: str, batch: int, seed: int,
                start_at: float, warmup: float, duration: float, queue: Any,
                nodelay: bool = True) -> None:
    """One client process: POST batches until ``start_at + warmup + duration``."""
    import socket

    import httpx

    parts = templates(batch, seed=seed + client)
    # Nagle's algorithm would hold the body's last segment until the server ACKs the
    # previous ones (up to the 40 ms delayed ACK): a client that cares sets TCP_NODELAY
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY,
                                                     int(nodelay))])
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    done: list[tuple[float, float, int]] = []  # (finished at, latency s, accepted)
    errors: list[str] = []
    with httpx.Client(base_url=url, headers=headers, timeout=60.0,
                      transport=transport) as http:
        # connect one after another, as clients started at different moments do: clients
        # connecting in the same instant would all be accepted by the one server worker
        # that woke first (uvicorn's workers share one listening socket)
        time.sleep(max(0.0, start_at - 2.5 + 0.4 * client - time.time()))
        http.get("/healthz")
        while time.time() < start_at:
            time.sleep(0.005)
        end = start_at + warmup + duration
        cpu0 = time.process_time()
        k = 0
        while time.time() < end:
            body = _body(parts, f"{run}-c{client}-b{k}-")
            k += 1
            t0 = time.perf_counter()
            response = http.post("/api/v1/events", content=body)
            latency = time.perf_counter() - t0
            now = time.time()
            if response.status_code != 200:
                errors.append(f"HTTP {response.status_code}: {response.text[:200]}")
                continue
            answer = response.json()
            if answer["accepted"] != batch or answer["rejected"]:
                errors.append(f"accepted {answer['accepted']} of {batch}: "
                              f"{answer['rejected'][:1]}")
            done.append((now, latency, answer["accepted"]))
        cpu = time.process_time() - cpu0
    queue.put({"client": client, "batches": done, "errors": errors[:5],
               "error_count": len(errors), "cpu_s": cpu, "wall_s": warmup + duration})


def cpu_times() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from ``/proc/stat``."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [float(x) for x in handle.readline().split()[1:]]
    except OSError:
        return (float("nan"), float("nan"))
    tick = 100.0  # USER_HZ on Linux
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return ((sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick)


def busy_cores(before: tuple[float, float], after: tuple[float, float], seconds: float) -> float:
    """How many cores were busy on average between two :func:`cpu_times` readings."""
    return (after[0] - before[0]) / seconds


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def summarise(results: list[dict[str, Any]], *, start_at: float, warmup: float,
              duration: float) -> dict[str, Any]:
    """Sustained events/s and batch latency over the measured window."""
    lo, hi = start_at + warmup, start_at + warmup + duration
    counted = [(lat, n) for r in results for (t, lat, n) in r["batches"] if lo <= t <= hi]
    latencies = [lat * 1000 for lat, _ in counted]
    events = sum(n for _, n in counted)
    return {"events": events, "batches": len(counted), "events_per_s": events / duration,
            "p50_ms": _pct(latencies, 50), "p95_ms": _pct(latencies, 95),
            "p99_ms": _pct(latencies, 99), "max_ms": max(latencies, default=float("nan")),
            "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
            "errors": sum(r["error_count"] for r in results),
            "client_cpu_cores": sum(r["cpu_s"] / r["wall_s"] for r in results),
            "error_examples": [e for r in results for e in r["errors"]][:3]}


def baselines(store_url: str, *, batch: int, batches: int, seed: int) -> dict[str, Any]:
    """In one process, no HTTP: ``Store.ingest_events`` on the same batches, and the
    ceiling, a plain SQLAlchemy ``executemany`` of the already-validated rows."""
    import sqlalchemy as sa

    from stalwart.store import open_store
    from stalwart.store.dialect import insert_ignore
    from stalwart.store.events import normalize_event
    from stalwart.store.schema import Event

    out: dict[str, Any] = {}
    events = make_events(batch, seed=seed)
    with open_store(store_url) as store:
        store.ingest_events([dict(e, event_id=f"warm-{i}") for i, e in enumerate(events)])
        times = []
        for b in range(batches):
            part = [dict(e, event_id=f"store-{b}-{i}") for i, e in enumerate(events)]
            t0 = time.perf_counter()
            result = store.ingest_events(part)
            times.append(time.perf_counter() - t0)
            assert result.accepted == batch, result
        out["store_ingest_events"] = {"events_per_s": batch * batches / sum(times),
                                      "median_batch_ms": statistics.median(times) * 1000}
        engine = store.engine
        now = dt_now()
        rows = []
        for b in range(batches):
            rows.append([dict(normalize_event(dict(e, event_id=f"sa-{b}-{i}")), received_at=now)
                         for i, e in enumerate(events)])
        times = []
        for part in rows:
            t0 = time.perf_counter()
            with engine.begin() as conn:
                conn.execute(insert_ignore(conn, Event.__table__, ["event_id"]), part)
            times.append(time.perf_counter() - t0)
        with engine.connect() as conn:
            stored = conn.execute(sa.select(sa.func.count()).select_from(Event.__table__)
                                  .where(Event.__table__.c.event_id.like("sa-%"))).scalar()
        assert stored == batch * batches, stored
        out["sqlalchemy_executemany"] = {"events_per_s": batch * batches / sum(times),
                                         "median_batch_ms": statistics.median(times) * 1000}
    return out


def dt_now() -> Any:
    from stalwart.store.engine import utcnow
    return utcnow()
