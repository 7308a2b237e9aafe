"""Drive a running stalwart server with concurrent client processes; the store baselines.

Each client process keeps one HTTP/1.1 connection (httpx, keep-alive) and POSTs batches of
``batch`` events to ``/api/v1/events``. The events are seeded and realistic (10 numeric and
2 categorical features, a prediction and two class probabilities); their JSON is made once per
client, and only the ``event_id`` (unique per run, client and batch) and timestamp are spliced
into each batch, so the clients spend their CPU on HTTP, not on making data. Two ways to load:

- *closed loop* (``rate=None``): batches back to back, each sent when the previous answer
  arrived; the rate is the server's saturation throughput and a batch's latency is request
  sent to answer read (the queueing the clients cause is in it, the backlog they would have
  built is not).
- *open loop* (``rate`` events/s for this client, as wrk2 does): batch ``k`` is *scheduled*
  at ``start_at + phase + k * batch / rate`` whatever happened to the previous ones, and its
  latency is measured from that scheduled time to its answer, so a slow answer also charges
  the batches it held up (no coordinated omission). A client that falls behind sends the next
  batch at once; it stops sending ``grace`` seconds after the window if still behind, and
  the batches never sent are counted.

Warm-up batches are not counted; a closed-loop batch counts when its answer arrived in the
measured window, an open-loop batch when it was scheduled in the window (its latency; its
events count towards the achieved rate if answered at most ``LATE_S`` after the window).
"""

from __future__ import annotations

import json
import random
import statistics
import time
from typing import Any

__all__ = ["baselines", "busy_cores", "client_main", "cpu_times", "make_events", "schedule",
           "summarise", "templates"]

#: open loop: how long after the window an answer still counts towards the achieved rate
LATE_S = 1.0

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


def schedule(*, start_at: float, end: float, batch: int, rate: float, client: int,
             clients: int) -> list[float]:
    """Open-loop send times of one client in ``[start_at, end)``: every ``batch / rate``
    seconds, the clients' phases spread evenly over one interval (so ``clients`` clients at
    ``rate`` each offer ``clients * rate`` events/s as a steady stream, not in bursts).

    >>> schedule(start_at=0.0, end=1.0, batch=100, rate=400.0, client=1, clients=2)
    [0.125, 0.375, 0.625, 0.875]
    """
    interval = batch / rate
    first = start_at + interval * client / clients
    count = max(0, int((end - first) / interval + 1 - 1e-9))
    return [first + k * interval for k in range(count)]


def client_main(url: str, token: str, *, client: int, run: str, batch: int, seed: int,
                start_at: float, warmup: float, duration: float, queue: Any,
                nodelay: bool = True, rate: float | None = None, clients: int = 1,
                grace: float = 10.0) -> None:
    """One client process: closed loop (``rate=None``), POST batches back to back until
    ``start_at + warmup + duration``; open loop, POST batches at ``rate`` events/s on
    :func:`schedule` and time each from its scheduled send time."""
    import socket

    import httpx

    parts = templates(batch, seed=seed + client)
    # Nagle's algorithm would hold the body's last segment until the server ACKs the
    # previous ones (up to the 40 ms delayed ACK): a client that cares sets TCP_NODELAY
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY,
                                                     int(nodelay))])
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # (finished at, latency s, accepted, scheduled at: None in a closed loop)
    done: list[tuple[float, float, int, float | None]] = []
    errors: list[str] = []
    end = start_at + warmup + duration
    plan = (None if rate is None else
            schedule(start_at=start_at, end=end, batch=batch, rate=rate, client=client,
                     clients=clients))
    unsent = 0
    with httpx.Client(base_url=url, headers=headers, timeout=60.0,
                      transport=transport) as http:
        # connect one after another, as clients started at different moments do: clients
        # connecting in the same instant would all be accepted by the one server worker
        # that woke first (uvicorn's workers share one listening socket)
        time.sleep(max(0.0, start_at - 2.5 + 0.4 * client - time.time()))
        http.get("/healthz")
        while time.time() < start_at:
            time.sleep(0.005)
        cpu0 = time.process_time()
        k = 0
        while (time.time() < end) if plan is None else (k < len(plan)):
            due = None
            if plan is not None:
                due = plan[k]
                if time.time() > end + grace:  # hopelessly behind: stop, count the rest
                    unsent = len(plan) - k
                    break
                wait = due - time.time()
                if wait > 0:
                    time.sleep(wait)
            body = _body(parts, f"{run}-c{client}-b{k}-")
            k += 1
            t0 = time.perf_counter()
            response = http.post("/api/v1/events", content=body)
            latency = time.perf_counter() - t0
            now = time.time()
            if due is not None:  # from the scheduled send, not the actual one
                latency = now - due
            if response.status_code != 200:
                errors.append(f"HTTP {response.status_code}: {response.text[:200]}")
                continue
            answer = response.json()
            if answer["accepted"] != batch or answer["rejected"]:
                errors.append(f"accepted {answer['accepted']} of {batch}: "
                              f"{answer['rejected'][:1]}")
            done.append((now, latency, answer["accepted"], due))
        cpu = time.process_time() - cpu0
        wall = time.time() - start_at
    queue.put({"client": client, "batches": done, "errors": errors[:5],
               "error_count": len(errors), "cpu_s": cpu, "wall_s": wall, "unsent": unsent,
               "planned": 0 if plan is None else len(plan)})


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
              duration: float, rate: float | None = None) -> dict[str, Any]:
    """Achieved events/s and batch latency over the measured window. Closed loop: the
    batches answered in the window. Open loop: the batches scheduled in it (latency from
    the scheduled send), their events counted if acknowledged within ``LATE_S`` of its end."""
    lo, hi = start_at + warmup, start_at + warmup + duration
    batches = [b for r in results for b in r["batches"]]
    if rate is None:
        events = sum(n for (t, _lat, n, _due) in batches if lo <= t <= hi)
        timed = [lat for (t, lat, _n, _due) in batches if lo <= t <= hi]
    else:
        # the events offered in the window and acknowledged at most LATE_S after it: counting
        # the answers that arrived in the window instead would wobble by a batch at each edge
        # (0.25% at 20,000 events/s), and a server that falls behind loses the rest
        events = sum(n for (t, _lat, n, due) in batches if lo <= due < hi and t <= hi + LATE_S)
        timed = [lat for (_t, lat, _n, due) in batches if lo <= due < hi]
    latencies = [lat * 1000 for lat in timed]
    out = {"events": events, "batches": len(timed), "events_per_s": events / duration,
           "p50_ms": _pct(latencies, 50), "p95_ms": _pct(latencies, 95),
           "p99_ms": _pct(latencies, 99), "max_ms": max(latencies, default=float("nan")),
           "mean_ms": statistics.fmean(latencies) if latencies else float("nan"),
           "errors": sum(r["error_count"] for r in results),
           "client_cpu_cores": sum(r["cpu_s"] / r["wall_s"] for r in results),
           "error_examples": [e for r in results for e in r["errors"]][:3]}
    if rate is not None:
        out.update(offered_events_per_s=rate, unsent=sum(r["unsent"] for r in results),
                   planned=sum(r["planned"] for r in results))
    return out


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
