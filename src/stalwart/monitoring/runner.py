"""Run a monitor against the store: windows computed, stored, alerted and delivered.

One call does what a scheduler runs every period: read the model's logged events (labels
joined) from the store, compute every window's metrics (:func:`evaluate_windows`), store each
:class:`WindowResult`, feed it to the :class:`AlertEngine`, keep the store's alerts in step
(fired and still-firing alerts are upserted by fingerprint, so a persisting condition is one
alert whose count grows; resolved ones are closed) and send each window's notification to the
channels. The engine's state is returned, JSON-able, for the next run to continue from.

>>> import pandas as pd
>>> from stalwart.store import open_store
>>> from stalwart.monitoring import MonitorSpec
>>> store = open_store("sqlite://")
>>> _ = store.ingest_events([{"event_id": str(i), "timestamp": f"2026-01-0{1 + i // 5}T12:00Z",
...     "model": "m", "model_version": "1", "features": {"x": 1.0},
...     "outputs": {"prediction": 1}, "latency_ms": 10.0 + 40 * (i >= 5)} for i in range(10)])
>>> spec = MonitorSpec(name="m-daily", model="m", window="1D", metrics=["latency"])
>>> run = run_monitor(store, spec, rules=["latency_p99 > 30"])
>>> [w.metrics["latency_p99"] for w in run.windows], [a.status for a in store.alerts()]
([10.0, 50.0], ['open'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .._json import jsonable
from .alerts import AlertEngine, AlertEvents, Rule, dispatch
from .alerts.channels.registry import Channel
from .alerts.result import ChannelResult
from .evaluate import evaluate_windows
from .result import WindowResult
from .spec import FittedMonitor, MonitorSpec

__all__ = ["MonitorRun", "run_monitor"]


@dataclass(frozen=True)
class MonitorRun:
    """What one run computed, raised and delivered; ``alert_state`` continues the next run."""

    monitor: str
    windows: tuple[WindowResult, ...]
    alerts: tuple[AlertEvents, ...]
    deliveries: tuple[ChannelResult, ...]
    alert_state: dict[str, Any] = field(default_factory=dict)
    schema_version: str = "1.0"

    @property
    def fired(self) -> tuple[str, ...]:
        """Fingerprints of the alerts this run opened."""
        return tuple(a.fingerprint for ev in self.alerts for a in ev.fired)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "monitor": self.monitor,
                         "windows": [w.to_dict() for w in self.windows],
                         "alerts": [a.to_dict() for a in self.alerts],
                         "deliveries": [d.to_dict() for d in self.deliveries],
                         "alert_state": self.alert_state})


def run_monitor(store: Any, spec: MonitorSpec | FittedMonitor, *, reference: Any = None,
                rules: Iterable[Rule | Mapping[str, Any] | str] = (),
                channels: Iterable[Channel] = (), state: Mapping[str, Any] | None = None,
                start: Any = None, end: Any = None) -> MonitorRun:
    """Evaluate ``spec`` on the store's events of its model between ``start`` and ``end``
    (``reference``: an events frame the spec is fitted on, unless it is fitted already)."""
    fitted = spec if isinstance(spec, FittedMonitor) else spec.fit(reference)
    name, model = fitted.spec.name, fitted.spec.model
    events = store.events(model, start=start, end=end)
    results = evaluate_windows(fitted, events, start=start, end=end)
    engine = AlertEngine(list(rules))
    channels = list(channels)
    current: dict[str, Any] = dict(state or {})
    raised: list[AlertEvents] = []
    deliveries: list[ChannelResult] = []
    for window in results:
        store.save_window_result(name, window.window_start, window.window_end,
                                 window.n_events, dict(window.metrics), window.to_dict())
        current, events_ = engine.evaluate({"monitor": name, "window_start": window.window_start,
                                            "window_end": window.window_end,
                                            "metrics": dict(window.metrics)}, current)
        raised.append(events_)
        for alert in events_.fired + events_.firing:
            store.upsert_alert(name, alert.rule, severity=alert.severity,
                               fingerprint=alert.fingerprint, context=alert.to_dict(),
                               at=window.window_end)
        if events_.resolved:
            open_by_print = {a.fingerprint: a for a in store.alerts(monitor=name)
                             if a.status != "resolved"}
            for alert in events_.resolved:
                record = open_by_print.get(alert.fingerprint)
                if record is not None:
                    store.set_alert_status(record.id, "resolved")
        deliveries.extend(dispatch(events_.notification(), channels))
    return MonitorRun(name, results, tuple(raised), tuple(deliveries), current)
