"""The human review queue: flagged predictions wait here; resolving one writes its label.

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> _ = store.ingest_events([{"event_id": "e1", "timestamp": "2026-01-01T00:00:00Z",
...     "model": "m", "model_version": "1", "features": {}, "outputs": {"prediction": 0}}])
>>> item = store.enqueue_review("e1", "low confidence")
>>> store.resolve_review(item.id, label=1, by="ana").status
'resolved'
>>> store.events("m")["label"].tolist()
[1]
>>> [o.status for o in store.enqueue_reviews([{"event_id": "e1", "reason": "again"},
...     {"event_id": "e1", "reason": "twice"}, {"event_id": "nope", "reason": "?"}])]
['queued', 'already_open', 'refused']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import FieldsJSON, jsonable
from ..exceptions import DataError, InputError, ParameterError
from .dialect import rows_where_in
from .engine import utcnow, writing
from .labels import normalize_label, write_labels
from .monitors import aware
from .references import _name
from .schema import Event, ReviewItem

__all__ = ["ENQUEUE_STATUSES", "REVIEW_STATUSES", "EnqueueOutcome", "ReviewRecord",
           "enqueue_review", "enqueue_reviews", "resolve_review", "review_items"]

REVIEW_STATUSES = ("open", "resolved")
ENQUEUE_STATUSES = ("queued", "already_open", "refused")


@dataclass(frozen=True)
class ReviewRecord(FieldsJSON):
    id: int
    event_id: str
    reason: str
    status: str
    created: dt.datetime
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution: Any


def _item(row: Any) -> ReviewRecord:
    return ReviewRecord(row.id, row.event_id, row.reason, row.status, aware(row.created),
                        aware(row.resolved_at), row.resolved_by, row.resolution)


def enqueue_review(engine: Engine, event_id: str, reason: str) -> ReviewRecord:
    """Put a stored event on the queue (an open item for the same event is reused)."""
    _name(event_id, "event_id")
    if not isinstance(reason, str) or not reason.strip():
        raise ParameterError("reason", expected="a non-empty string", got=repr(reason),
                             fix="say why the prediction needs a human look")
    r, e = ReviewItem.__table__, Event.__table__
    with writing(engine) as conn:
        if conn.execute(sa.select(e.c.id).where(e.c.event_id == event_id)).first() is None:
            raise DataError("review event_id", expected="the event_id of a stored event",
                            got=repr(event_id), fix="ingest the event first")
        row = conn.execute(sa.select(r).where(r.c.event_id == event_id, r.c.status == "open")
                           ).first()
        if row is None:
            item_id = conn.execute(r.insert().values(
                event_id=event_id, reason=reason, status="open", created=utcnow())
                .returning(r.c.id)).scalar_one()
            row = conn.execute(sa.select(r).where(r.c.id == item_id)).one()
    return _item(row)


@dataclass(frozen=True)
class EnqueueOutcome:
    """One item of a batch: ``queued`` (a new item), ``already_open`` (the event's open item,
    not duplicated) or ``refused`` (``error`` says why; nothing was written for it)."""

    index: int
    event_id: Any
    status: str
    item: ReviewRecord | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"index": self.index, "event_id": self.event_id, "status": self.status,
                         "item": None if self.item is None else self.item.to_dict(),
                         "error": self.error})


def _check_item(raw: Any) -> tuple[str, str]:
    if not isinstance(raw, dict):
        raise DataError("review item", expected="a mapping {event_id, reason}",
                        got=type(raw).__name__, fix="send {'event_id': ..., 'reason': ...}")
    event_id, reason = raw.get("event_id"), raw.get("reason")
    _name(event_id, "event_id")
    if not isinstance(reason, str) or not reason.strip():
        raise ParameterError("reason", expected="a non-empty string", got=repr(reason),
                             fix="say why the prediction needs a human look")
    return event_id, reason


def enqueue_reviews(engine: Engine, items: Any) -> tuple[EnqueueOutcome, ...]:
    """Queue a batch of ``{event_id, reason}`` in one transaction: each item is judged alone
    (an unknown event or a malformed item is refused with the reason, the others proceed) and
    an event with an open item (or twice in the batch) gets no second one."""
    if isinstance(items, (str, bytes, dict)) or not hasattr(items, "__iter__"):
        raise ParameterError("review items", expected="a list of {event_id, reason}",
                             got=type(items).__name__, fix="pass a list")
    items = list(items)
    r, e = ReviewItem.__table__, Event.__table__
    checked: list[tuple[str, str] | InputError] = []
    for raw in items:
        try:
            checked.append(_check_item(raw))
        except InputError as exc:
            checked.append(exc)
    ids = sorted({c[0] for c in checked if isinstance(c, tuple)})
    out: list[EnqueueOutcome] = []
    with writing(engine) as conn:
        known = {row.event_id for row in rows_where_in(conn, sa.select(e.c.event_id),
                                                       e.c.event_id, ids)}
        open_rows = {row.event_id: row for row in rows_where_in(
            conn, sa.select(r).where(r.c.status == "open"), r.c.event_id, ids)}
        now = utcnow()
        for index, (raw, c) in enumerate(zip(items, checked)):
            if isinstance(c, InputError):
                got = raw.get("event_id") if isinstance(raw, dict) else None
                out.append(EnqueueOutcome(index, got, "refused", error=str(c)))
                continue
            event_id, reason = c
            if event_id not in known:
                out.append(EnqueueOutcome(index, event_id, "refused", error=str(DataError(
                    "review event_id", expected="the event_id of a stored event",
                    got=repr(event_id), fix="ingest the event first"))))
                continue
            row = open_rows.get(event_id)
            if row is not None:
                out.append(EnqueueOutcome(index, event_id, "already_open", _item(row)))
                continue
            item_id = conn.execute(r.insert().values(
                event_id=event_id, reason=reason, status="open", created=now)
                .returning(r.c.id)).scalar_one()
            row = conn.execute(sa.select(r).where(r.c.id == item_id)).one()
            open_rows[event_id] = row
            out.append(EnqueueOutcome(index, event_id, "queued", _item(row)))
    return tuple(out)


def review_items(engine: Engine, *, status: str | None = "open",
                 limit: int | None = None) -> tuple[ReviewRecord, ...]:
    """Queue items, oldest first; ``status=None`` lists all."""
    r = ReviewItem.__table__
    query = sa.select(r).order_by(r.c.created, r.c.id)
    if status is not None:
        if status not in REVIEW_STATUSES:
            raise ParameterError("status", expected="open, resolved or None", got=repr(status),
                                 fix="pass status='open'")
        query = query.where(r.c.status == status)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        return tuple(_item(x) for x in conn.execute(query).all())


def resolve_review(engine: Engine, item_id: int, *, label: Any, by: str) -> ReviewRecord:
    """Close the item and store ``label`` for its event, in one transaction."""
    _name(by, "resolved by")
    r = ReviewItem.__table__
    with writing(engine) as conn:
        row = conn.execute(sa.select(r).where(r.c.id == item_id)).one_or_none()
        if row is None:
            raise DataError("review item", expected="the id of a queued item", got=repr(item_id),
                            fix="list them with store.review_items()")
        if row.status == "resolved":
            raise DataError("review item", expected="an open item",
                            got=f"item {item_id} resolved by {row.resolved_by}",
                            fix="it is done; re-send a label with add_labels to change it")
        now = utcnow()
        label_row = normalize_label({"event_id": row.event_id, "label": label, "timestamp": now})
        write_labels(conn, [label_row])
        conn.execute(r.update().where(r.c.id == item_id).values(
            status="resolved", resolved_at=now, resolved_by=by, resolution=label_row["label"]))
        out = conn.execute(sa.select(r).where(r.c.id == item_id)).one()
    return _item(out)
