"""Alerts deduplicated by fingerprint, and notification channels.

An alert that fires again while open or acknowledged grows (``count``, ``last_seen``); once
resolved, the next firing opens a new alert.

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> a = store.upsert_alert("m", "drift", severity="warning", fingerprint="m/drift")
>>> b = store.upsert_alert("m", "drift", severity="warning", fingerprint="m/drift")
>>> (a.id == b.id, b.count, b.status)
(True, 2, 'open')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import FieldsJSON
from ..exceptions import DataError, ParameterError
from .dialect import dialect_insert
from .engine import utcnow, writing
from .events import to_utc
from .monitors import _spec, aware
from .references import _name
from .schema import Alert, Channel

__all__ = ["ALERT_STATUSES", "SEVERITIES", "AlertRecord", "ChannelRecord", "alerts", "channel",
           "channels", "delete_channel", "save_channel", "set_alert_status", "upsert_alert"]

ALERT_STATUSES = ("open", "acknowledged", "resolved")
SEVERITIES = ("info", "warning", "critical")


@dataclass(frozen=True)
class AlertRecord(FieldsJSON):
    id: int
    monitor: str
    rule: str
    severity: str
    status: str
    fingerprint: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    count: int
    context: dict[str, Any]


@dataclass(frozen=True)
class ChannelRecord(FieldsJSON):
    name: str
    kind: str
    config: dict[str, Any]


def _choice(value: Any, what: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ParameterError(what, expected="one of " + ", ".join(allowed), got=repr(value),
                             fix=f"pass {what}={allowed[0]!r}")
    return value


def _alert(row: Any) -> AlertRecord:
    return AlertRecord(row.id, row.monitor, row.rule, row.severity, row.status, row.fingerprint,
                       aware(row.first_seen), aware(row.last_seen), row.count, row.context)


def upsert_alert(engine: Engine, monitor: str, rule: str, *, severity: str = "warning",
                 fingerprint: str | None = None, context: dict[str, Any] | None = None,
                 at: Any = None) -> AlertRecord:
    """Open an alert, or count one more firing of the unresolved alert with this fingerprint."""
    _name(monitor, "monitor name")
    _name(rule, "rule name")
    _choice(severity, "severity", SEVERITIES)
    fingerprint = _name(fingerprint or f"{monitor}/{rule}", "fingerprint")
    ctx = _spec(context or {}, "context")
    when = utcnow() if at is None else to_utc(at, "at")
    a = Alert.__table__
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":  # SQLite: BEGIN IMMEDIATE already serialises
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:f))"),
                         {"f": f"stalwart.alert:{fingerprint}"})
        row = conn.execute(sa.select(a).where(a.c.fingerprint == fingerprint,
                                              a.c.status != "resolved")
                           .order_by(a.c.id.desc()).limit(1)).one_or_none()
        if row is None:
            new_id = conn.execute(a.insert().values(
                monitor=monitor, rule=rule, severity=severity, status="open",
                fingerprint=fingerprint, first_seen=when, last_seen=when, count=1,
                context=ctx).returning(a.c.id)).scalar_one()
        else:
            new_id = row.id
            conn.execute(a.update().where(a.c.id == row.id).values(
                count=a.c.count + 1, last_seen=sa.func.max(a.c.last_seen, when)
                if conn.dialect.name == "sqlite" else sa.func.greatest(a.c.last_seen, when),
                severity=severity, context=ctx))
        out = conn.execute(sa.select(a).where(a.c.id == new_id)).one()
    return _alert(out)


def alerts(engine: Engine, *, status: str | None = None,
           monitor: str | None = None) -> tuple[AlertRecord, ...]:
    """Alerts, newest activity first, optionally one status or one monitor."""
    a = Alert.__table__
    query = sa.select(a).order_by(a.c.last_seen.desc(), a.c.id.desc())
    if status is not None:
        query = query.where(a.c.status == _choice(status, "status", ALERT_STATUSES))
    if monitor is not None:
        query = query.where(a.c.monitor == monitor)
    with engine.connect() as conn:
        return tuple(_alert(r) for r in conn.execute(query).all())


def set_alert_status(engine: Engine, alert_id: int, status: str) -> AlertRecord:
    _choice(status, "status", ALERT_STATUSES)
    a = Alert.__table__
    with writing(engine) as conn:
        if conn.execute(a.update().where(a.c.id == alert_id).values(status=status)).rowcount != 1:
            raise DataError("alert", expected="the id of a stored alert", got=repr(alert_id),
                            fix="list them with store.alerts()")
        return _alert(conn.execute(sa.select(a).where(a.c.id == alert_id)).one())


def save_channel(engine: Engine, name: str, kind: str, config: dict[str, Any]) -> ChannelRecord:
    """Create or replace the channel ``name`` (``kind`` such as log, webhook, email)."""
    _name(name, "channel name")
    _name(kind, "channel kind")
    values = {"name": name, "kind": kind, "config": _spec(config, "config")}
    with writing(engine) as conn:
        stmt = dialect_insert(conn, Channel.__table__)
        stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={
            "kind": stmt.excluded.kind, "config": stmt.excluded.config})
        conn.execute(stmt, values)
    return ChannelRecord(name, kind, values["config"])


def channel(engine: Engine, name: str) -> ChannelRecord:
    c = Channel.__table__
    with engine.connect() as conn:
        row = conn.execute(sa.select(c).where(c.c.name == name)).one_or_none()
    if row is None:
        raise DataError("channel", expected="the name of a saved channel", got=repr(name),
                        fix="save it first with store.save_channel(name, kind, config)")
    return ChannelRecord(row.name, row.kind, row.config)


def channels(engine: Engine) -> tuple[ChannelRecord, ...]:
    c = Channel.__table__
    with engine.connect() as conn:
        rows = conn.execute(sa.select(c).order_by(c.c.name)).all()
    return tuple(ChannelRecord(r.name, r.kind, r.config) for r in rows)


def delete_channel(engine: Engine, name: str) -> bool:
    c = Channel.__table__
    with writing(engine) as conn:
        return conn.execute(c.delete().where(c.c.name == name)).rowcount > 0
