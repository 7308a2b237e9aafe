"""Persisted monitor state: what a monitor's next run continues from.

One row per monitor holds the alert engine's state and the retraining triggers' state (plain
JSON, see :mod:`stalwart.monitoring.alerts`), the end of the last evaluated window (the next
run starts there, so no window is evaluated twice) and when the monitor last ran (the
scheduler's clock). Saving replaces the row; a monitor never run has no row and
:func:`monitor_state` returns an empty record.

A **lease** (``acquire_lease(name, owner, seconds)``, an atomic conditional update) lets one
runner at a time evaluate a monitor, across threads, processes and hosts sharing the
database: a second scheduler (another server worker, a cron job) finds it taken and skips
the monitor; a lease left by a crashed runner expires.

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> store.monitor_state("churn-daily").last_window_end is None
True
>>> rec = store.save_monitor_state("churn-daily", {"engine": {"alerts": {}}},
...                                last_window_end="2026-01-02T00:00Z",
...                                last_run="2026-01-02T01:00Z")
>>> rec.state, rec.last_window_end.isoformat()
({'engine': {'alerts': {}}}, '2026-01-02T00:00:00+00:00')
>>> store.acquire_lease("churn-daily", "worker-1"), store.acquire_lease("churn-daily", "w-2")
(True, False)
>>> store.release_lease("churn-daily", "worker-1"), store.acquire_lease("churn-daily", "w-2")
(True, True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import FieldsJSON, jsonable
from ..exceptions import ParameterError
from .dialect import dialect_insert, insert_ignore
from .engine import utcnow, writing
from .events import to_utc
from .monitors import aware
from .references import _name
from .schema import MonitorState

__all__ = ["MonitorStateRecord", "acquire_lease", "delete_monitor_state", "monitor_state",
           "release_lease", "save_monitor_state"]


@dataclass(frozen=True)
class MonitorStateRecord(FieldsJSON):
    """A monitor's persisted state; ``updated`` is None when it was never saved."""

    monitor: str
    state: dict[str, Any]
    last_window_end: dt.datetime | None
    last_run: dt.datetime | None
    updated: dt.datetime | None


def monitor_state(engine: Engine, monitor: str) -> MonitorStateRecord:
    """The saved state of ``monitor`` (an empty record when it never ran)."""
    _name(monitor, "monitor name")
    t = MonitorState.__table__
    with engine.connect() as conn:
        row = conn.execute(sa.select(t).where(t.c.monitor == monitor)).one_or_none()
    if row is None:
        return MonitorStateRecord(monitor, {}, None, None, None)
    return MonitorStateRecord(row.monitor, row.state, aware(row.last_window_end),
                              aware(row.last_run), aware(row.updated))


def save_monitor_state(engine: Engine, monitor: str, state: dict[str, Any], *,
                       last_window_end: Any = None, last_run: Any = None
                       ) -> MonitorStateRecord:
    """Create or replace the state of ``monitor``; ``None`` bounds keep the saved ones."""
    _name(monitor, "monitor name")
    if not isinstance(state, dict):
        raise ParameterError("monitor state", expected="a dict (stored as JSON)",
                             got=type(state).__name__, fix="pass the run's state dict")
    values: dict[str, Any] = {"monitor": monitor, "state": jsonable(state), "updated": utcnow()}
    if last_window_end is not None:
        values["last_window_end"] = to_utc(last_window_end, "last_window_end")
    if last_run is not None:
        values["last_run"] = to_utc(last_run, "last_run")
    t = MonitorState.__table__
    with writing(engine) as conn:
        stmt = dialect_insert(conn, t)
        stmt = stmt.on_conflict_do_update(
            index_elements=["monitor"],
            set_={k: stmt.excluded[k] for k in values if k != "monitor"})
        conn.execute(stmt, values)
    return monitor_state(engine, monitor)


def delete_monitor_state(engine: Engine, monitor: str) -> bool:
    """Forget ``monitor``'s state (its next run starts afresh); True if there was one."""
    t = MonitorState.__table__
    with writing(engine) as conn:
        return conn.execute(t.delete().where(t.c.monitor == monitor)).rowcount > 0


def acquire_lease(engine: Engine, monitor: str, owner: str, *, seconds: float = 600.0) -> bool:
    """Take (or extend) the run lease of ``monitor`` for ``seconds``; False when another
    owner holds an unexpired one."""
    _name(monitor, "monitor name")
    _name(owner, "lease owner")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
        raise ParameterError("lease seconds", expected="a duration > 0", got=repr(seconds),
                             fix="pass seconds=600")
    now = utcnow()
    t = MonitorState.__table__
    with writing(engine) as conn:
        conn.execute(insert_ignore(conn, t, ["monitor"]),
                     {"monitor": monitor, "state": {}, "updated": now})
        free = sa.or_(t.c.lease_until.is_(None), t.c.lease_until < now,
                      t.c.lease_owner == owner)
        taken = conn.execute(t.update().where(t.c.monitor == monitor, free).values(
            lease_owner=owner, lease_until=now + dt.timedelta(seconds=float(seconds))))
        return taken.rowcount == 1


def release_lease(engine: Engine, monitor: str, owner: str) -> bool:
    """Give the lease back (only its owner can); True if it was held by ``owner``."""
    t = MonitorState.__table__
    with writing(engine) as conn:
        return conn.execute(t.update().where(t.c.monitor == monitor, t.c.lease_owner == owner)
                            .values(lease_owner=None, lease_until=None)).rowcount == 1
