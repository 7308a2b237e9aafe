"""Prediction events: validation against the shared contract and idempotent batch ingest
(the rows are written by :mod:`.event_rows`, read back by :mod:`.event_queries`).

>>> row = normalize_event({"event_id": "e1", "timestamp": "2026-01-01T00:00:00Z",
...                        "model": "churn", "model_version": "1", "features": {"x": 1.5},
...                        "outputs": {"prediction": 1, "proba": {"0": 0.2, "1": 0.8}}})
>>> row["timestamp"], row["segment"], row["metadata"]
(datetime.datetime(2026, 1, 1, 0, 0), None, {})
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import jsonable
from ..exceptions import DataError
from .dialect import insert_ignore
from .engine import utcnow, writing
from .event_rows import insert_rows, prepare_rows
from .event_rows import plain as _plain
from .schema import Model, ModelVersion

__all__ = ["IngestResult", "ingest_events", "normalize_event", "to_utc"]

SCHEMA_VERSION = "1.0"
FIELDS = ("event_id", "timestamp", "model", "model_version", "segment", "features", "outputs",
          "latency_ms", "metadata")
REQUIRED = ("event_id", "timestamp", "model", "model_version", "features", "outputs")
BASE_COLUMNS = ["event_id", "timestamp", "model", "model_version", "segment", "latency_ms",
                "label"]
MAX_ID = 200
_FIELD_SET = frozenset(FIELDS)
_REQUIRED_SET = frozenset(REQUIRED)
_CHUNK = 2000


@dataclass(frozen=True)
class IngestResult:
    """What a batch did: ``accepted`` stored, ``duplicates`` already there (or repeated in the
    batch), ``rejected`` as ``(index, event_id, reason)``; ``replaced`` lists labels whose
    value changed."""

    accepted: int
    duplicates: int
    rejected: tuple[tuple[int, str | None, str], ...] = ()
    replaced: tuple[str, ...] = field(default=())
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "accepted": self.accepted,
                         "duplicates": self.duplicates, "replaced": list(self.replaced),
                         "rejected": [{"index": i, "event_id": e, "reason": r}
                                      for i, e, r in self.rejected]})


def _bad(what: str, expected: str, got: Any, fix: str) -> DataError:
    text = repr(got)
    return DataError(what, expected=expected, got=text if len(text) < 80 else text[:77] + "...",
                     fix=fix)


def to_utc(value: Any, what: str = "timestamp") -> dt.datetime:
    """A datetime or ISO-8601 string as naive UTC (naive input is taken as UTC)."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _bad(what, "an ISO-8601 date-time such as 2026-01-31T12:00:00Z", value,
                       "send the time in ISO-8601, in UTC or with an offset") from None
    elif isinstance(value, pd.Timestamp):
        if value is pd.NaT:
            raise _bad(what, "a date-time", value, "send the time of the prediction")
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            try:
                value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
            except OverflowError:  # e.g. 0001-01-01T00:00+01:00 is before year 1 in UTC
                raise _bad(what, "a date-time between years 1 and 9999 in UTC", value,
                           "send a real time of the prediction") from None
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raise _bad(what, "an ISO-8601 string or a datetime", value, "send the time of the prediction")


def _utc_z(value: str) -> dt.datetime | None:
    """``to_utc`` of the form clients send most, ``YYYY-MM-DDTHH:MM:SS[.fff[fff]]Z``, or None
    for anything else (then :func:`to_utc` decides, and words any error).

    Parsing the text without its ``Z`` gives the naive UTC value directly: a third of the
    cost of parsing it aware and dropping the zone (``datetime.replace`` alone costs more
    than the parse). The shape test keeps exactly what ``to_utc`` accepts: a time of day is
    there, and a result with a zone (``...+01:00Z``) goes to ``to_utc``.

    >>> _utc_z("2026-01-31T12:00:00.5Z"), _utc_z("2026-01-31Z"), _utc_z("2026-01-31T12:00:00Z ")
    (datetime.datetime(2026, 1, 31, 12, 0, 0, 500000), None, None)
    """
    if (value[-1:] != "Z" or len(value) not in _Z_LENGTHS or value[10] != "T"
            or value[13] != ":" or value[16] != ":"):
        return None
    try:
        parsed = _FROMISO(value[:-1])
    except ValueError:
        return None
    return parsed if parsed.tzinfo is None else None


_Z_LENGTHS = frozenset((20, 22, 23, 24, 25, 26, 27))  # seconds, then 1 to 6 fraction digits
_FROMISO = dt.datetime.fromisoformat


def _text(event: Mapping[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = event.get(key)
    if value is None and optional:
        return None
    if (not isinstance(value, str) or not value.strip() or len(value) > MAX_ID
            or "\x00" in value or not (value.isascii() or _utf8(value))):
        raise _bad(key, f"a non-empty string of at most {MAX_ID} characters (no NUL, no "
                   "unpaired surrogate)", value, f"set {key!r} on every event")
    return value


def _utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate: no database stores it
        return False
    return True


def _mapping(event: Mapping[str, Any], key: str, *, optional: bool = False) -> dict[str, Any]:
    value = event.get(key)
    if value is None and optional:
        return {}
    if not isinstance(value, Mapping):
        raise _bad(key, "an object (a mapping of names to values)", value,
                   f"send {key!r} as a JSON object")
    return _plain(value)


class _Seen:
    """What a batch already validated: timestamp strings parsed, names found valid."""

    __slots__ = ("names", "stamps")

    def __init__(self) -> None:
        self.stamps: dict[str, dt.datetime] = {}
        self.names: set[str] = set()


def _checked(event: Any, seen: _Seen) -> dict[str, Any]:
    """The stored row for one event with its mappings as sent (made plain when encoded)."""
    if type(event) is not dict and not isinstance(event, Mapping):
        raise _bad("event", "an object with the fields " + ", ".join(FIELDS), type(event).__name__,
                   "send each event as a JSON object")
    if not _FIELD_SET.issuperset(event):
        unknown = sorted(str(k) for k in event if k not in FIELDS)
        raise _bad("event fields", "only " + ", ".join(FIELDS), unknown,
                   "put extra information under 'metadata'")
    if not _REQUIRED_SET.issubset(event):
        missing = [k for k in REQUIRED if k not in event]
        raise _bad("event fields", "all of " + ", ".join(REQUIRED), f"missing {missing}",
                   "send every required field")
    outputs = event["outputs"]
    if type(outputs) is not dict:
        outputs = _mapping(event, "outputs")
    proba = outputs.get("proba")
    if proba is not None:
        if not isinstance(proba, Mapping):
            _bad_proba(proba)
        for p in proba.values():
            if not (type(p) is float and 0.0 <= p <= 1.0) and not (
                    isinstance(p, (int, float)) and not isinstance(p, bool) and 0 <= p <= 1):
                _bad_proba(proba)
    latency = event.get("latency_ms")
    if latency is not None and not (type(latency) is float and 0.0 <= latency < math.inf):
        latency = _latency(event.get("latency_ms"))
    event_id = _text(event, "event_id")
    raw = event["timestamp"]
    if type(raw) is str:
        stamp = seen.stamps.get(raw)
        if stamp is None:
            stamp = seen.stamps[raw] = _utc_z(raw) or to_utc(raw)
    else:
        stamp = to_utc(raw)
    valid = seen.names
    names = [event_id]
    for name in ("model", "model_version"):
        value = event[name]
        if type(value) is not str or value not in valid:
            valid.add(_text(event, name))
        names.append(value)
    segment = event.get("segment")
    if segment is not None and (type(segment) is not str or segment not in valid):
        valid.add(_text(event, "segment"))
    features = event["features"]
    if type(features) is not dict:
        features = _mapping(event, "features")
    metadata = event.get("metadata")
    if type(metadata) is not dict:
        metadata = _mapping(event, "metadata", optional=True)
    return {"event_id": event_id, "timestamp": stamp, "model": names[1],
            "model_version": names[2], "segment": segment, "features": features,
            "outputs": outputs, "latency_ms": latency, "metadata": metadata}


def _bad_proba(proba: Any) -> None:
    raise _bad("outputs.proba", "null or an object of class -> probability in [0, 1]",
               proba, "send the class probabilities as numbers")


def _latency(value: Any) -> float:
    try:
        latency = float(value)
    except (TypeError, ValueError):
        latency = math.nan
    if isinstance(value, bool) or not math.isfinite(latency) or latency < 0:
        raise _bad("latency_ms", "null or a finite number >= 0", value,
                   "send the prediction's latency in milliseconds")
    return latency


def normalize_event(event: Any) -> dict[str, Any]:
    """The stored row for one event, or :class:`DataError` saying what is wrong with it."""
    row = _checked(event, _Seen())
    for key in ("features", "outputs", "metadata"):
        row[key] = _plain(row[key])
    return row


def _event_id(event: Any) -> str | None:
    if isinstance(event, Mapping) and isinstance(event.get("event_id"), str):
        return event["event_id"]
    return None


def ingest_events(engine: Engine, events: Iterable[Any]) -> IngestResult:
    """Store the valid events in one transaction, each event_id once (first write wins)."""
    rows: list[dict[str, Any]] = []
    rejected: list[tuple[int, str | None, str]] = []
    seen: set[str] = set()
    cache = _Seen()
    repeats = 0
    now = utcnow()
    for i, event in enumerate(events):
        try:
            row = _checked(event, cache)
        except DataError as exc:
            rejected.append((i, _event_id(event), str(exc)))
            continue
        if row["event_id"] in seen:
            repeats += 1
            continue
        seen.add(row["event_id"])
        row["received_at"] = now
        rows.append(row)
    if not rows:
        return IngestResult(0, repeats, tuple(rejected))
    inserted = 0
    pairs = sorted({(r["model"], r["model_version"]) for r in rows})
    dialect = engine.dialect.name
    prepared = [prepare_rows(dialect, rows[start:start + _CHUNK])
                for start in range(0, len(rows), _CHUNK)]
    with writing(engine) as conn:
        _register(conn, pairs, now)
        for part in prepared:
            inserted += insert_rows(conn, part)
    return IngestResult(inserted, repeats + len(rows) - inserted, tuple(rejected))


def _register(conn: sa.Connection, pairs: list[tuple[str, str]], now: dt.datetime) -> None:
    models = sorted({m for m, _ in pairs})
    conn.execute(insert_ignore(conn, Model.__table__, ["name"]),
                 [{"name": m, "description": None, "created": now} for m in models])
    conn.execute(insert_ignore(conn, ModelVersion.__table__, ["model", "version"]),
                 [{"model": m, "version": v, "metadata": {}, "created": now} for m, v in pairs])
