"""Run a monitor against the store: windows computed, stored, alerted and delivered.

One call does what a scheduler runs every period: read the model's logged events (labels
joined) from the store, compute every window's metrics, store each :class:`WindowResult`,
feed it to the :class:`AlertEngine`, keep the store's alerts in step (fired and still-firing
alerts are upserted by fingerprint, so a persisting condition is one alert whose count grows;
resolved ones are closed), run the retraining triggers, send each window's notification to
the channels and route uncertain events to the review queue (a spec's ``review`` policy).

``spec`` is a :class:`MonitorSpec`, a fitted one, or the **name of a monitor saved in the
store**: its rules, channels (by name), triggers and reference period are then taken from the
saved spec, and the run is **persisted** (``persist=True`` by default): the alert engine's and
the triggers' state and the end of the last evaluated window are loaded from and saved to the
store (:meth:`Store.monitor_state`), so successive runs continue streaks and hysteresis,
never raise the same alert twice nor fire a trigger twice for one persisting condition, and
evaluate only **complete** windows (ending at or before ``now``) not evaluated before; the
drift alarm budget continues too (:mod:`stalwart.monitoring.budgets`).
Without persistence the engine's state is returned (``alert_state``) for the caller to pass
back as ``state=``.

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
>>> _ = store.save_monitor("m-saved", "m", MonitorSpec(name="m-saved", model="m",
...     metrics=["latency"], rules=["latency_p99 > 30"]).to_dict())
>>> [len(run_monitor(store, "m-saved", now="2026-01-03T00:00Z").windows) for _ in range(2)]
[2, 0]
>>> store.monitor_state("m-saved").last_window_end.isoformat()
'2026-01-03T00:00:00+00:00'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._json import jsonable
from ..exceptions import DataError
from .alerts import AlertEngine, AlertEvents, Rule, dispatch
from .alerts.channels.registry import Channel, channel_from_dict
from .alerts.result import ChannelResult, TriggerRun
from .budgets import budget_key, dump_budgets, load_budgets
from .evaluate import evaluate_window, evaluate_windows
from .result import WindowResult
from .spec import FittedMonitor, MonitorSpec
from .windows import check_events, parse_window

__all__ = ["MonitorRun", "load_monitor", "run_monitor"]

STATE_VERSION = "1.0"


@dataclass(frozen=True)
class MonitorRun:
    """What one run computed, raised, delivered, triggered and routed to review;
    ``alert_state`` continues the next run (the store keeps it when ``persisted``)."""

    monitor: str
    windows: tuple[WindowResult, ...]
    alerts: tuple[AlertEvents, ...]
    deliveries: tuple[ChannelResult, ...]
    alert_state: dict[str, Any] = field(default_factory=dict)
    trigger_runs: tuple[TriggerRun, ...] = ()
    review: dict[str, int] = field(default_factory=dict)
    persisted: bool = False
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
                         "trigger_runs": [t.to_dict() for t in self.trigger_runs],
                         "review": dict(self.review), "persisted": self.persisted,
                         "alert_state": self.alert_state})


def _utc(value: Any) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def load_monitor(store: Any, name: str) -> MonitorSpec:
    """The :class:`MonitorSpec` saved in the store under ``name``."""
    record = store.monitor(name)
    return MonitorSpec.from_dict({**record.spec, "name": name, "model": record.model})


def stored_channels(store: Any, names: Iterable[str]) -> list[Channel]:
    """Channels saved in the store, built from their kind and config."""
    return [channel_from_dict({"type": rec.kind, **rec.config})
            for rec in (store.channel(n) for n in names)]


def reference_events(store: Any, spec: MonitorSpec) -> pd.DataFrame | None:
    """The events of the spec's reference period (None without one)."""
    if spec.reference is None or spec.model is None:
        return None
    ref = spec.reference
    frame = store.events(spec.model, start=ref["start"], end=ref["end"],
                         model_version=ref.get("model_version"))
    if len(frame) == 0:
        version = f" version {ref['model_version']!r}" if ref.get("model_version") else ""
        raise DataError(f"reference period of monitor {spec.name!r}",
                        expected=f"logged events of model {spec.model!r}{version}",
                        got=f"none in [{ref['start']}, {ref['end']})",
                        fix="save the monitor with a period its model has events in")
    return frame


def _complete_windows(fitted: FittedMonitor, events: pd.DataFrame, after: Any, now: Any
                      ) -> list[tuple[Any, Any, pd.DataFrame]]:
    """Complete windows after ``after`` (the last evaluated window end) up to ``now``."""
    size = parse_window(fitted.spec.window)
    frame = fitted.spec.select(events)
    ts = frame["timestamp"]
    if isinstance(size, int):
        if after is not None:
            frame = frame[ts > _utc(after)].reset_index(drop=True)
        full = len(frame) // size * size
        return [(b["timestamp"].iloc[0], b["timestamp"].iloc[-1], b.reset_index(drop=True))
                for b in (frame.iloc[i:i + size] for i in range(0, full, size))]
    if after is not None:
        anchor = _utc(after)
    elif len(frame):
        first = ts.iloc[0]
        anchor = first.normalize() + size * ((first - first.normalize()) // size)
    else:
        return []
    n = int((_utc(now) - anchor) // size)
    edges = pd.DatetimeIndex([anchor + size * k for k in range(max(n, 0) + 1)])
    cuts = ts.searchsorted(edges, side="left")
    return [(edges[k], edges[k + 1], frame.iloc[cuts[k]:cuts[k + 1]].reset_index(drop=True))
            for k in range(max(n, 0))]


def _route_review(store: Any, spec: MonitorSpec, start: Any, end: Any) -> dict[str, int]:
    events = store.events(spec.model, start=start, end=end)
    if "label" in events.columns:
        events = events[events["label"].isna()]
    picked = spec.review.select(events.reset_index(drop=True))
    counts = {"queued": 0, "already_open": 0, "refused": 0}
    if picked:
        for outcome in store.enqueue_reviews([{"event_id": e, "reason": f"review policy: {r}"}
                                              for e, r in picked]):
            counts[outcome.status] += 1
    return counts


def run_monitor(store: Any, spec: MonitorSpec | FittedMonitor | str, *, reference: Any = None,
                rules: Iterable[Rule | Mapping[str, Any] | str] | None = None,
                channels: Iterable[Channel] | None = None, triggers: Iterable[Any] | None = None,
                state: Mapping[str, Any] | None = None, start: Any = None, end: Any = None,
                persist: bool | None = None, now: Any = None) -> MonitorRun:
    """Evaluate ``spec`` on the store's events of its model between ``start`` and ``end``.

    ``reference``: an events frame the spec is fitted on (default: the saved reference
    period, if any). ``rules``/``channels``/``triggers`` default to the spec's saved ones.
    ``persist`` (default: True when ``spec`` is a saved monitor's name) loads and saves the
    state in the store and evaluates only the complete windows after the last evaluated one,
    up to ``now`` (default: the current time).
    """
    if isinstance(spec, str):
        spec = load_monitor(store, spec)
        persist = True if persist is None else persist
    base = spec.spec if isinstance(spec, FittedMonitor) else spec
    if isinstance(spec, FittedMonitor):
        fitted = spec
    else:
        fitted = spec.fit(reference if reference is not None else reference_events(store, spec))
    name, model = base.name, base.model
    engine = AlertEngine(base.alert_rules() if rules is None else list(rules))
    chans = stored_channels(store, base.channels) if channels is None else list(channels)
    trigs = base.retrain_triggers() if triggers is None else list(triggers)
    now_ts = _utc(now) if now is not None else pd.Timestamp.now(tz="UTC")
    saved: dict[str, Any] = {}
    if persist:
        record = store.monitor_state(name)
        saved = dict(record.state)
        if state is None:
            state = saved.get("engine")
        if start is None and record.last_window_end is not None:
            start = record.last_window_end
    current: dict[str, Any] = dict(state or {})
    trig_states: dict[str, Any] = dict(saved.get("triggers") or {})
    if persist and end is None:
        events = check_events(store.events(model, start=start, end=now_ts))
        windows = _complete_windows(fitted, events, start, now_ts)
        # alarm budgets continue across runs (a fresh one per run would lose the guarantee)
        keys = {n: budget_key(o, base.reference) for n, o in fitted.options.items()}
        run_state = load_budgets(saved.get("budgets"), fitted.options, key=keys)
        results = tuple(evaluate_window(fitted, s, e, sub, run_state) for s, e, sub in windows)
        saved["budgets"] = {**(saved.get("budgets") or {}), **dump_budgets(run_state, key=keys)}
    else:
        events = store.events(model, start=start, end=end)
        results = evaluate_windows(fitted, events, start=start, end=end)
    raised: list[AlertEvents] = []
    deliveries: list[ChannelResult] = []
    trigger_runs: list[TriggerRun] = []
    for window in results:
        store.save_window_result(name, window.window_start, window.window_end,
                                 window.n_events, dict(window.metrics), window.to_dict())
        judged = {"monitor": name, "window_start": window.window_start,
                  "window_end": window.window_end, "metrics": dict(window.metrics)}
        current, events_ = engine.evaluate(judged, current)
        raised.append(events_)
        for alert in events_.fired + events_.firing:
            store.upsert_alert(name, alert.rule, severity=alert.severity,
                               fingerprint=alert.fingerprint, context=alert.to_dict(),
                               at=window.window_end)
        if events_.resolved:
            open_by_print = {a.fingerprint: a for a in store.alerts(monitor=name)
                             if a.status != "resolved"}
            for alert in events_.resolved:
                record_ = open_by_print.get(alert.fingerprint)
                if record_ is not None:
                    store.set_alert_status(record_.id, "resolved")
        deliveries.extend(dispatch(events_.notification(), chans))
        for trig in trigs:
            trig_states[trig.name], fired = trig.observe(judged, trig_states.get(trig.name),
                                                         events=events_)
            if fired is not None:
                trigger_runs.append(fired)
    review: dict[str, int] = {}
    if base.review is not None and model is not None:
        # every unlabelled event not yet in an evaluated window (the open one included), so
        # an event ingested late is still routed; open items are not duplicated
        review = _route_review(store, base, start, now_ts if persist and end is None else end)
    if persist:
        last = results[-1].window_end if results else None
        saved.pop("last_error", None)  # recorded by the scheduler when a run failed
        store.save_monitor_state(name, {**saved, "schema_version": STATE_VERSION,
                                        "engine": current, "triggers": trig_states},
                                 last_window_end=last, last_run=now_ts)
    return MonitorRun(name, results, tuple(raised), tuple(deliveries), current,
                      tuple(trigger_runs), review, bool(persist))
