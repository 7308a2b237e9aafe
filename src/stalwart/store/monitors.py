"""Monitors (a name, a model and a JSON spec) and their per-window results.

Saving a window result for the same monitor and window again replaces it, so re-evaluating
a window is idempotent. A spec that carries the keys of a schedulable monitor
(``schema_version``, i.e. ``MonitorSpec.to_dict()`` output, or any of ``rules``,
``channels``, ``triggers``, ``schedule``, ``reference``, ``review``) is validated on save
(:meth:`stalwart.monitoring.MonitorSpec.from_dict`; its ``name`` and ``model``, when given,
must match, and its channels must be saved in the store); other dicts are stored as given.

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> store.save_monitor("churn-drift", "churn", {"window": "1d"}).spec
{'window': '1d'}
>>> _ = store.save_window_result("churn-drift", "2026-01-01", "2026-01-02", 10,
...                              {"drift_share": 0.1}, {"passed": True})
>>> [w.metrics for w in store.window_results("churn-drift")]
[{'drift_share': 0.1}]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .._json import FieldsJSON, jsonable
from ..exceptions import DataError, ParameterError
from .dialect import dialect_insert
from .engine import utcnow, writing
from .events import to_utc
from .references import _name
from .schema import Monitor, WindowResult

__all__ = ["MonitorRecord", "WindowRecord", "check_saved_spec", "delete_monitor", "monitor",
           "monitors", "save_monitor", "save_window_result", "window_results"]

UTC = dt.timezone.utc


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC value as an aware UTC datetime."""
    return None if value is None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class MonitorRecord(FieldsJSON):
    name: str
    model: str
    spec: dict[str, Any]
    created: dt.datetime
    updated: dt.datetime


@dataclass(frozen=True)
class WindowRecord(FieldsJSON):
    id: int
    monitor: str
    window_start: dt.datetime
    window_end: dt.datetime
    n_events: int
    metrics: dict[str, Any]
    result: dict[str, Any]
    created: dt.datetime


def _spec(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ParameterError(what, expected="a dict (stored as JSON)", got=type(value).__name__,
                             fix=f"pass {what} as a dict")
    return jsonable(value)


def _monitor(row: Any) -> MonitorRecord:
    return MonitorRecord(row.name, row.model, row.spec, aware(row.created), aware(row.updated))


_SCHEDULABLE = ("schema_version", "rules", "channels", "triggers", "schedule", "reference",
                "review")


def check_saved_spec(engine: Engine, name: str, model: str, spec: dict[str, Any]
                     ) -> dict[str, Any]:
    """The spec to store: a schedulable spec is parsed (and normalised), others pass as is."""
    if not isinstance(spec, dict) or not any(k in spec for k in _SCHEDULABLE):
        return spec
    from ..monitoring.spec import MonitorSpec  # same layer; a lazy import keeps store light

    for key, want in (("name", name), ("model", model)):
        if spec.get(key) not in (None, want):
            raise ParameterError(f"spec {key}", expected=f"{want!r} (the monitor's {key})",
                                 got=repr(spec.get(key)), fix=f"drop {key!r} from the spec "
                                 "or make it match")
    parsed = MonitorSpec.from_dict({**spec, "name": name, "model": model})
    from .alerts import channels as saved_channels

    known = {c.name for c in saved_channels(engine)}
    missing = [c for c in parsed.channels if c not in known]
    if missing:
        raise ParameterError("spec channels", expected="names of channels saved in the store "
                             f"({sorted(known) or 'none saved'})", got=repr(missing),
                             fix="store.save_channel(name, kind, config) first")
    return parsed.to_dict()


def save_monitor(engine: Engine, name: str, model: str, spec: dict[str, Any]) -> MonitorRecord:
    """Create or replace the monitor ``name`` (a schedulable spec is validated first)."""
    _name(name, "monitor name")
    _name(model, "model name")
    spec = check_saved_spec(engine, name, model, spec)
    now = utcnow()
    with writing(engine) as conn:
        stmt = dialect_insert(conn, Monitor.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["name"], set_={"model": stmt.excluded.model,
                                           "spec": stmt.excluded.spec, "updated": now})
        conn.execute(stmt, {"name": name, "model": model, "spec": _spec(spec, "spec"),
                            "created": now, "updated": now})
    return monitor(engine, name)


def monitor(engine: Engine, name: str) -> MonitorRecord:
    m = Monitor.__table__
    with engine.connect() as conn:
        row = conn.execute(sa.select(m).where(m.c.name == name)).one_or_none()
    if row is None:
        raise DataError("monitor", expected="the name of a saved monitor", got=repr(name),
                        fix="save it first with store.save_monitor(name, model, spec)")
    return _monitor(row)


def monitors(engine: Engine, *, model: str | None = None) -> tuple[MonitorRecord, ...]:
    m = Monitor.__table__
    query = sa.select(m).order_by(m.c.name)
    if model is not None:
        query = query.where(m.c.model == model)
    with engine.connect() as conn:
        return tuple(_monitor(r) for r in conn.execute(query).all())


def delete_monitor(engine: Engine, name: str) -> bool:
    m = Monitor.__table__
    with writing(engine) as conn:
        return conn.execute(m.delete().where(m.c.name == name)).rowcount > 0


def save_window_result(engine: Engine, monitor: str, window_start: Any, window_end: Any,
                       n_events: int, metrics: dict[str, Any], result: dict[str, Any]) -> int:
    """Store (or replace) one window's result; return its id."""
    _name(monitor, "monitor name")
    start, end = to_utc(window_start, "window_start"), to_utc(window_end, "window_end")
    if end <= start:
        raise ParameterError("window", expected="window_start < window_end",
                             got=f"{start} .. {end}", fix="pass the window's bounds in order")
    if isinstance(n_events, bool) or not isinstance(n_events, int) or n_events < 0:
        raise ParameterError("n_events", expected="an integer >= 0", got=repr(n_events),
                             fix="pass the number of events in the window")
    w = WindowResult.__table__
    values = {"monitor": monitor, "window_start": start, "window_end": end,
              "n_events": n_events, "metrics": _spec(metrics, "metrics"),
              "result": _spec(result, "result"), "created": utcnow()}
    with writing(engine) as conn:
        stmt = dialect_insert(conn, w)
        stmt = stmt.on_conflict_do_update(
            index_elements=["monitor", "window_start", "window_end"],
            set_={k: stmt.excluded[k] for k in ("n_events", "metrics", "result", "created")})
        conn.execute(stmt, values)
        return conn.execute(sa.select(w.c.id).where(
            w.c.monitor == monitor, w.c.window_start == start, w.c.window_end == end)).scalar_one()


def window_results(engine: Engine, monitor: str, *, start: Any = None,
                   end: Any = None) -> tuple[WindowRecord, ...]:
    """Windows of ``monitor`` starting in ``[start, end)``, oldest first."""
    w = WindowResult.__table__
    query = sa.select(w).where(w.c.monitor == monitor).order_by(w.c.window_start, w.c.id)
    if start is not None:
        query = query.where(w.c.window_start >= to_utc(start, "start"))
    if end is not None:
        query = query.where(w.c.window_start < to_utc(end, "end"))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return tuple(WindowRecord(r.id, r.monitor, aware(r.window_start), aware(r.window_end),
                              r.n_events, r.metrics, r.result, aware(r.created)) for r in rows)
