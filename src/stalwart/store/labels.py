"""Delayed labels, joined to their events by ``event_id``.

A label for an unknown event is rejected; the same value sent again is a duplicate; a new
value replaces the old one and is listed in ``IngestResult.replaced``.

>>> normalize_label({"event_id": "e1", "label": 1, "timestamp": "2026-01-02T00:00:00Z"})
{'event_id': 'e1', 'label': 1, 'timestamp': datetime.datetime(2026, 1, 2, 0, 0)}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import jsonable
from ..exceptions import DataError
from .dialect import dialect_insert, rows_where_in
from .engine import utcnow, writing
from .events import MAX_ID, IngestResult, to_utc
from .schema import Event, Label

__all__ = ["add_labels", "normalize_label", "write_labels"]

FIELDS = ("event_id", "label", "timestamp")


def normalize_label(label: Any) -> dict[str, Any]:
    """The stored row for one label, or :class:`DataError`."""
    if not isinstance(label, Mapping):
        raise DataError("label", expected="an object with event_id, label, timestamp",
                        got=type(label).__name__, fix="send each label as a JSON object")
    unknown = sorted(str(k) for k in label if k not in FIELDS)
    if unknown:
        raise DataError("label fields", expected="only " + ", ".join(FIELDS), got=repr(unknown),
                        fix="send event_id, label and optionally timestamp")
    event_id = label.get("event_id")
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > MAX_ID:
        raise DataError("event_id", expected=f"a non-empty string of at most {MAX_ID} characters",
                        got=repr(event_id)[:80], fix="send the event_id of the prediction")
    if "label" not in label or jsonable(label["label"]) is None:
        raise DataError("label", expected="a value (class or number)", got="nothing or null",
                        fix="send the observed outcome as 'label'")
    stamp = label.get("timestamp")
    return {"event_id": event_id, "label": jsonable(label["label"]),
            "timestamp": utcnow() if stamp is None else to_utc(stamp)}


def write_labels(conn: sa.Connection, rows: list[dict[str, Any]]
                 ) -> tuple[set[str], int, list[str]]:
    """Upsert label rows on ``conn``; return (unknown event ids, duplicates, replaced ids)."""
    ids = [r["event_id"] for r in rows]
    e, lab = Event.__table__, Label.__table__
    known = {r.event_id for r in rows_where_in(conn, sa.select(e.c.event_id), e.c.event_id, ids)}
    old = {r.event_id: r.label for r in rows_where_in(
        conn, sa.select(lab.c.event_id, lab.c.label), lab.c.event_id, ids)}
    new, replaced, duplicates = [], [], 0
    for row in rows:
        if row["event_id"] not in known:
            continue
        if row["event_id"] in old:
            if old[row["event_id"]] == row["label"]:
                duplicates += 1
                continue
            replaced.append(row["event_id"])
        new.append(row)
    if new:
        stmt = dialect_insert(conn, lab)
        stmt = stmt.on_conflict_do_update(
            index_elements=["event_id"],
            set_={"label": stmt.excluded.label, "timestamp": stmt.excluded.timestamp})
        conn.execute(stmt, new)
    return set(ids) - known, duplicates, replaced


def add_labels(engine: Engine, labels: Iterable[Any]) -> IngestResult:
    """Store labels in one transaction (the last label of an event in the batch wins)."""
    rejected: list[tuple[int, str | None, str]] = []
    latest: dict[str, tuple[int, dict[str, Any]]] = {}
    repeats = 0
    for i, label in enumerate(labels):
        try:
            row = normalize_label(label)
        except DataError as exc:
            eid = label.get("event_id") if isinstance(label, Mapping) else None
            rejected.append((i, eid if isinstance(eid, str) else None, str(exc)))
            continue
        if row["event_id"] in latest:
            repeats += 1
        latest[row["event_id"]] = (i, row)
    if not latest:
        return IngestResult(0, repeats, tuple(rejected))
    with writing(engine) as conn:
        unknown, duplicates, replaced = write_labels(conn, [r for _, r in latest.values()])
    for eid in unknown:
        i = latest[eid][0]
        rejected.append((i, eid, str(DataError(
            "label event_id", expected="the event_id of a stored prediction event", got=eid,
            fix="ingest the event first, or correct the event_id"))))
    accepted = len(latest) - len(unknown) - duplicates
    return IngestResult(accepted, repeats + duplicates, tuple(sorted(rejected)), tuple(replaced))
