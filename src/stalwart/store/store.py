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
from . import events as _events
from . import labels as _labels
from . import monitors as _monitors
from . import references as _refs
from . import review as _review
from . import state as _state
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
               with_labels: bool = True, limit: int | None = None) -> pd.DataFrame:
        return _queries.events_frame(self.engine, model, start=start, end=end, segment=segment,
                                    model_version=model_version, with_labels=with_labels,
                                    limit=limit)

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
