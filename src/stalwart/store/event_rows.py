"""Writing event rows fast on each dialect: JSON text of the mappings (orjson when installed),
COPY on PostgreSQL (into the table, or through a staging table when ids are already stored),
the driver's ``executemany`` on SQLite.

Hand-written because SQLAlchemy's generic ``executemany`` with JSON columns encodes every
value through the stdlib one at a time and was the ingest path's largest cost (see the ingest
section of docs/benchmarks.md for the measured ratio).

>>> plain({"a": float("nan"), 1: (2, 3)})
{'a': None, '1': [2, 3]}
>>> encode({"x": 1.5, "y": None})
'{"x":1.5,"y":null}'
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from .._json import jsonable
from .dialect import insert_ignore
from .schema import Event

__all__ = ["JSON_COLUMNS", "encode", "insert_rows", "plain", "prepare_rows"]

_SIMPLE = (str, int, bool, type(None))


def plain(value: Any) -> Any:
    """``jsonable`` with a fast path for the plain values most events carry."""
    kind = type(value)
    if kind in _SIMPLE:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is dict or isinstance(value, Mapping):
        return {k if type(k) is str else str(k): plain(v) for k, v in value.items()}
    return jsonable(value)


_ENCODE = json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode
JSON_COLUMNS = ("features", "outputs", "metadata")


def encode(value: Any) -> str:
    """JSON text of a row's mapping: orjson when installed (NaN and inf become null, as
    :func:`_plain` makes them), else, or for what orjson refuses, the plain-value path."""
    if _orjson is not None:
        try:
            return _orjson.dumps(value, default=jsonable, option=_ORJSON_OPTIONS).decode()
        except TypeError:  # non-str keys, ints beyond 64 bits: the plain path handles them
            pass
    return _ENCODE(plain(value))


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
_PG_COPY_DIRECT = f"COPY prediction_events ({_NAMES}) FROM STDIN"
_PG_INSERT = (f"INSERT INTO prediction_events ({_NAMES}) SELECT {_NAMES} "
              "FROM stalwart_ingest_stage ON CONFLICT (event_id) DO NOTHING")
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
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


def _copy_column(values: list[str | None]) -> list[str]:
    """A text column in COPY's text format; a column with nothing to escape, the usual case,
    is checked in one pass and kept as it is."""
    if _NEEDS_ESCAPE.search("".join(v for v in values if v is not None)) is None:
        return ["\\N" if v is None else v for v in values]
    return [_copy_text(v) for v in values]


def _copy_json(texts: list[str]) -> list[str]:
    """JSON texts in COPY's text format. JSON text has no raw control characters (the
    encoders escape them), so only backslashes are doubled, in one pass over the column
    joined by newlines."""
    joined = "\n".join(texts)
    if "\\" not in joined:
        return texts
    return joined.replace("\\", "\\\\").split("\n")


def _pg_copy_data(rows: list[dict[str, Any]]) -> str:
    """The rows in COPY's text format, built column by column."""
    stamps = _stamp_texts(rows, "timestamp", "T")
    received = rows[0]["received_at"].isoformat()
    ids, models, versions, segments = (_copy_column([r[k] for r in rows]) for k in
                                       ("event_id", "model", "model_version", "segment"))
    features, outputs, metadata = (_copy_json(_json_texts(rows, k)) for k in JSON_COLUMNS)
    latencies = ["\\N" if r["latency_ms"] is None else repr(r["latency_ms"]) for r in rows]
    lines = ["\t".join(fields) + "\t" + received
             for fields in zip(ids, stamps, models, versions, segments, features, outputs,
                               latencies, metadata)]
    return "\n".join(lines) + "\n"


def _insert_pg(conn: sa.Connection, data: str) -> int:
    """COPY ``data`` straight into the events table under a savepoint: a batch of new
    events, the usual case, is stored by PostgreSQL's fastest path with nothing written
    twice. If any event_id is already stored (a retried batch, or one racing another
    writer), the unique index refuses the COPY; then back to the savepoint, and the batch
    goes through :func:`_insert_pg_staged`, which skips the stored ids. Either way the
    stored rows are the first write of each id, and the count is what was new."""
    from psycopg.errors import UniqueViolation

    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.execute("SAVEPOINT stalwart_copy")
        try:
            with cursor.copy(_PG_COPY_DIRECT) as copy:
                copy.write(data)
        except UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT stalwart_copy")
            return _insert_pg_staged(cursor, data)
        inserted = cursor.rowcount
        cursor.execute("RELEASE SAVEPOINT stalwart_copy")
        return inserted
    finally:
        cursor.close()


def _insert_pg_staged(cursor: Any, data: str) -> int:
    """COPY ``data`` into a session-local staging table, then one ``INSERT ... SELECT ... ON
    CONFLICT DO NOTHING`` (its row count is what was new): PostgreSQL parses COPY's text
    far faster than a JSON parameter or bound arrays; the staging table empties on commit."""
    cursor.execute(_PG_STAGE)
    with cursor.copy(_PG_COPY) as copy:
        copy.write(data)
    cursor.execute(_PG_INSERT)
    return cursor.rowcount


_SQLITE_INSERT = ("INSERT INTO prediction_events (" + ", ".join(f'"{c}"' for c in _PG_COLUMNS)
                  + ") VALUES (" + ", ".join("?" for _ in _PG_COLUMNS) + ") "
                  "ON CONFLICT (event_id) DO NOTHING")


def _json_texts(rows: list[dict[str, Any]], key: str) -> list[str]:
    """:func:`encode` of ``rows[i][key]`` for every row: one orjson call per value with no
    Python frame around it (three per event were a visible part of the ingest cost); a
    batch with a value orjson refuses is encoded value by value."""
    if _orjson is not None:
        dumps, default, option = _orjson.dumps, jsonable, _ORJSON_OPTIONS
        try:
            return [dumps(r[key], default=default, option=option).decode() for r in rows]
        except TypeError:
            pass
    return [encode(r[key]) for r in rows]


def _sqlite_params(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Parameters of the rows: datetimes in sqlalchemy's SQLite DATETIME storage format,
    mappings as JSON text."""
    stamps = _stamp_texts(rows, "timestamp", " ")
    received = rows[0]["received_at"].isoformat(sep=" ", timespec="microseconds")
    features, outputs, metadata = (_json_texts(rows, k) for k in JSON_COLUMNS)
    return [(r["event_id"], s, r["model"], r["model_version"], r["segment"], f, o,
             r["latency_ms"], m, received)
            for r, s, f, o, m in zip(rows, stamps, features, outputs, metadata)]


def _insert_sqlite(conn: sa.Connection, params: list[tuple[Any, ...]]) -> int:
    """The driver's ``executemany`` (a C loop); its rowcount counts only inserted rows."""
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        cursor.executemany(_SQLITE_INSERT, params)
        return cursor.rowcount
    finally:
        cursor.close()


def prepare_rows(dialect: str, rows: list[dict[str, Any]]) -> Any:
    """The rows encoded for :func:`insert_rows` (done before the write transaction, so
    SQLite's write lock covers only the database's own work)."""
    if dialect == "postgresql":
        return _pg_copy_data(rows)
    if dialect == "sqlite":
        return _sqlite_params(rows)
    return [{**r, **{k: plain(r[k]) for k in JSON_COLUMNS}} for r in rows]  # pragma: no cover


def insert_rows(conn: sa.Connection, prepared: Any) -> int:
    """Insert prepared rows, skipping event ids already stored; the number inserted."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        return _insert_pg(conn, prepared)
    if dialect == "sqlite":
        return _insert_sqlite(conn, prepared)
    table = Event.__table__  # pragma: no cover - only the two dialects are resolved
    stmt = insert_ignore(conn, table, ["event_id"]).returning(table.c.event_id)
    return len(conn.execute(stmt, prepared).all())  # pragma: no cover
