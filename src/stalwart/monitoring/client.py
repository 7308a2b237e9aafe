"""``Monitor``: log predictions in-process, send them in the background, lose nothing.

``log`` only validates, builds a dict and appends it to a bounded in-memory queue, so
it never waits on the network. A background thread sends batches of ``batch_size``
(whatever is queued every ``flush_interval`` seconds, and every ``_POLL`` seconds while
traffic flows), retries failures with capped
exponential backoff and then writes the batch to a local spill file; the spill file is
re-sent (and only then removed) once the sink works again, also by the next Monitor
started with the same ``spill_path``. When the queue is full, events go straight to the
spill file instead of being dropped.

>>> from stalwart.monitoring.sinks import MemorySink
>>> sink = MemorySink()
>>> with Monitor(sink, model="churn", model_version="3", spill_path=None) as monitor:
...     event_id = monitor.log({"age": 41, "plan": "pro"}, {"prediction": 1})
...     monitor.log_label(event_id, 0)
>>> sink.events[event_id]["features"], sink.labels[event_id]["label"]
({'age': 41, 'plan': 'pro'}, 0)
>>> monitor.stats()["sent"]
2
"""

from __future__ import annotations

import atexit
import datetime as dt
import math
import os
import re
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..exceptions import DataError, ParameterError, StageError
from .sinks import RejectedBatchError, SpillFile

__all__ = ["Monitor"]

_MAX_BACKOFF = 5.0
#: while events keep arriving the thread looks at the queue this often; the caller never
#: wakes it below the high-water mark, because waking a thread costs the caller a futex
#: call and often a context switch (measured: ~17 us of a 1 ms predict) on every batch
_POLL = 0.01
_EXIT_TIMEOUT = 10.0
_SCALARS = (str, int, float, bool, type(None), np.integer, np.floating, np.bool_,
            dt.datetime, dt.date)


_PLAIN = frozenset({str, int, float, bool, type(None)})

#: bumped in a forked child: a Monitor made before the fork sees another value and refuses
#: to log (its thread stayed in the parent); comparing two ints costs the caller nothing,
#: where os.getpid() on every call cost about 1 us of a 0.4 ms predict
_FORKS = [0]


def _forked() -> None:
    _FORKS[0] += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


def _check_value(value: Any, where: str, depth: int = 0) -> None:
    if type(value) in _PLAIN or isinstance(value, _SCALARS):
        return
    if depth < 4 and isinstance(value, Mapping):
        for k, v in value.items():
            if type(v) not in _PLAIN:
                _check_value(v, f"{where}[{k!r}]", depth + 1)
        return
    if depth < 4 and isinstance(value, (list, tuple, np.ndarray)):
        for v in value:
            _check_value(v, where, depth + 1)
        return
    raise DataError(where, expected="a JSON-safe value (str, number, bool, None, datetime, "
                    "or lists/dicts of those)", got=f"{type(value).__name__} {value!r:.80}",
                    fix="convert the value (e.g. str(value)) before logging it")


def _check_mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise DataError(where, expected="a mapping of name to value",
                        got=type(value).__name__, fix=f"pass {where} as a dict")
    for k, v in value.items():
        if type(v) not in _PLAIN:
            _check_value(v, f"{where}[{k!r}]")
    return dict(value)


def _timestamp(value: Any) -> str:
    if value is None:
        return dt.datetime.now(dt.timezone.utc).isoformat()
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, str):
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise DataError("timestamp", expected="a datetime or an ISO-8601 string",
                    got=repr(value), fix="pass datetime.now(timezone.utc) or leave it out")


def default_spill_path(model: str, model_version: str) -> Path:
    """``<tmp>/stalwart-spill/<model>-<version>.jsonl``: stable across restarts."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{model}-{model_version}")
    return Path(tempfile.gettempdir()) / "stalwart-spill" / f"{safe}.jsonl"


class Monitor:
    """Log prediction events and labels to ``sink`` without blocking the caller.

    ``spill_path=None`` uses :func:`default_spill_path` (one file per model and version,
    so a restarted process re-sends what the previous one spilled). Two live Monitors
    must not share a spill path. ``stats()`` counts ``logged`` (events and labels
    accepted), ``sent`` (acknowledged from the queue), ``resent`` (acknowledged from the
    spill file), ``spilled``, ``dead_lettered`` and ``queued``.
    """

    def __init__(self, sink: Any, *, model: str, model_version: str, batch_size: int = 500,
                 flush_interval: float = 1.0, max_queue: int = 100_000,
                 spill_path: str | Path | None = None, retries: int = 5,
                 backoff: float = 0.1) -> None:
        for name in ("send_events", "send_labels"):
            if not callable(getattr(sink, name, None)):
                raise ParameterError("Monitor sink", expected="a sink with send_events and "
                                     "send_labels", got=type(sink).__name__,
                                     fix="pass HttpSink(...), StoreSink(store) or MemorySink()")
        _positive_int("batch_size", batch_size)
        _positive_int("max_queue", max_queue)
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ParameterError("retries", expected="an integer >= 0", got=repr(retries),
                                 fix="pass e.g. retries=5")
        for name, value in (("flush_interval", flush_interval), ("backoff", backoff)):
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or value <= 0):
                raise ParameterError(name, expected="a positive number of seconds",
                                     got=repr(value), fix=f"pass e.g. {name}=0.1")
        for name, value in (("model", model), ("model_version", model_version)):
            if not isinstance(value, str) or not value:
                raise ParameterError(name, expected="a non-empty string", got=repr(value),
                                     fix=f"pass {name}='...'")
        self.sink = sink
        self.model = model
        self.model_version = model_version
        self.batch_size = batch_size
        self.flush_interval = float(flush_interval)
        self.max_queue = max_queue
        self.retries = retries
        self.backoff = float(backoff)
        self.spill = SpillFile(spill_path if spill_path is not None
                               else default_spill_path(model, model_version))
        self._queue: deque[tuple[str, Any, int]] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._idle = threading.Event()  # set while the thread waits for work
        self._progress = threading.Condition(threading.Lock())
        self._counts = {"logged": 0, "sent": 0, "resent": 0, "spilled": 0,
                        "dead_lettered": 0}
        self._queued = 0
        self._wake_at = max(batch_size, max_queue // 2)
        self._accepted = 0
        self._done = 0
        self._sink_down = False
        self._next_probe = 0.0
        self._closing = False
        self._closed = False
        self._pid = os.getpid()
        self._fork = _FORKS[0]
        self._thread = threading.Thread(target=self._run, name=f"stalwart-monitor-{model}",
                                        daemon=True)
        self._thread.start()
        atexit.register(self._at_exit)

    # -- the caller's side -------------------------------------------------------------
    def log(self, features: Mapping[str, Any], outputs: Mapping[str, Any], *,
            event_id: str | None = None, timestamp: Any = None, segment: str | None = None,
            latency_ms: float | None = None,
            metadata: Mapping[str, Any] | None = None) -> str:
        """Queue one prediction event; return its id (a new uuid4 hex when not given)."""
        event = {
            "event_id": _event_id(event_id),
            "timestamp": _timestamp(timestamp),
            "model": self.model,
            "model_version": self.model_version,
            "segment": _segment(segment),
            "features": _check_mapping(features, "features"),
            "outputs": _check_mapping(outputs, "outputs"),
            "latency_ms": _latency(latency_ms),
            "metadata": {} if metadata is None else _check_mapping(metadata, "metadata"),
        }
        self._enqueue("event", event, 1)
        return event["event_id"]

    def log_label(self, event_id: str, label: Any, *, timestamp: Any = None) -> None:
        """Queue the true ``label`` of the event ``event_id`` (sent after earlier events)."""
        if not isinstance(event_id, str) or not event_id:
            raise DataError("label event_id", expected="the non-empty id returned by log()",
                            got=repr(event_id), fix="pass the event's id")
        _check_value(label, "label")
        self._enqueue("label", {"event_id": event_id, "label": label,
                                "timestamp": _timestamp(timestamp)}, 1)

    def _enqueue(self, kind: str, item: Any, rows: int) -> None:
        """Append to the queue, or to the spill file when the queue is full."""
        with self._lock:
            if self._closed:
                raise StageError("Monitor.log after close(): create a new Monitor")
            if self._fork != _FORKS[0]:
                raise StageError("Monitor used in a forked child process: its background "
                                 "thread lives in the parent; create one Monitor per process")
            self._counts["logged"] += rows
            self._accepted += rows
            if self._queued + rows <= self.max_queue:
                self._queue.append((kind, item, rows))
                self._queued += rows
                if self._queued >= self._wake_at:  # far behind: do not wait for the poll
                    self._wake.set()
                return
        records = item.expand() if kind == "batch" else [item]
        self.spill.append("event" if kind == "batch" else kind, records)
        self._finished("spilled", rows)

    # -- progress ------------------------------------------------------------------------
    def _finished(self, counter: str, rows: int) -> None:
        with self._progress:
            self._counts[counter] += rows
            self._done += rows
            self._progress.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything accepted so far is sent, spilled or dead-lettered.

        Returns False when ``timeout`` seconds passed first.
        """
        with self._lock:
            target = self._accepted
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._progress:
            while self._done < target:
                self._wake.set()
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._progress.wait(0.05 if left is None else min(left, 0.05))
        self.spill.sync()
        # let the thread finish the pass that sent the last rows before returning: the
        # caller's next call would otherwise share the interpreter with its last steps
        # (measured: ~10 us on the first call after a flush of a 0.4 ms predict)
        left = 5.0 if deadline is None else max(0.0, deadline - time.monotonic())
        if self._thread.is_alive():
            self._idle.wait(left)
        return True

    def close(self, timeout: float | None = None) -> bool:
        """Flush, stop the background thread and release the sink; idempotent."""
        with self._lock:
            if self._closed:
                return True
            self._closed = True
        done = self.flush(timeout)
        self._closing = True
        self._wake.set()
        self._thread.join(timeout)
        atexit.unregister(self._at_exit)
        if not done:  # the sink hangs: keep what is still queued on disk, not in memory
            for kind, records, rows in self._drain():
                self.spill.append(kind, records)
                self._finished("spilled", rows)
            self.spill.sync()
        if not self._thread.is_alive():
            self.spill.close()
            closer = getattr(self.sink, "close", None)
            if callable(closer):
                closer()
        return done

    def _at_exit(self) -> None:
        if self._pid == os.getpid():  # a forked child inherits the handler, not the thread
            self.close(timeout=_EXIT_TIMEOUT)

    def _drain(self) -> list[tuple[str, list[dict[str, Any]], int]]:
        with self._lock:
            items = list(self._queue)
            self._queue.clear()
            self._queued = 0
        return [("event", item.expand(), rows) if kind == "batch" else (kind, [item], rows)
                for kind, item, rows in items]

    def stats(self) -> dict[str, int]:
        """Counters: logged, sent, resent, spilled, dead_lettered, queued."""
        with self._progress:
            out = dict(self._counts)
        out["queued"] = self._queued
        return out

    def wrap(self, model: Any, **options: Any) -> Any:
        """A stand-in for ``model`` whose predictions are logged (see :mod:`.wrap`)."""
        from .wrap import MonitoredModel
        return MonitoredModel(model, self, **options)

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Monitor({self.sink!r}, model={self.model!r}, version={self.model_version!r})"

    # -- the background thread -----------------------------------------------------------
    def _take(self) -> list[tuple[str, Any, int]]:
        items: list[tuple[str, Any, int]] = []
        rows = 0
        with self._lock:
            while self._queue and rows < self.batch_size:
                item = self._queue.popleft()
                items.append(item)
                rows += item[2]
            self._queued -= rows
        return items

    def _run(self) -> None:
        first = True
        while True:  # a first pass at once: a spill file left by an earlier run is re-sent
            self._wake.clear()
            sent, drain, first = False, not first, False
            try:
                self._resend_spill()
                # the first pass only re-sends the spill file: the caller may be logging its
                # first events right now, and a batch must not leave half-full at start-up
                while drain:
                    items = self._take()
                    if not items:
                        break
                    sent = True
                    self._send_items(items)
                self.spill.sync()
            except Exception:  # noqa: BLE001 - the thread must survive anything
                time.sleep(min(self.flush_interval, 0.5))
            if self._closing and not self._queue:
                self._idle.set()
                return
            # traffic: look again soon (a full batch goes out within _POLL); idle: sleep
            self._idle.set()
            self._wake.wait(min(_POLL, self.flush_interval) if sent else self.flush_interval)
            self._idle.clear()

    def _send_items(self, items: list[tuple[str, Any, int]]) -> None:
        calls: list[tuple[Any, int]] = []
        events: list[dict[str, Any]] = []
        labels: list[dict[str, Any]] = []
        columnar = (callable(getattr(self.sink, "send_blocks", None))
                    and getattr(self.sink, "columnar", True))
        for kind, item, rows in items:
            if kind == "batch" and columnar:
                calls.append((item, rows))
            elif kind == "batch":
                events.extend(item.expand())
            elif kind == "event":
                events.append(item)
            else:
                labels.append(item)
        chunk: list[tuple[Any, int]] = []
        for call in calls:  # whole calls, about batch_size rows per request
            if chunk and sum(n for _, n in chunk) + call[1] > self.batch_size:
                self._send_blocks(chunk)
                chunk = []
            chunk.append(call)
        if chunk:
            self._send_blocks(chunk)
        self._send_records("event", events)
        self._send_records("label", labels)

    def _send_records(self, kind: str, records: list[dict[str, Any]]) -> None:
        for start in range(0, len(records), self.batch_size):
            chunk = records[start:start + self.batch_size]
            for outcome, part, message in self._deliver(kind, chunk, probe=False):
                if outcome == "sent":
                    self._finished("sent", len(part))
                elif outcome == "spill":
                    self.spill.append(kind, part)
                    self._finished("spilled", len(part))
                else:
                    self.spill.dead_letter(kind, part, message)
                    self._finished("dead_lettered", len(part))

    def _send_blocks(self, calls: list[tuple[Any, int]]) -> None:
        """Send wrapped calls as column blocks; expand them into events only to spill, to
        dead-letter refused rows, or to split a refused request as the per-event path does."""
        rows = sum(n for _, n in calls)
        outcome, _, refused = self._attempt("block", [c.block() for c, _ in calls],
                                            probe=False)
        if outcome == "sent" and not refused:
            self._finished("sent", rows)
            return
        events = [e for c, _ in calls for e in c.expand()]
        if outcome == "sent":  # acknowledged, some rows refused: dead-letter exactly those
            bad = {i: reason for i, reason in refused if 0 <= i < len(events)}
            self._finished("sent", rows - len(bad))
            for i, reason in sorted(bad.items()):
                self.spill.dead_letter("event", [events[i]], reason)
                self._finished("dead_lettered", 1)
        elif outcome == "spill":
            self.spill.append("event", events)
            self._finished("spilled", rows)
        else:  # the whole request refused (too large, an older server): event by event
            self._send_records("event", events)

    def _deliver(self, kind: str, records: list[dict[str, Any]], *,
                 probe: bool) -> list[tuple[str, list[dict[str, Any]], str]]:
        """Send ``records``; a rejected batch is halved until the rejected records are alone.

        Returns (outcome, records, message) parts, outcome 'sent', 'spill' or 'dead'; so one
        malformed event (or a batch over the server's size limit) does not take its
        neighbours to the dead-letter file.
        """
        outcome, message, refused = self._attempt(kind, records, probe=probe)
        if outcome == "sent" and refused:
            # acknowledged, but some records were refused inside the batch: dead-letter
            # exactly those, with the sink's reason
            bad = dict(refused)
            return ([("sent", [r for i, r in enumerate(records) if i not in bad], "")]
                    + [("dead", [records[i]], reason) for i, reason in sorted(bad.items())
                       if 0 <= i < len(records)])
        if outcome == "dead" and len(records) > 1:
            mid = len(records) // 2
            return (self._deliver(kind, records[:mid], probe=probe)
                    + self._deliver(kind, records[mid:], probe=probe))
        return [(outcome, records, message)]

    def _attempt(self, kind: str, records: list[dict[str, Any]], *,
                 probe: bool) -> tuple[str, str, list[tuple[int, str]]]:
        """One batch with retries (a probe of the spill re-send tries once)."""
        if self._sink_down and not probe:
            return "spill", "", []  # the spill re-send probes the sink; stay behind it
        send = (self.sink.send_blocks if kind == "block" else
                self.sink.send_events if kind == "event" else self.sink.send_labels)
        retries = 0 if probe else self.retries
        for attempt in range(retries + 1):
            try:
                refused = send(records)
                return "sent", "", list(refused or [])
            except RejectedBatchError as exc:
                return "dead", str(exc), []
            except Exception:  # noqa: BLE001 - transient, or an unknown sink failure
                pass
            if attempt < retries and not self._closing:
                time.sleep(min(self.backoff * 2 ** attempt, _MAX_BACKOFF))
        self._sink_down = True
        self._next_probe = time.monotonic() + min(self.backoff * 2 ** self.retries,
                                                  _MAX_BACKOFF)
        return "spill", "", []

    def _resend_spill(self) -> None:
        """Re-send the spill file when it has lines and the sink is not known to be down."""
        if self._sink_down and time.monotonic() < self._next_probe:
            return
        if not self.spill.pending():
            self._sink_down = False
            return
        records = self.spill.take()
        ordered = ([(k, r) for k, r in records if k == "event"]
                   + [(k, r) for k, r in records if k != "event"])
        done = 0
        while done < len(ordered):
            kind = ordered[done][0]
            chunk = [r for k, r in ordered[done:done + self.batch_size] if k == kind]
            left: list[tuple[str, dict[str, Any]]] = []
            for outcome, part, message in self._deliver(kind, chunk, probe=True):
                if outcome == "sent":
                    self._count("resent", len(part))
                elif outcome == "dead":
                    self.spill.dead_letter(kind, part, message)
                    self._count("dead_lettered", len(part))
                else:
                    left += [(kind, r) for r in part]
            done += len(chunk)
            if left:  # still down: keep what is not acknowledged, probe again later
                self.spill.finish(left + ordered[done:])
                return
        self.spill.finish([])
        self._sink_down = False

    def _count(self, counter: str, rows: int) -> None:
        with self._progress:
            self._counts[counter] += rows


def _positive_int(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ParameterError(name, expected="an integer >= 1", got=repr(value),
                             fix=f"pass e.g. {name}=500")


def _event_id(value: Any) -> str:
    if value is None:
        return uuid.uuid4().hex
    if isinstance(value, str) and value:
        return value
    raise DataError("event_id", expected="a non-empty string (the idempotency key)",
                    got=repr(value), fix="pass event_id=str(...) or leave it out")


def _segment(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise DataError("segment", expected="a string or None", got=repr(value),
                    fix="pass segment=str(customer_id)")


def _latency(value: Any) -> float | None:
    if value is None:
        return None
    if (isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
            and math.isfinite(value) and value >= 0):
        return float(value)
    raise DataError("latency_ms", expected="a finite number >= 0 or None", got=repr(value),
                    fix="pass the prediction's latency in milliseconds")
