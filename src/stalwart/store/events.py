"""Prediction events: validation against the shared contract, idempotent batch ingest, queries.

>>> row = normalize_event({"event_id": "e1", "timestamp": "2026-01-01T00:00:00Z",
...                        "model": "churn", "model_version": "1", "features": {"x": 1.5},
...                        "outputs": {"prediction": 1, "proba": {"0": 0.2, "1": 0.8}}})
>>> row["timestamp"], row["segment"], row["metadata"]
(datetime.datetime(2026, 1, 1, 0, 0), None, {})
>>> flatten({"prediction": 1, "proba": {"0": 0.2, "1": 0.8}}, "outputs")
{'outputs.prediction': 1, 'outputs.proba.0': 0.2, 'outputs.proba.1': 0.8}
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import jsonable
from ..exceptions import DataError
from .dialect import insert_ignore
from .engine import utcnow, writing
from .schema import Event, Label, Model, ModelVersion

__all__ = ["BASE_COLUMNS", "IngestResult", "events_frame", "flatten", "ingest_events",
           "iter_events", "normalize_event", "to_utc"]

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


_SIMPLE = (str, int, bool, type(None))


def _plain(value: Any) -> Any:
    """``jsonable`` with a fast path for the plain values most events carry."""
    kind = type(value)
    if kind in _SIMPLE:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict or isinstance(value, Mapping):
        return {k if type(k) is str else str(k): _plain(v) for k, v in value.items()}
    return jsonable(value)


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
            stamp = seen.stamps[raw] = to_utc(raw)
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
    table = Event.__table__
    inserted = 0
    pairs = sorted({(r["model"], r["model_version"]) for r in rows})
    dialect = engine.dialect.name
    chunks = [rows[start:start + _CHUNK] for start in range(0, len(rows), _CHUNK)]
    # encode before taking the write lock: SQLite serialises writers, so the transaction
    # holds only the database's own work
    if dialect == "postgresql":
        prepared: list[Any] = [_pg_copy_data(part) for part in chunks]
    elif dialect == "sqlite":
        prepared = [_sqlite_params(part) for part in chunks]
    else:  # pragma: no cover - only the two dialects are resolved by engine.py
        prepared = [[{**r, **{k: _plain(r[k]) for k in _JSON_COLUMNS}} for r in part]
                    for part in chunks]
    with writing(engine) as conn:
        _register(conn, pairs, now)
        for part in prepared:
            if dialect == "postgresql":
                inserted += _insert_pg(conn, part)
            elif dialect == "sqlite":
                inserted += _insert_sqlite(conn, part)
            else:  # pragma: no cover
                stmt = insert_ignore(conn, table, ["event_id"]).returning(table.c.event_id)
                inserted += len(conn.execute(stmt, part).all())
    return IngestResult(inserted, repeats + len(rows) - inserted, tuple(rejected))


_ENCODE = json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode
_JSON_COLUMNS = ("features", "outputs", "metadata")


def _encode(value: Any) -> str:
    """JSON text of a row's mapping: orjson when installed (NaN and inf become null, as
    :func:`_plain` makes them), else, or for what orjson refuses, the plain-value path."""
    if _orjson is not None:
        try:
            return _orjson.dumps(value, default=jsonable, option=_ORJSON_OPTIONS).decode()
        except TypeError:  # non-str keys, ints beyond 64 bits: the plain path handles them
            pass
    return _ENCODE(_plain(value))


try:  # the fast JSON codec the server extra brings (FastAPI's optional dependency)
    import orjson as _orjson
    _ORJSON_OPTIONS = (_orjson.OPT_PASSTHROUGH_DATETIME | _orjson.OPT_PASSTHROUGH_DATACLASS
                       | _orjson.OPT_PASSTHROUGH_SUBCLASS)
except ImportError:  # pragma: no cover - the stdlib path
    _orjson = None
    _ORJSON_OPTIONS = 0

_PG_COLUMNS = {"event_id": "text", "timestamp": "timestamp", "model": "text",
               "model_version": "text", "segment": "text", "features": "json",
               "outputs": "json", "latency_ms": "float8", "metadata": "json",
               "received_at": "timestamp"}
_NAMES = ", ".join(f'"{c}"' for c in _PG_COLUMNS)
_PG_STAGE = ("CREATE TEMPORARY TABLE IF NOT EXISTS stalwart_ingest_stage ("
             + ", ".join(f'"{c}" {t}' for c, t in _PG_COLUMNS.items())
             + ") ON COMMIT DELETE ROWS")
_PG_COPY = f"COPY stalwart_ingest_stage ({_NAMES}) FROM STDIN"
_PG_INSERT = (f"INSERT INTO prediction_events ({_NAMES}) SELECT {_NAMES} "
              "FROM stalwart_ingest_stage ON CONFLICT (event_id) DO NOTHING")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: str | None) -> str:
    """A text field in COPY's text format (``\\N`` is NULL)."""
    return "\\N" if value is None else value.translate(_COPY_ESCAPES)


def _stamp_texts(rows: list[dict[str, Any]], key: str, sep: str) -> list[str]:
    """``rows[i][key]`` in ISO format (each distinct datetime formatted once)."""
    memo: dict[dt.datetime, str] = {}
    out = []
    for r in rows:
        value = r[key]
        text = memo.get(value)
        if text is None:
            text = memo[value] = value.isoformat(sep=sep, timespec="microseconds")
        out.append(text)
    return out


def _pg_copy_data(rows: list[dict[str, Any]]) -> str:
    """The rows in COPY's text format. Mappings are JSON text (no raw control characters),
    so only their backslashes are escaped."""
    stamps = _stamp_texts(rows, "timestamp", "T")
    received = rows[0]["received_at"].isoformat()
    enc = _encode
    text = _copy_text
    lines = ["\t".join((text(r["event_id"]), s, text(r["model"]), text(r["model_version"]),
                        text(r["segment"]), enc(r["features"]).replace("\\", "\\\\"),
                        enc(r["outputs"]).replace("\\", "\\\\"),
                        "\\N" if r["latency_ms"] is None else repr(r["latency_ms"]),
                        enc(r["metadata"]).replace("\\", "\\\\"), received))
             for r, s in zip(rows, stamps)]
    return "\n".join(lines) + "\n"


def _insert_pg(conn: sa.Connection, data: str) -> int:
    """COPY ``data`` into a session-local staging table, then one ``INSERT ... SELECT ... ON
    CONFLICT DO NOTHING`` (its row count is what was new): PostgreSQL parses COPY's text
    far faster than a JSON parameter or bound arrays; the staging table empties on commit."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute(_PG_STAGE)
        with cursor.copy(_PG_COPY) as copy:
            copy.write(data)
        cursor.execute(_PG_INSERT)
        return cursor.rowcount
    finally:
        cursor.close()


_SQLITE_INSERT = ("INSERT INTO prediction_events (" + ", ".join(f'"{c}"' for c in _PG_COLUMNS)
                  + ") VALUES (" + ", ".join("?" for _ in _PG_COLUMNS) + ") "
                  "ON CONFLICT (event_id) DO NOTHING")


def _sqlite_params(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Parameters of the rows: datetimes in sqlalchemy's SQLite DATETIME storage format,
    mappings as JSON text."""
    stamps = _stamp_texts(rows, "timestamp", " ")
    received = rows[0]["received_at"].isoformat(sep=" ", timespec="microseconds")
    enc = _encode
    return [(r["event_id"], s, r["model"], r["model_version"], r["segment"],
             enc(r["features"]), enc(r["outputs"]), r["latency_ms"], enc(r["metadata"]),
             received) for r, s in zip(rows, stamps)]


def _insert_sqlite(conn: sa.Connection, params: list[tuple[Any, ...]]) -> int:
    """The driver's ``executemany`` (a C loop); its rowcount counts only inserted rows."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(_SQLITE_INSERT, params)
        return cursor.rowcount
    finally:
        cursor.close()


def _register(conn: sa.Connection, pairs: list[tuple[str, str]], now: dt.datetime) -> None:
    models = sorted({m for m, _ in pairs})
    conn.execute(insert_ignore(conn, Model.__table__, ["name"]),
                 [{"name": m, "description": None, "created": now} for m in models])
    conn.execute(insert_ignore(conn, ModelVersion.__table__, ["model", "version"]),
                 [{"model": m, "version": v, "metadata": {}, "created": now} for m, v in pairs])


def flatten(mapping: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """Nested objects as dotted columns (``outputs.proba.<class>``)."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        name = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, name))
        else:
            out[name] = value
    return out


def _query(model: str, start: Any, end: Any, segment: str | None, model_version: str | None,
           with_labels: bool) -> sa.Select:
    e = Event.__table__
    cols = [e.c.event_id, e.c.timestamp, e.c.model, e.c.model_version, e.c.segment,
            e.c.latency_ms, e.c.features, e.c.outputs]
    if with_labels:
        lab = Label.__table__
        query = sa.select(*cols, lab.c.label).select_from(
            e.outerjoin(lab, lab.c.event_id == e.c.event_id))
    else:
        query = sa.select(*cols)
    query = query.where(e.c.model == model)
    if start is not None:
        query = query.where(e.c.timestamp >= to_utc(start, "start"))
    if end is not None:
        query = query.where(e.c.timestamp < to_utc(end, "end"))
    if segment is not None:
        query = query.where(e.c.segment == segment)
    if model_version is not None:
        query = query.where(e.c.model_version == model_version)
    return query.order_by(e.c.timestamp, e.c.id)


def _frame(rows: list[Any], with_labels: bool) -> pd.DataFrame:
    records = []
    for row in rows:
        m = row._mapping
        rec = {k: m[k] for k in BASE_COLUMNS[:-1]}
        rec["label"] = m["label"] if with_labels else None
        rec.update(flatten(m["features"] or {}, "features"))
        rec.update(flatten(m["outputs"] or {}, "outputs"))
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=None if records else BASE_COLUMNS)
    extra = [c for c in frame.columns if c not in BASE_COLUMNS]
    ordered = (sorted(c for c in extra if c.startswith("features."))
               + sorted(c for c in extra if c.startswith("outputs.")))
    frame = frame[BASE_COLUMNS + ordered]
    frame["timestamp"] = pd.to_datetime(frame["timestamp"]).dt.tz_localize("UTC")
    frame["latency_ms"] = frame["latency_ms"].astype(float)
    return frame.reset_index(drop=True)


def events_frame(engine: Engine, model: str, *, start: Any = None, end: Any = None,
                 segment: str | None = None, model_version: str | None = None,
                 with_labels: bool = True, limit: int | None = None) -> pd.DataFrame:
    """Events of ``model`` in ``[start, end)`` ordered by time, flattened, labels joined;
    at most the first ``limit`` of them (a SQL LIMIT) when given."""
    query = _query(model, start, end, segment, model_version, with_labels)
    if limit is not None:
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            from ..exceptions import ParameterError
            raise ParameterError("limit", expected="an integer >= 1 or None", got=repr(limit),
                                 fix="pass limit=1000")
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return _frame(rows, with_labels)


def iter_events(engine: Engine, model: str, *, start: Any = None, end: Any = None,
                segment: str | None = None, model_version: str | None = None,
                with_labels: bool = True, chunk_size: int = 10_000) -> Iterator[pd.DataFrame]:
    """The same frames as :func:`events_frame`, ``chunk_size`` rows at a time (streamed)."""
    if not isinstance(chunk_size, int) or chunk_size < 1:
        from ..exceptions import ParameterError
        raise ParameterError("chunk_size", expected="an integer >= 1", got=repr(chunk_size),
                             fix="pass chunk_size=10000")
    query = _query(model, start, end, segment, model_version, with_labels)
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=chunk_size).execute(query)
        for part in result.partitions(chunk_size):
            yield _frame(list(part), with_labels)
