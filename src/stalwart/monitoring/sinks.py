"""Where a :class:`~stalwart.monitoring.client.Monitor` sends its batches.

A sink has two methods, ``send_events(events)`` and ``send_labels(labels)``, and may have
a third, ``send_blocks(blocks)``, taking column blocks (one per wrapped ``predict`` call,
see :mod:`stalwart.store.columnar`); returning normally means the batch is
*acknowledged*. A sink signals failure by raising :class:`TransientSinkError` (retried
with backoff, then spilled to the local file) or :class:`RejectedBatchError` (never
retried: written to the dead-letter file with the message). ``close()`` releases connections.

- :class:`HttpSink`: POSTs to a stalwart server's ``/api/v1/events``,
  ``/api/v1/events/columnar`` and ``/api/v1/labels``.
- :class:`StoreSink`: writes straight into a store (``ingest_events`` / ``add_labels``;
  blocks are expanded locally by :func:`~stalwart.store.columnar.expand_blocks`).
- :class:`MemorySink`: keeps everything in memory (tests, notebooks).

>>> sink = MemorySink()
>>> sink.send_events([{"event_id": "a", "features": {"x": 1}}])
>>> sink.send_labels([{"event_id": "a", "label": 1}])
>>> sorted(sink.events), sink.labels["a"]["label"]
(['a'], 1)
"""

from __future__ import annotations

import http.client
import json
import os
import ssl
import threading
import urllib.parse
from pathlib import Path
from typing import Any, Protocol

from .._json import dumps as encode
from ..exceptions import InputError, ParameterError, StalwartError

__all__ = [
    "HttpSink",
    "MemorySink",
    "RejectedBatchError",
    "Sink",
    "SpillFile",
    "StoreSink",
    "TransientSinkError",
]


class TransientSinkError(StalwartError):
    """The sink could not take the batch now (down, overloaded, timed out): retry later."""


class RejectedBatchError(StalwartError):
    """The sink refused the batch for good (bad request): do not retry; dead-letter it."""


#: what a sink answers for an acknowledged batch: the records it refused inside it, as
#: ``(index in the batch, reason)`` (the client dead-letters exactly those)
Refusals = list[tuple[int, str]]


class Sink(Protocol):
    def send_events(self, events: list[dict[str, Any]]) -> Refusals | None: ...

    def send_labels(self, labels: list[dict[str, Any]]) -> Refusals | None: ...

    # optional: def send_blocks(self, blocks: list[dict[str, Any]]) -> Refusals | None
    # (refusals indexed by row across the blocks, in order)

    def close(self) -> None: ...


_RETRYABLE_4XX = frozenset({408, 429})


def _refusals(body: Any) -> Refusals:
    """The records a 2xx answer refused (``{"rejected": [{"index", "reason"}]}``)."""
    rejected = body.get("rejected", []) if isinstance(body, dict) else []
    return [(int(r["index"]), str(r.get("reason", ""))) for r in rejected
            if isinstance(r, dict) and isinstance(r.get("index"), int)]


def _block_refusals(blocks: list[dict[str, Any]], rejected: Any) -> Refusals:
    """``(block, row or None, reason)`` refusals as row indexes across ``blocks`` (a block
    refused whole refuses each of its rows)."""
    from ..store.columnar import block_rows
    offsets, total = [], 0
    for block in blocks:
        offsets.append(total)
        try:
            total += block_rows(block)
        except (AttributeError, TypeError):
            pass
    out: Refusals = []
    for b, row, reason in rejected:
        if not 0 <= b < len(blocks):
            continue
        end = offsets[b + 1] if b + 1 < len(offsets) else total
        rows = range(offsets[b], end) if row is None else [offsets[b] + row]
        out += [(i, reason) for i in rows]
    return out


class HttpSink:
    """POST batches to a stalwart server with a bearer token.

    2xx acknowledges; 4xx other than 408/429 rejects (dead letter, with the server's
    message); 5xx, 408, 429, timeouts and connection errors are transient. Column blocks go
    to ``/api/v1/events/frames`` as one binary frame; a server without that route
    (404/405/415) gets them as JSON at ``/api/v1/events/columnar`` (``frames`` turned off),
    and one without either gets events one by one (``columnar`` turned off).

    Sent with the standard library's ``http.client`` over one keep-alive connection: it
    needs no extra, and it costs the monitor's thread about a third of the interpreter time
    httpx does per request (measured: 0.2 ms vs 0.6 ms for a 150 kB frame), time taken
    from the model the monitor watches.
    """

    def __init__(self, base_url: str, *, token: str, timeout: float = 5.0) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ParameterError("HttpSink base_url", expected="an http(s):// URL",
                                 got=repr(base_url), fix="pass e.g. 'http://127.0.0.1:8000'")
        if not token:
            raise ParameterError("HttpSink token", expected="a non-empty token with the "
                                 "ingest scope", got=repr(token),
                                 fix="create a token on the server and pass token=...")
        if (isinstance(timeout, bool) or not isinstance(timeout, (int, float))
                or not timeout > 0):
            raise ParameterError("HttpSink timeout", expected="a positive number of seconds",
                                 got=repr(timeout), fix="pass e.g. timeout=5")
        parts = urllib.parse.urlsplit(base_url.rstrip("/"))
        if not parts.hostname:
            raise ParameterError("HttpSink base_url", expected="an http(s):// URL with a host",
                                 got=repr(base_url), fix="pass e.g. 'http://127.0.0.1:8000'")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = float(timeout)
        self._parts = parts
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self.columnar = True
        self.frames = True

    def _connect(self) -> http.client.HTTPConnection:
        parts = self._parts
        if parts.scheme == "https":
            return http.client.HTTPSConnection(parts.hostname, parts.port,
                                               timeout=self.timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)

    def _exchange(self, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        """One request on the kept-alive connection; a connection the server closed while
        idle is opened again and the request sent once more (safe: ingest is idempotent by
        event id, so a request the server did see is counted as duplicates)."""
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": content_type}
        with self._lock:
            for attempt in (0, 1):
                fresh = self._conn is None
                if fresh:
                    self._conn = self._connect()
                try:
                    self._conn.request("POST", self._parts.path + path, body=body,
                                       headers=headers)
                    response = self._conn.getresponse()
                    data = response.read()
                    if response.will_close:
                        self._drop()
                    return response.status, data
                except (http.client.RemoteDisconnected, BrokenPipeError,
                        ConnectionResetError) as exc:
                    self._drop()
                    if fresh or attempt:
                        raise TransientSinkError(f"POST {path}: {type(exc).__name__}: "
                                                 f"{exc}") from exc
                except (OSError, http.client.HTTPException) as exc:  # refused, timeout, ...
                    self._drop()
                    raise TransientSinkError(f"POST {path}: {type(exc).__name__}: "
                                             f"{exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _post(self, path: str, payload: Any, *, content_type: str = "application/json",
              optional: bool = False) -> Any:
        """POST ``payload`` (JSON-encoded unless it is bytes); the 2xx answer's JSON, or
        None when ``optional`` and the server has no such route (404, 405 or 415)."""
        body = payload if isinstance(payload, bytes) else encode(payload)
        status, data = self._exchange(path, body, content_type)
        if 200 <= status < 300:
            try:
                return json.loads(data) if data else {}
            except ValueError:
                return {}
        if optional and status in (404, 405, 415):
            return None
        message = f"POST {path}: HTTP {status}: {data[:2000].decode(errors='replace')}"
        if 400 <= status < 500 and status not in _RETRYABLE_4XX:
            raise RejectedBatchError(message)
        raise TransientSinkError(message)

    def send_events(self, events: list[dict[str, Any]]) -> Refusals:
        return _refusals(self._post("/api/v1/events", {"events": events}))

    def send_blocks(self, blocks: list[dict[str, Any]]) -> Refusals:
        """POST the blocks as one binary frame (numeric columns as raw arrays, see
        :mod:`stalwart.store.frames`), as JSON to an older server without the frames route,
        and as events one by one (``columnar`` turned off) to one without either."""
        answer = None
        if self.frames:
            from ..store.frames import FRAME_MEDIA_TYPE, encode_frame
            answer = self._post("/api/v1/events/frames", encode_frame(blocks),
                                content_type=FRAME_MEDIA_TYPE, optional=True)
            self.frames = answer is not None
        if answer is None:
            answer = self._post("/api/v1/events/columnar", {"blocks": blocks}, optional=True)
        if answer is None:
            self.columnar = False  # the monitor sends these and later calls event by event
            raise RejectedBatchError("the server has no column-block routes (an older "
                                     "server): sent as events")
        rejected = answer.get("rejected", []) if isinstance(answer, dict) else []
        return _block_refusals(blocks, [
            (r["index"], r.get("row") if isinstance(r.get("row"), int) else None,
             str(r.get("reason", ""))) for r in rejected
            if isinstance(r, dict) and isinstance(r.get("index"), int)])

    def send_labels(self, labels: list[dict[str, Any]]) -> Refusals:
        return _refusals(self._post("/api/v1/labels", {"labels": labels}))

    def close(self) -> None:
        with self._lock:
            self._drop()

    def __repr__(self) -> str:
        return f"HttpSink({self.base_url!r})"


class StoreSink:
    """Write batches into a store: anything with ``ingest_events`` and ``add_labels``.

    An :class:`~stalwart.exceptions.InputError` from the store rejects the batch (dead
    letter); any other exception (database down, lock timeout) is transient.
    """

    def __init__(self, store: Any) -> None:
        for method in ("ingest_events", "add_labels"):
            if not callable(getattr(store, method, None)):
                raise ParameterError("StoreSink store", expected="an object with "
                                     "ingest_events(events) and add_labels(labels)",
                                     got=type(store).__name__,
                                     fix="pass a stalwart.store Store")
        self.store = store

    def _call(self, method: str, records: list[dict[str, Any]], call: Any = None) -> Any:
        try:
            if call is not None:
                return call(self.store, records)
            result = getattr(self.store, method)(records)
        except InputError as exc:
            raise RejectedBatchError(f"{method}: {exc}") from exc
        except Exception as exc:  # noqa: BLE001 - anything else may pass: retry
            raise TransientSinkError(f"{method}: {type(exc).__name__}: {exc}") from exc
        return [(int(i), str(reason)) for i, _, reason in getattr(result, "rejected", ())]

    def send_events(self, events: list[dict[str, Any]]) -> Refusals:
        return self._call("ingest_events", events)

    def send_blocks(self, blocks: list[dict[str, Any]]) -> Refusals:
        from ..store.columnar import ingest_blocks
        result = self._call("ingest_events", blocks, ingest_blocks)
        return _block_refusals(blocks, [(b, r, why) for b, r, _, why in result.rejected])

    def send_labels(self, labels: list[dict[str, Any]]) -> Refusals:
        return self._call("add_labels", labels)

    def close(self) -> None:
        return None


class MemorySink:
    """Keep events and labels in memory, keyed by event id (idempotent like the server).

    ``received`` counts every event the sink was handed, duplicates included, so a test
    can check that nothing arrived twice.
    """

    def __init__(self) -> None:
        self.events: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, dict[str, Any]] = {}
        self.received = 0
        self.batches = 0
        self._lock = threading.Lock()

    def send_events(self, events: list[dict[str, Any]]) -> None:
        with self._lock:
            self.batches += 1
            self.received += len(events)
            for event in events:
                self.events[str(event["event_id"])] = event

    def send_blocks(self, blocks: list[dict[str, Any]]) -> Refusals:
        """Expand the blocks (as the server does) and keep their events."""
        from ..store.columnar import expand_blocks
        events, rejected = expand_blocks(blocks)
        self.send_events(events)
        return _block_refusals(blocks, [(b, r, why) for b, r, _, why in rejected])

    def send_labels(self, labels: list[dict[str, Any]]) -> None:
        with self._lock:
            for label in labels:
                self.labels[str(label["event_id"])] = label

    def close(self) -> None:
        return None

    def __len__(self) -> int:
        return len(self.events)


class SpillFile:
    """The local JSON-lines file where records wait while the sink is down.

    Each line is ``{"kind": "event" | "label", "record": {...}}``. Appends are flushed
    at once and fsync'd in batches (:meth:`sync`). To re-send, :meth:`take` moves the file
    aside to ``<name>.sending`` (new spills go to a fresh file meanwhile); the
    ``.sending`` file is deleted, or rewritten with what is left, only after the sink
    acknowledged, so a crash at any point loses nothing. Rejected records go to the
    dead-letter file ``<stem>.dead<suffix>`` beside it, with the sink's message.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.sending_path = self.path.with_name(self.path.name + ".sending")
        self.dead_path = self.path.with_name(f"{self.path.stem}.dead{self.path.suffix}")
        self._lock = threading.Lock()
        self._handle: Any = None
        self._unsynced = 0
        # both files seen empty and nothing appended since: pending() answers without a
        # stat (it runs on every pass of the sending thread; one Monitor per spill path)
        self._known_empty = False
        self._appends = 0

    def append(self, kind: str, records: list[dict[str, Any]], *, sync: bool = False) -> None:
        if not records:
            return
        data = b"".join(encode({"kind": kind, "record": r}) + b"\n" for r in records)
        with self._lock:
            if self._handle is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = open(self.path, "ab")  # noqa: SIM115 - kept open
            self._known_empty = False
            self._appends += 1
            self._handle.write(data)
            self._handle.flush()
            self._unsynced += len(records)
            if sync:
                self._sync_locked()

    def _sync_locked(self) -> None:
        if self._handle is not None and self._unsynced:
            os.fsync(self._handle.fileno())
            self._unsynced = 0

    def sync(self) -> None:
        with self._lock:
            self._sync_locked()

    def dead_letter(self, kind: str, records: list[dict[str, Any]], message: str) -> None:
        data = b"".join(encode({"kind": kind, "record": r, "error": message}) + b"\n"
                        for r in records)
        with self._lock:
            self.dead_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.dead_path, "ab") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())

    def pending(self) -> bool:
        """Whether anything waits to be re-sent."""
        if self._known_empty:
            return False
        appends = self._appends
        for p in (self.sending_path, self.path):
            try:
                if p.stat().st_size > 0:
                    return True
            except FileNotFoundError:
                pass
        with self._lock:  # empty unless an append came in while we looked
            self._known_empty = self._appends == appends
        return False

    def take(self) -> list[tuple[str, dict[str, Any]]]:
        """The records to re-send (the ``.sending`` file, made from the spill file if need be)."""
        with self._lock:
            if not self.sending_path.exists():
                if not self.path.exists() or self.path.stat().st_size == 0:
                    return []
                if self._handle is not None:
                    self._sync_locked()
                    self._handle.close()
                    self._handle = None
                os.replace(self.path, self.sending_path)
        records: list[tuple[str, dict[str, Any]]] = []
        with open(self.sending_path, "rb") as handle:
            for line in handle:
                try:
                    item = json.loads(line)
                    records.append((item["kind"], item["record"]))
                except (ValueError, KeyError, TypeError):
                    continue  # a line torn by a crash mid-write: nothing acknowledged it
        return records

    def finish(self, remaining: list[tuple[str, dict[str, Any]]]) -> None:
        """Drop the acknowledged records: delete ``.sending`` or keep only ``remaining``."""
        if not remaining:
            self.sending_path.unlink(missing_ok=True)
            return
        tmp = self.sending_path.with_name(self.sending_path.name + ".tmp")
        with open(tmp, "wb") as handle:
            for kind, record in remaining:
                handle.write(encode({"kind": kind, "record": record}) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.sending_path)

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._sync_locked()
                self._handle.close()
                self._handle = None
