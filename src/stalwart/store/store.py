"""The :class:`Store` facade and :func:`open_store`.

>>> store = open_store("sqlite://")
>>> store.ingest_events([{"event_id": "e1", "timestamp": "2026-01-01T00:00:00Z",
...     "model": "m", "model_version": "1", "features": {"x": 1},
...     "outputs": {"prediction": 0}}]).accepted
1
>>> list(store.events("m").columns)[:3]
['event_id', 'timestamp', 'model']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from . import alerts as _alerts
from . import event_queries as _queries
from . import escalations as _esc
from . import events as _events
from . import labels as _labels
from . import monitors as _monitors
from . import references as _refs
from . import review as _review
from . import rule_sets as _rules
from . import state as _state
from . import versions_registry as _registry
from .engine import create_store_engine, migrate

__all__ = ["Store", "open_store"]


def open_store(url: str | None = None, *, workspace: str | Path | None = None) -> Store:
    """Open (creating and migrating as needed) the store at ``url``.

    ``None`` means the SQLite file ``<workspace>/stalwart.db``, the workspace defaulting to
    ``Settings.from_env().workspace``; PostgreSQL by URL such as
    ``postgresql+psycopg://postgres@127.0.0.1:5432/test``.
    """
    engine = create_store_engine(url, workspace=workspace)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


class Store:
    """Events, labels, references, monitors (with their window results and persisted state),
    alerts, channels, review queue."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # events and labels
    def ingest_events(self, events: Iterable[Any]) -> _events.IngestResult:
        return _events.ingest_events(self.engine, events)

    def add_labels(self, labels: Iterable[Any]) -> _events.IngestResult:
        return _labels.add_labels(self.engine, labels)

    def events(self, model: str, *, start: Any = None, end: Any = None,
               segment: str | None = None, model_version: str | None = None,
               with_labels: bool = True, limit: int | None = None,
               newest_first: bool = False) -> pd.DataFrame:
        return _queries.events_frame(self.engine, model, start=start, end=end, segment=segment,
                                    model_version=model_version, with_labels=with_labels,
                                    limit=limit, newest_first=newest_first)

    def iter_events(self, model: str, *, start: Any = None, end: Any = None,
                    segment: str | None = None, model_version: str | None = None,
                    with_labels: bool = True, chunk_size: int = 10_000
                    ) -> Iterator[pd.DataFrame]:
        return _queries.iter_events(self.engine, model, start=start, end=end, segment=segment,
                                   model_version=model_version, with_labels=with_labels,
                                   chunk_size=chunk_size)

    # models, versions, references
    def register_model(self, name: str, *, description: str | None = None) -> None:
        _refs.register_model(self.engine, name, description=description)

    def register_version(self, model: str, version: str, *,
                         metadata: dict[str, Any] | None = None) -> None:
        _refs.register_version(self.engine, model, version, metadata=metadata)

    def models(self) -> tuple[_refs.ModelRecord, ...]:
        return _refs.models(self.engine)

    def versions(self, model: str) -> tuple[_refs.VersionRecord, ...]:
        return _refs.versions(self.engine, model)

    def save_reference(self, model: str, profile: Any, *, name: str = "default") -> None:
        _refs.save_reference(self.engine, model, profile, name=name)

    def load_reference(self, model: str, *, name: str = "default") -> Any:
        return _refs.load_reference(self.engine, model, name=name)

    def references(self, model: str) -> tuple[str, ...]:
        return _refs.references(self.engine, model)

    # monitors and windows
    def save_monitor(self, name: str, model: str, spec: dict[str, Any]
                     ) -> _monitors.MonitorRecord:
        return _monitors.save_monitor(self.engine, name, model, spec)

    def monitor(self, name: str) -> _monitors.MonitorRecord:
        return _monitors.monitor(self.engine, name)

    def monitors(self, *, model: str | None = None) -> tuple[_monitors.MonitorRecord, ...]:
        return _monitors.monitors(self.engine, model=model)

    def delete_monitor(self, name: str) -> bool:
        return _monitors.delete_monitor(self.engine, name)

    def save_window_result(self, monitor: str, window_start: Any, window_end: Any,
                           n_events: int, metrics: dict[str, Any],
                           result: dict[str, Any]) -> int:
        return _monitors.save_window_result(self.engine, monitor, window_start, window_end,
                                            n_events, metrics, result)

    def window_results(self, monitor: str, *, start: Any = None, end: Any = None
                       ) -> tuple[_monitors.WindowRecord, ...]:
        return _monitors.window_results(self.engine, monitor, start=start, end=end)

    def monitor_state(self, name: str) -> _state.MonitorStateRecord:
        return _state.monitor_state(self.engine, name)

    def save_monitor_state(self, name: str, state: dict[str, Any], *,
                           last_window_end: Any = None, last_run: Any = None
                           ) -> _state.MonitorStateRecord:
        return _state.save_monitor_state(self.engine, name, state,
                                         last_window_end=last_window_end, last_run=last_run)

    def delete_monitor_state(self, name: str) -> bool:
        return _state.delete_monitor_state(self.engine, name)

    def acquire_lease(self, name: str, owner: str, *, seconds: float = 600.0) -> bool:
        return _state.acquire_lease(self.engine, name, owner, seconds=seconds)

    def release_lease(self, name: str, owner: str) -> bool:
        return _state.release_lease(self.engine, name, owner)

    # alerts and channels
    def upsert_alert(self, monitor: str, rule: str, *, severity: str = "warning",
                     fingerprint: str | None = None, context: dict[str, Any] | None = None,
                     at: Any = None) -> _alerts.AlertRecord:
        return _alerts.upsert_alert(self.engine, monitor, rule, severity=severity,
                                    fingerprint=fingerprint, context=context, at=at)

    def alerts(self, *, status: str | None = None, monitor: str | None = None
               ) -> tuple[_alerts.AlertRecord, ...]:
        return _alerts.alerts(self.engine, status=status, monitor=monitor)

    def set_alert_status(self, alert_id: int, status: str) -> _alerts.AlertRecord:
        return _alerts.set_alert_status(self.engine, alert_id, status)

    def save_channel(self, name: str, kind: str, config: dict[str, Any]
                     ) -> _alerts.ChannelRecord:
        return _alerts.save_channel(self.engine, name, kind, config)

    def channel(self, name: str) -> _alerts.ChannelRecord:
        return _alerts.channel(self.engine, name)

    def channels(self) -> tuple[_alerts.ChannelRecord, ...]:
        return _alerts.channels(self.engine)

    def delete_channel(self, name: str) -> bool:
        return _alerts.delete_channel(self.engine, name)

    # review queue
    def enqueue_review(self, event_id: str, reason: str) -> _review.ReviewRecord:
        return _review.enqueue_review(self.engine, event_id, reason)

    def enqueue_reviews(self, items: Iterable[Any]) -> tuple[_review.EnqueueOutcome, ...]:
        return _review.enqueue_reviews(self.engine, items)

    def review_items(self, status: str | None = "open", *, limit: int | None = None
                     ) -> tuple[_review.ReviewRecord, ...]:
        return _review.review_items(self.engine, status=status, limit=limit)

    def resolve_review(self, item_id: int, *, label: Any, by: str) -> _review.ReviewRecord:
        return _review.resolve_review(self.engine, item_id, label=label, by=by)

    # model aliases and customer pins (migration 0003)
    def set_alias(self, model: str, alias: str, version: str, *,
                  by: str | None = None) -> _registry.AliasRecord:
        return _registry.set_alias(self.engine, model, alias, version, by=by)

    def alias(self, model: str, alias: str) -> _registry.AliasRecord:
        return _registry.alias(self.engine, model, alias)

    def aliases(self, model: str) -> tuple[_registry.AliasRecord, ...]:
        return _registry.aliases(self.engine, model)

    def delete_alias(self, model: str, alias: str) -> bool:
        return _registry.delete_alias(self.engine, model, alias)

    def promote_version(self, model: str, version: str, *, alias: str = "champion",
                        by: str | None = None,
                        release: Iterable[str] = ("challenger", "shadow")) -> str | None:
        return _registry.promote_version(self.engine, model, version, alias_name=alias, by=by,
                                         release=release)

    def pin_customer(self, model: str, customer: str, version: str, *, by: str | None = None,
                     note: str | None = None) -> _registry.PinRecord:
        return _registry.pin_customer(self.engine, model, customer, version, by=by, note=note)

    def unpin_customer(self, model: str, customer: str) -> bool:
        return _registry.unpin_customer(self.engine, model, customer)

    def customer_pin(self, model: str, customer: str) -> _registry.PinRecord | None:
        return _registry.customer_pin(self.engine, model, customer)

    def customer_pins(self, model: str, *, version: str | None = None,
                      customers: Iterable[str] | None = None
                      ) -> tuple[_registry.PinRecord, ...]:
        return _registry.customer_pins(self.engine, model, version=version, customers=customers)

    # hot-fix rule sets and their hit counters (migration 0003)
    def save_rule_set(self, model: str, document: dict[str, Any], *, by: str | None = None,
                      note: str | None = None) -> _rules.RuleSetRecord:
        return _rules.save_rule_set(self.engine, model, document, by=by, note=note)

    def rule_set(self, model: str, *, version: int | None = None) -> _rules.RuleSetRecord:
        return _rules.rule_set(self.engine, model, version=version)

    def rule_sets(self, model: str) -> tuple[_rules.RuleSetRecord, ...]:
        return _rules.rule_sets(self.engine, model)

    def add_rule_hits(self, model: str, hits: dict[str, dict[str, int]], *, at: Any = None
                      ) -> tuple[_rules.RuleCounterRecord, ...]:
        return _rules.add_rule_hits(self.engine, model, hits, at=at)

    def rule_counters(self, model: str, *, rule_ids: list[str] | None = None
                      ) -> tuple[_rules.RuleCounterRecord, ...]:
        return _rules.rule_counters(self.engine, model, rule_ids=rule_ids)

    # escalations (migration 0003)
    def add_escalation(self, model: str, *, severity: str, due_at: Any,
                       event_id: str | None = None, payload: dict[str, Any] | None = None,
                       customer: str | None = None, expected: Any = None,
                       reported_at: Any = None, note: str | None = None
                       ) -> _esc.EscalationRecord:
        return _esc.add_escalation(self.engine, model, severity=severity, due_at=due_at,
                                   event_id=event_id, payload=payload, customer=customer,
                                   expected=expected, reported_at=reported_at, note=note)

    def escalation(self, escalation_id: int) -> _esc.EscalationRecord:
        return _esc.escalation(self.engine, escalation_id)

    def escalations(self, *, model: str | None = None, status: str | None = None,
                    customer: str | None = None, severity: str | None = None,
                    limit: int | None = None) -> tuple[_esc.EscalationRecord, ...]:
        return _esc.escalations(self.engine, model=model, status=status, customer=customer,
                                severity=severity, limit=limit)

    def update_escalation(self, escalation_id: int, *, status: str | None = None,
                          analysis: Any = _esc._UNSET, note: Any = _esc._UNSET,
                          at: Any = None) -> _esc.EscalationRecord:
        return _esc.update_escalation(self.engine, escalation_id, status=status,
                                      analysis=analysis, note=note, at=at)

    def overdue_escalations(self, *, now: Any = None, model: str | None = None
                            ) -> tuple[_esc.EscalationRecord, ...]:
        return _esc.overdue_escalations(self.engine, now=now, model=model)
