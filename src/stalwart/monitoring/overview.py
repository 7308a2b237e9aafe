"""What the dashboard lists: every model with its aggregates, and the review queue with the
events the items point at.

:func:`models_overview` counts in SQL (events per model, last event time) and joins the
store's models, versions, monitors and alerts; an alert belongs to the model of its monitor
(alerts of monitors no longer saved are counted in ``unassigned_alerts``).
:func:`review_queue` returns review items with their event's model, features and outputs.

>>> from stalwart.store import open_store
>>> store = open_store("sqlite://")
>>> _ = store.ingest_events([{"event_id": f"e{i}", "timestamp": f"2026-01-0{i + 1}T00:00Z",
...     "model": "m", "model_version": str(1 + i // 2), "features": {"x": i},
...     "outputs": {"prediction": 1}} for i in range(3)])
>>> _ = store.save_monitor("m-daily", "m", {"window": "1D"})
>>> _ = store.upsert_alert("m-daily", "drift", severity="critical")
>>> row = models_overview(store).models[0]
>>> row.name, row.versions, row.n_events, row.last_event, row.monitors, row.open_alerts
('m', ('1', '2'), 3, '2026-01-03T00:00:00Z', ('m-daily',), {'critical': 1})
>>> _ = store.enqueue_review("e1", "low confidence")
>>> item = review_queue(store)[0]
>>> item.event_id, item.model, item.features, item.outputs
('e1', 'm', {'x': 1}, {'prediction': 1})
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from .._json import FieldsJSON
from ..store.schema import Event

__all__ = ["ModelSummary", "ModelsOverview", "ReviewEntry", "models_overview", "review_queue"]

SCHEMA_VERSION = "1.0"


def _iso(value: dt.datetime | None) -> str | None:
    """A stored naive-UTC time as ISO-8601 with a ``Z``."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.isoformat() + "Z"


@dataclass(frozen=True)
class ModelSummary(FieldsJSON):
    """One model: its versions, event count, first and last event times (ISO-8601 UTC), its
    monitors and its non-resolved alerts by status and by severity."""

    name: str
    description: str | None
    versions: tuple[str, ...]
    n_events: int
    first_event: str | None
    last_event: str | None
    monitors: tuple[str, ...]
    open_alerts: dict[str, int]
    acknowledged_alerts: dict[str, int]


@dataclass(frozen=True)
class ModelsOverview:
    """Every model of the store (sorted by name) and the alerts no saved monitor owns."""

    models: tuple[ModelSummary, ...]
    unassigned_alerts: dict[str, int] = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version,
                "models": [m.to_dict() for m in self.models],
                "unassigned_alerts": dict(self.unassigned_alerts)}


def _event_counts(store: Any) -> dict[str, tuple[int, Any, Any]]:
    e = Event.__table__
    query = sa.select(e.c.model, sa.func.count(), sa.func.min(e.c.timestamp),
                      sa.func.max(e.c.timestamp)).group_by(e.c.model)
    with store.engine.connect() as conn:
        return {row[0]: (int(row[1]), row[2], row[3]) for row in conn.execute(query)}


def models_overview(store: Any) -> ModelsOverview:
    """Aggregates per model: versions, events, last event, monitors, alerts by severity."""
    counts = _event_counts(store)
    described = {m.name: m.description for m in store.models()}
    monitors = store.monitors()
    owner = {m.name: m.model for m in monitors}
    names = sorted(set(described) | set(counts) | set(owner.values()))
    alerts: dict[str, dict[str, dict[str, int]]] = {n: {"open": {}, "acknowledged": {}}
                                                    for n in names}
    unassigned: dict[str, int] = {}
    for alert in store.alerts():
        if alert.status == "resolved":
            continue
        model = owner.get(alert.monitor)
        bucket = unassigned if model is None else alerts[model][alert.status]
        bucket[alert.severity] = bucket.get(alert.severity, 0) + 1
    rows = []
    for name in names:
        n_events, first, last = counts.get(name, (0, None, None))
        rows.append(ModelSummary(
            name=name, description=described.get(name),
            versions=tuple(sorted(v.version for v in store.versions(name))),
            n_events=n_events, first_event=_iso(first), last_event=_iso(last),
            monitors=tuple(sorted(m.name for m in monitors if m.model == name)),
            open_alerts=alerts[name]["open"],
            acknowledged_alerts=alerts[name]["acknowledged"]))
    return ModelsOverview(tuple(rows), unassigned)


@dataclass(frozen=True)
class ReviewEntry(FieldsJSON):
    """A review item with its event: model, version, time, features, outputs and label."""

    id: int
    event_id: str
    reason: str
    status: str
    created: str | None
    resolved_by: str | None
    resolution: Any
    model: str | None
    model_version: str | None
    timestamp: str | None
    features: dict[str, Any]
    outputs: dict[str, Any]


def review_queue(store: Any, *, status: str | None = "open", limit: int | None = 100
                 ) -> tuple[ReviewEntry, ...]:
    """Review items (``status`` open, resolved or None for all; oldest first) with their
    events' features and outputs."""
    items = store.review_items(status, limit=limit)
    e = Event.__table__
    ids = [item.event_id for item in items]
    found: dict[str, Any] = {}
    if ids:
        query = sa.select(e.c.event_id, e.c.model, e.c.model_version, e.c.timestamp,
                          e.c.features, e.c.outputs).where(e.c.event_id.in_(ids))
        with store.engine.connect() as conn:
            found = {row.event_id: row for row in conn.execute(query)}
    out = []
    for item in items:
        row = found.get(item.event_id)
        out.append(ReviewEntry(
            id=item.id, event_id=item.event_id, reason=item.reason, status=item.status,
            created=_iso(item.created), resolved_by=item.resolved_by,
            resolution=item.resolution,
            model=None if row is None else row.model,
            model_version=None if row is None else row.model_version,
            timestamp=None if row is None else _iso(row.timestamp),
            features={} if row is None else dict(row.features or {}),
            outputs={} if row is None else dict(row.outputs or {})))
    return tuple(out)
