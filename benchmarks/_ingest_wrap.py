"""The overhead ``monitor.wrap(model)`` adds to a scikit-learn model's ``predict``.

Three fitted models (random forest, gradient boosting, logistic regression) on a seeded
table of 10 numeric and 2 one-hot-encoded categorical columns (as a DataFrame, the way a
service calls them), called on 1, 100 and 1000 rows. The wrapped model logs through a real
:class:`~stalwart.monitoring.Monitor` (its background thread, queue and batching) into a
sink that encodes every batch to the bytes :class:`~stalwart.monitoring.sinks.HttpSink`
would POST (one column block per call, in a binary frame to ``/api/v1/events/frames``) and
then drops them:
the client's whole cost, without the server's (which expands the blocks into events).

Two numbers per case:

- *per call*: the median time of one ``predict`` with and without the wrapper, the two
  interleaved call by call, the monitor flushed (untimed) before each, so the time is what
  the caller's thread itself spends;
- *with background work*: the time of a block of calls plus ``monitor.flush()`` (every
  call's column block encoded), blocks of wrapped and bare calls alternating; with one interpreter
  lock the background thread's work competes with the caller, so this is the honest
  throughput cost;
- *with HTTP*: the same blocks with the real :class:`HttpSink` posting every frame over a
  keep-alive loopback connection to a server in another process that reads the body and
  answers as the stalwart server does, without storing anything: the client's whole cost,
  HTTP included (the server's ingest is measured on its own in the throughput part).
"""

from __future__ import annotations

import contextlib
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["EncodingSink", "discard_server", "measure_wrap"]

SIZES = (1, 100, 1000)


class EncodingSink:
    """A sink that encodes each batch as :class:`HttpSink` does (column blocks as one binary
    frame, events and labels as JSON), counts it and drops it."""

    def __init__(self) -> None:
        from stalwart.monitoring.sinks import encode
        self._encode = encode
        self.events = 0
        self.bytes = 0

    def send_events(self, events: list[dict[str, Any]]) -> None:
        self.bytes += len(self._encode({"events": events}))
        self.events += len(events)

    def send_blocks(self, blocks: list[dict[str, Any]]) -> None:
        from stalwart.store.columnar import block_rows
        from stalwart.store.frames import encode_frame
        self.bytes += len(encode_frame(blocks))
        self.events += sum(block_rows(b) for b in blocks)

    def send_labels(self, labels: list[dict[str, Any]]) -> None:
        self.bytes += len(self._encode({"labels": labels}))

    def close(self) -> None:
        return None


_DISCARD = r"""
import json, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the stalwart server
    disable_nagle_algorithm = True  # as uvicorn: no 40 ms delayed-ACK stall per answer

    def do_POST(self):
        size = int(self.headers.get("Content-Length", 0))
        self.rfile.read(size)
        body = json.dumps({"accepted": 0, "duplicates": 0, "replaced": [],
                           "rejected": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


@contextlib.contextmanager
def discard_server():
    """The URL of an HTTP server in another process that reads each POST and answers 200."""
    proc = subprocess.Popen([sys.executable, "-c", _DISCARD], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def _table(rows: int, seed: int) -> tuple[Any, np.ndarray]:
    import pandas as pd
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({f"num_{i}": rng.normal(i, 1 + i / 5, rows) for i in range(10)})
    plan = rng.choice(["basic", "pro", "team"], rows)
    region = rng.choice(["eu", "us"], rows)
    for name, values, levels in (("plan", plan, ("basic", "pro", "team")),
                                 ("region", region, ("eu", "us"))):
        for level in levels:
            X[f"{name}_{level}"] = (values == level).astype(float)
    score = X["num_0"] - 0.5 * X["num_3"] + X["plan_pro"] + rng.normal(0, 1, rows)
    return X, (score > score.median()).astype(int).to_numpy()


def _models(seed: int) -> dict[str, Any]:
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    X, y = _table(5000, seed)
    return {"random_forest": RandomForestClassifier(n_estimators=100, max_depth=12,
                                                    random_state=seed).fit(X, y),
            "gradient_boosting": GradientBoostingClassifier(random_state=seed).fit(X, y),
            "logistic_regression": LogisticRegression(max_iter=1000).fit(X, y)}


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000.0


def _per_call(bare: Callable[[Any], Any], wrapped: Callable[[Any], Any], X: Any,
              monitor: Any, repeats: int) -> tuple[float, float]:
    b: list[float] = []
    w: list[float] = []
    for i in range(repeats):
        for fn, out in ((bare, b), (wrapped, w)) if i % 2 == 0 else ((wrapped, w), (bare, b)):
            monitor.flush()  # untimed: the previous call's events do not land on this one
            t0 = time.perf_counter()
            fn(X)
            out.append(time.perf_counter() - t0)
    return _median_ms(b), _median_ms(w)


def _steady(bare: Callable[[Any], Any], wrapped: Callable[[Any], Any], X: Any,
            monitor: Any, repeats: int) -> tuple[float, float]:
    """Bare and wrapped interleaved call by call with no flush between them: the sending
    thread works when its poll comes round, as in a service (a flush, untimed, every 50 pairs
    keeps the queue short; the call right after it is not counted)."""
    b: list[float] = []
    w: list[float] = []
    for i in range(repeats):
        fresh = i % 50 == 0
        if fresh:
            monitor.flush()
        for fn, out in ((bare, b), (wrapped, w)) if i % 2 == 0 else ((wrapped, w), (bare, b)):
            t0 = time.perf_counter()
            fn(X)
            if not fresh:
                out.append(time.perf_counter() - t0)
    return _median_ms(b), _median_ms(w)


def _blocks(bare: Callable[[Any], Any], wrapped: Callable[[Any], Any], X: Any, monitor: Any,
            calls: int, blocks: int) -> tuple[float, float]:
    b: list[float] = []
    w: list[float] = []
    for i in range(blocks):
        order = ((bare, b), (wrapped, w)) if i % 2 == 0 else ((wrapped, w), (bare, b))
        for fn, out in order:
            monitor.flush()
            t0 = time.perf_counter()
            for _ in range(calls):
                fn(X)
            if fn is wrapped:
                monitor.flush()
            out.append((time.perf_counter() - t0) / calls)
    return _median_ms(b), _median_ms(w)


def measure_wrap(*, seed: int = 0, budget_s: float = 4.0, say: Callable[[str], None] = print,
                 models: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """One row per (model, rows per call): medians in ms and the overhead ratios."""
    fitted = _models(seed)
    X_all, _ = _table(1000, seed + 1)
    out = []
    with discard_server() as url:
        _measure_all(fitted, X_all, models, budget_s, say, url, out)
    return out


def _with_http(model: Any, X: Any, name: str, url: str, calls: int,
               blocks: int) -> tuple[float, float]:
    """Blocks of calls (bare and wrapped alternating) with the real HttpSink posting frames."""
    from stalwart.monitoring import HttpSink, Monitor
    monitor = Monitor(HttpSink(url, token="bench"), model=name, model_version="1",
                      spill_path=None, batch_size=1000, flush_interval=0.05)
    wrapped = monitor.wrap(model)
    try:
        wrapped.predict(X)  # the connection is opened before timing
        monitor.flush()
        result = _blocks(model.predict, wrapped.predict, X, monitor, calls, blocks)
        stats = monitor.stats()
        if stats["spilled"] or stats["dead_lettered"]:
            raise RuntimeError(f"the HTTP sink did not acknowledge every batch: {stats}")
        return result
    finally:
        monitor.close()


def _measure_all(fitted: dict[str, Any], X_all: Any, models: tuple[str, ...] | None,
                 budget_s: float, say: Callable[[str], None], url: str,
                 out: list[dict[str, Any]]) -> None:
    from stalwart.monitoring import Monitor

    for name, model in fitted.items():
        if models is not None and name not in models:
            continue
        for rows in SIZES:
            X = X_all.iloc[:rows]
            sink = EncodingSink()
            monitor = Monitor(sink, model=name, model_version="1", spill_path=None,
                              batch_size=1000, flush_interval=0.05)
            wrapped = monitor.wrap(model)
            try:
                t0 = time.perf_counter()
                for _ in range(3):  # warm-up, and a first estimate of one call
                    model.predict(X)
                    wrapped.predict(X)
                one = (time.perf_counter() - t0) / 6
                repeats = int(min(2000, max(30, budget_s / 2 / one)))
                calls = int(min(200, max(5, 0.05 / one)))
                blocks = int(min(40, max(6, budget_s / 2 / (2 * calls * one))))
                gc.collect()
                bare_ms, wrapped_ms = _per_call(model.predict, wrapped.predict, X, monitor,
                                                repeats)
                steady_bare, steady_wrapped = _steady(model.predict, wrapped.predict, X,
                                                      monitor, repeats)
                bare_blk, wrapped_blk = _blocks(model.predict, wrapped.predict, X, monitor,
                                                calls, blocks)
                monitor.flush()
            finally:
                monitor.close()
            http_bare, http_wrapped = _with_http(model, X, name, url, calls, blocks)
            row = {"model": name, "rows": rows, "repeats": repeats,
                   "bare_ms": bare_ms, "wrapped_ms": wrapped_ms,
                   "overhead": wrapped_ms / bare_ms - 1.0,
                   "steady_bare_ms": steady_bare, "steady_wrapped_ms": steady_wrapped,
                   "overhead_steady": steady_wrapped / steady_bare - 1.0,
                   "block_calls": calls, "blocks": blocks,
                   "bare_block_ms": bare_blk, "wrapped_block_ms": wrapped_blk,
                   "overhead_with_background": wrapped_blk / bare_blk - 1.0,
                   "http_bare_block_ms": http_bare, "http_wrapped_block_ms": http_wrapped,
                   "overhead_with_http": http_wrapped / http_bare - 1.0,
                   "events_logged": sink.events, "bytes_encoded": sink.bytes}
            say(f"wrap {name} {rows} rows: bare {bare_ms:.3f} ms, wrapped {wrapped_ms:.3f} ms "
                f"({row['overhead']:+.1%}); with background {bare_blk:.3f} -> "
                f"{wrapped_blk:.3f} ms ({row['overhead_with_background']:+.1%}); with HTTP "
                f"{row['overhead_with_http']:+.1%}")
            out.append(row)


if __name__ == "__main__":
    measure_wrap(budget_s=2.0)
