"""Escalations: reported bad predictions, their SLA clock and their analysis.

An escalation names a stored prediction event (``event_id``, which must be stored and
belong to the model) or carries the input itself (``payload``, a JSON object), with a
severity from :data:`SEVERITIES`, optionally the customer (defaulting to the event's
segment) and the expected output. ``due_at`` is when it must be fixed: a time, or a
``timedelta`` after ``reported_at`` (the SLA policy per severity belongs to the caller).

Its status moves along :data:`TRANSITIONS`: ``open -> analysed -> fixed -> closed``, with
shortcuts (``open -> fixed``, ``open | analysed -> closed``) and re-opening
(``fixed | closed -> open``); moving to ``analysed`` needs an analysis (a JSON object,
such as a root-cause report's ``to_dict()``). ``resolved_at`` is set when it becomes
fixed or closed and cleared when it re-opens. An escalation is **overdue** when it is
open or analysed after its ``due_at``. A refused call changes nothing.

>>> import datetime as dt
>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> _ = store.ingest_events([{"event_id": "e1", "timestamp": "2026-01-01T00:00:00Z",
...     "model": "m", "model_version": "1", "segment": "acme", "features": {"x": 1},
...     "outputs": {"prediction": 0}}])
>>> esc = store.add_escalation("m", event_id="e1", severity="high", expected=1,
...                            reported_at="2026-01-02T09:00Z", due_at=dt.timedelta(hours=8))
>>> esc.customer, esc.status, esc.due_at.isoformat()
('acme', 'open', '2026-01-02T17:00:00+00:00')
>>> [e.id for e in store.overdue_escalations(now="2026-01-02T18:00Z")] == [esc.id]
True
>>> store.update_escalation(esc.id, status="analysed", analysis={"cause": "unit_change"}).status
'analysed'
>>> store.update_escalation(esc.id, status="fixed", at="2026-01-02T16:00Z").resolved_at.hour
16
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import FieldsJSON
from ..exceptions import DataError, ParameterError
from .engine import utcnow, writing
from .events import to_utc
from .monitors import aware
from .references import _name
from .rule_sets import json_value
from .schema import Escalation, Event

__all__ = ["ESCALATION_SEVERITIES", "ESCALATION_STATUSES", "SEVERITIES", "TRANSITIONS",
           "UNRESOLVED", "EscalationRecord", "add_escalation", "escalation", "escalations",
           "overdue_escalations", "update_escalation"]

#: escalation severities, lowest first (not the alerts' info / warning / critical)
SEVERITIES = ("low", "medium", "high", "critical")
ESCALATION_SEVERITIES = SEVERITIES
ESCALATION_STATUSES = ("open", "analysed", "fixed", "closed")
#: status -> the statuses it may move to (staying put is always allowed)
TRANSITIONS: dict[str, tuple[str, ...]] = {"open": ("analysed", "fixed", "closed"),
                                           "analysed": ("fixed", "closed"),
                                           "fixed": ("closed", "open"),
                                           "closed": ("open",)}
#: the statuses whose SLA clock still runs
UNRESOLVED = ("open", "analysed")
_UNSET: Any = object()


@dataclass(frozen=True)
class EscalationRecord(FieldsJSON):
    id: int
    model: str
    event_id: str | None
    payload: dict[str, Any] | None
    severity: str
    customer: str | None
    expected: Any
    reported_at: dt.datetime
    due_at: dt.datetime
    status: str
    resolved_at: dt.datetime | None
    analysis: dict[str, Any] | None
    note: str | None

    def is_overdue(self, now: Any = None) -> bool:
        """Unresolved after ``due_at`` (``now`` defaults to the current time)."""
        moment = aware(utcnow() if now is None else to_utc(now, "now"))
        return self.status in UNRESOLVED and moment > self.due_at


def _record(row: Any) -> EscalationRecord:
    return EscalationRecord(row.id, row.model, row.event_id, row.payload, row.severity,
                            row.customer, row.expected, aware(row.reported_at),
                            aware(row.due_at), row.status, aware(row.resolved_at), row.analysis,
                            row.note)


def _choice(value: Any, what: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ParameterError(what, expected="one of " + ", ".join(allowed), got=repr(value),
                             fix=f"pass {what}={allowed[0]!r}")
    return value


def _note(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ParameterError("note", expected="a string or None", got=type(value).__name__,
                             fix="pass note='what was done'")
    return value


def _due(due_at: Any, reported: dt.datetime) -> dt.datetime:
    if isinstance(due_at, dt.timedelta):
        if due_at <= dt.timedelta(0):
            raise ParameterError("due_at", expected="a positive timedelta (the SLA)",
                                 got=repr(due_at), fix="pass e.g. timedelta(hours=8)")
        return reported + due_at
    if due_at is None:
        raise ParameterError("due_at", expected="a date-time or a timedelta after reported_at",
                             got="None", fix="pass the SLA, e.g. due_at=timedelta(hours=8)")
    when = to_utc(due_at, "due_at")
    if when < reported:
        raise ParameterError("due_at", expected=f"not before reported_at ({reported}Z)",
                             got=f"{when}Z", fix="pass a later due_at")
    return when


def add_escalation(engine: Engine, model: str, *, severity: str, due_at: Any,
                   event_id: str | None = None, payload: Mapping[str, Any] | None = None,
                   customer: str | None = None, expected: Any = None,
                   reported_at: Any = None, note: str | None = None) -> EscalationRecord:
    """Record a reported bad prediction (status ``open``); see the module docstring."""
    _name(model, "model name")
    _choice(severity, "severity", SEVERITIES)
    if event_id is None and payload is None:
        raise ParameterError("escalation", expected="event_id= (a stored event) or payload= "
                             "(the input as a JSON object)", got="neither",
                             fix="pass the event id of the bad prediction, or its input")
    if event_id is not None:
        _name(event_id, "event_id")
    doc = None if payload is None else json_value(payload, "payload", object_only=True)
    if customer is not None:
        _name(customer, "customer")
    wanted = None if expected is None else json_value(expected, "expected")
    reported = utcnow() if reported_at is None else to_utc(reported_at, "reported_at")
    due = _due(due_at, reported)
    e, x = Escalation.__table__, Event.__table__
    with writing(engine) as conn:
        if event_id is not None:
            row = conn.execute(sa.select(x.c.model, x.c.segment).where(x.c.event_id == event_id)
                               ).one_or_none()
            if row is None:
                raise DataError("escalation event_id", expected="the event_id of a stored "
                                "prediction event", got=repr(event_id),
                                fix="check the id, or escalate with payload= (the input)")
            if row.model != model:
                raise DataError("escalation event_id", expected=f"an event of model {model!r}",
                                got=f"{event_id!r} is an event of model {row.model!r}",
                                fix=f"escalate it under model {row.model!r}")
            if customer is None:
                customer = row.segment
        new_id = conn.execute(e.insert().values(
            model=model, event_id=event_id, payload=doc, severity=severity, customer=customer,
            expected=wanted, reported_at=reported, due_at=due, status="open", note=_note(note))
            .returning(e.c.id)).scalar_one()
        out = conn.execute(sa.select(e).where(e.c.id == new_id)).one()
    return _record(out)


def _get(conn: sa.Connection, escalation_id: Any) -> Any:
    e = Escalation.__table__
    if isinstance(escalation_id, bool) or not isinstance(escalation_id, int):
        raise ParameterError("escalation id", expected="an integer id", got=repr(escalation_id),
                             fix="pass the id of add_escalation's record")
    row = conn.execute(sa.select(e).where(e.c.id == escalation_id)).one_or_none()
    if row is None:
        raise DataError("escalation", expected="the id of a stored escalation",
                        got=repr(escalation_id), fix="list them with store.escalations()")
    return row


def escalation(engine: Engine, escalation_id: int) -> EscalationRecord:
    with engine.connect() as conn:
        return _record(_get(conn, escalation_id))


def escalations(engine: Engine, *, model: str | None = None, status: str | None = None,
                customer: str | None = None, severity: str | None = None,
                limit: int | None = None) -> tuple[EscalationRecord, ...]:
    """Escalations in the order they were reported, optionally filtered."""
    e = Escalation.__table__
    query = sa.select(e).order_by(e.c.reported_at, e.c.id)
    if model is not None:
        query = query.where(e.c.model == model)
    if status is not None:
        query = query.where(e.c.status == _choice(status, "status", ESCALATION_STATUSES))
    if customer is not None:
        query = query.where(e.c.customer == customer)
    if severity is not None:
        query = query.where(e.c.severity == _choice(severity, "severity", SEVERITIES))
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        return tuple(_record(r) for r in conn.execute(query).all())


def overdue_escalations(engine: Engine, *, now: Any = None,
                        model: str | None = None) -> tuple[EscalationRecord, ...]:
    """Open or analysed escalations past their ``due_at`` at ``now``, most overdue first."""
    moment = utcnow() if now is None else to_utc(now, "now")
    e = Escalation.__table__
    query = (sa.select(e).where(e.c.status.in_(UNRESOLVED), e.c.due_at < moment)
             .order_by(e.c.due_at, e.c.id))
    if model is not None:
        query = query.where(e.c.model == model)
    with engine.connect() as conn:
        return tuple(_record(r) for r in conn.execute(query).all())


def update_escalation(engine: Engine, escalation_id: int, *, status: str | None = None,
                      analysis: Any = _UNSET, note: Any = _UNSET,
                      at: Any = None) -> EscalationRecord:
    """Move the status (along :data:`TRANSITIONS`), store an analysis (a JSON object) and/or
    replace the note; ``at`` (default now) is the time of a resolution."""
    if status is None and analysis is _UNSET and note is _UNSET:
        raise ParameterError("escalation update", expected="status=, analysis= or note=",
                             got="none of them", fix="say what changed")
    if status is not None:
        _choice(status, "status", ESCALATION_STATUSES)
    values: dict[str, Any] = {}
    if analysis is not _UNSET:
        values["analysis"] = json_value(analysis, "analysis", object_only=True)
    if note is not _UNSET:
        values["note"] = _note(note)
    when = utcnow() if at is None else to_utc(at, "at")
    e = Escalation.__table__
    with writing(engine) as conn:
        row = _get(conn, escalation_id)
        if "analysis" in values and row.status == "closed" and status != "open":
            raise DataError(f"escalation {escalation_id}", expected="an escalation that is not "
                            "closed, to store an analysis", got="status 'closed'",
                            fix="re-open it with status='open' first")
        if status is not None and status != row.status:
            if status not in TRANSITIONS[row.status]:
                allowed = ", ".join(TRANSITIONS[row.status])
                raise DataError(f"escalation {escalation_id} status",
                                expected=f"a move from {row.status!r} to one of: {allowed}",
                                got=repr(status), fix="follow open -> analysed -> fixed -> "
                                "closed (re-open with status='open')")
            if status == "analysed" and values.get("analysis", row.analysis) is None:
                raise DataError(f"escalation {escalation_id} status",
                                expected="an analysis to mark it 'analysed'", got="none stored",
                                fix="pass analysis=report.to_dict() with status='analysed'")
            values["status"] = status
            if status == "open":
                values["resolved_at"] = None
            elif row.status in UNRESOLVED and status in ("fixed", "closed"):
                values["resolved_at"] = when
        if values:
            conn.execute(e.update().where(e.c.id == escalation_id).values(**values))
        out = conn.execute(sa.select(e).where(e.c.id == escalation_id)).one()
    return _record(out)
