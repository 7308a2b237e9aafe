"""MonitorSpec: what to watch (a model's events), over which windows, with which metrics;
``fit(reference)`` learns what the metrics need from reference events once.

A spec is frozen and JSON-able (:meth:`MonitorSpec.to_dict` / :meth:`MonitorSpec.from_dict`);
business KPIs given as callables must be registered (:func:`stalwart.monitoring.metrics.
register_kpi`) to survive a JSON round trip. A spec saved in the store can also carry what
a scheduler needs (:mod:`stalwart.monitoring.saved`): alert ``rules``, ``channels`` (names of
stored channels), retraining ``triggers``, a ``schedule``, its ``reference`` period and a
``review`` policy; these keys are written only when set, so older specs load unchanged.

>>> spec = MonitorSpec(name="churn-daily", model="churn", window="1D",
...                    metrics={"latency": {"percentiles": [50, 99]}, "performance": {}})
>>> MonitorSpec.from_dict(spec.to_dict()) == spec
True
>>> spec.to_dict()["metrics"]
{'latency': {'percentiles': [50, 99]}, 'performance': {}}
>>> saved = MonitorSpec(name="lat", model="churn", metrics=["latency"], schedule="1h",
...                     rules=["latency_p99 > 250"], reference={"start": "2026-01-01",
...                     "end": "2026-01-08"}, review={"max_proba_below": 0.6})
>>> sorted(set(saved.to_dict()) - set(spec.to_dict()))
['reference', 'review', 'rules', 'schedule']
>>> MonitorSpec.from_dict(saved.to_dict()) == saved
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .._json import jsonable
from ..exceptions import DataError, ParameterError
from .metrics import WINDOW_METRICS
from .metrics.kpi import kpi_name
from .review import ReviewPolicy
from .saved import (normalise_channels, normalise_rules, normalise_triggers, parse_reference,
                    parse_schedule)
from .windows import check_events, window_label

__all__ = ["DEFAULT_METRICS", "FittedMonitor", "MonitorSpec", "SCHEMA_VERSION"]

SCHEMA_VERSION = "1.0"
SAVED_KEYS = ("rules", "channels", "triggers", "schedule", "reference", "review")
DEFAULT_METRICS = ("data_drift", "data_quality", "novelty", "prediction", "performance",
                   "latency")


def _normalise_metrics(metrics: Any, kpis: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    if metrics is None:
        metrics = DEFAULT_METRICS
    if isinstance(metrics, str):
        metrics = [metrics]
    if isinstance(metrics, Mapping):
        items = [(str(k), dict(v or {})) for k, v in metrics.items()]
    elif isinstance(metrics, Sequence):
        items = [(str(m), {}) for m in metrics]
    else:
        raise ParameterError("metrics", expected="metric names or {name: options}",
                             got=type(metrics).__name__, fix="pass e.g. ['latency']")
    out: dict[str, dict[str, Any]] = {}
    for name, options in items:
        WINDOW_METRICS.get(name).resolve(options)  # unknown name or option: ParameterError
        out[name] = {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()}
    if kpis:
        out.pop("kpis", None)
    return out


@dataclass(frozen=True)
class MonitorSpec:
    """A monitor: ``name``, the ``model`` whose events it watches (events of other models
    in the frame are left out; None = all), the ``window`` (pandas offset such as ``"1D"``
    or an event count), ``metrics`` (names, or ``{name: options}``; default
    :data:`DEFAULT_METRICS`) and business ``kpis`` (``{name: callable or registered
    name}``). For scheduled runs (:mod:`stalwart.monitoring.saved`): ``rules``,
    ``channels``, ``triggers``, ``schedule``, ``reference`` and ``review``
    (a :class:`~stalwart.monitoring.review.ReviewPolicy` or its dict)."""

    name: str
    model: str | None = None
    window: str | int = "1D"
    metrics: Any = None
    kpis: Mapping[str, Any] = field(default_factory=dict)
    rules: Any = ()
    channels: Any = ()
    triggers: Any = ()
    schedule: str | None = None
    reference: Mapping[str, Any] | None = None
    review: Any = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ParameterError("name", expected="a non-empty monitor name",
                                 got=repr(self.name), fix="pass name='churn-daily'")
        if self.model is not None and not isinstance(self.model, str):
            raise ParameterError("model", expected="a model name or None", got=repr(self.model),
                                 fix="pass the model's name as logged")
        object.__setattr__(self, "window", window_label(self.window))
        kpis = dict(self.kpis or {})
        object.__setattr__(self, "kpis", kpis)
        object.__setattr__(self, "metrics", _normalise_metrics(self.metrics, kpis))
        if kpis:
            WINDOW_METRICS.get("kpis").fit(None, {"kpis": kpis})  # validates
        object.__setattr__(self, "rules", normalise_rules(self.rules))
        object.__setattr__(self, "channels", normalise_channels(self.channels))
        object.__setattr__(self, "triggers", normalise_triggers(self.triggers))
        parse_schedule(self.schedule)
        if isinstance(self.schedule, str):
            object.__setattr__(self, "schedule", self.schedule.strip())
        object.__setattr__(self, "reference", parse_reference(self.reference))
        if self.review is not None:
            object.__setattr__(self, "review", ReviewPolicy.from_dict(self.review))

    def __hash__(self) -> int:
        return hash((self.name, self.model, self.window,
                     json.dumps(jsonable(self.metrics), sort_keys=True), tuple(sorted(self.kpis)),
                     self.schedule))

    def metric_options(self) -> dict[str, dict[str, Any]]:
        """Every metric to run with its resolved options (defaults filled in)."""
        out = {n: WINDOW_METRICS.get(n).resolve(o) for n, o in self.metrics.items()}
        if self.kpis:
            out["kpis"] = {"kpis": dict(self.kpis)}
        return out

    def to_dict(self) -> dict[str, Any]:
        kpis = {}
        for name, fn in self.kpis.items():
            ref = fn if isinstance(fn, str) else kpi_name(fn)
            if ref is None:
                raise ParameterError(f"KPI {name!r}", expected="a registered KPI to write JSON",
                                     got=repr(fn), fix="register_kpi(name, fn) first, or "
                                     "give the KPI by its registered name")
            kpis[name] = ref
        out = {"schema_version": SCHEMA_VERSION, "name": self.name, "model": self.model,
               "window": self.window, "metrics": jsonable(self.metrics), "kpis": kpis}
        saved = {"rules": [dict(r) for r in self.rules], "channels": list(self.channels),
                 "triggers": [dict(t) for t in self.triggers], "schedule": self.schedule,
                 "reference": None if self.reference is None else dict(self.reference),
                 "review": None if self.review is None else self.review.to_dict()}
        out.update({k: jsonable(v) for k, v in saved.items() if v})
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MonitorSpec:
        if not isinstance(data, Mapping) or "name" not in data:
            raise DataError("monitor spec", expected="a mapping with at least 'name'",
                            got=repr(data)[:80], fix="pass MonitorSpec.to_dict() output")
        known = ("schema_version", "name", "model", "window", "metrics", "kpis") + SAVED_KEYS
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise DataError("monitor spec", expected="keys " + ", ".join(known[1:]),
                            got=f"unknown keys {unknown}", fix="drop those keys")
        return cls(name=data["name"], model=data.get("model"), window=data.get("window", "1D"),
                   metrics=data.get("metrics"), kpis=data.get("kpis") or {},
                   rules=data.get("rules") or (), channels=data.get("channels") or (),
                   triggers=data.get("triggers") or (), schedule=data.get("schedule"),
                   reference=data.get("reference"), review=data.get("review"))

    def alert_rules(self) -> list[Any]:
        """The saved rules as :class:`~stalwart.monitoring.alerts.Rule` objects."""
        from .alerts import Rule
        return [Rule.coerce(r) for r in self.rules]

    def retrain_triggers(self) -> list[Any]:
        """The saved triggers as :class:`~stalwart.monitoring.alerts.RetrainTrigger`."""
        from .saved import trigger_from_dict
        return [trigger_from_dict(t) for t in self.triggers]

    def select(self, events: Any) -> pd.DataFrame:
        """The events of this monitor's model, checked and sorted by time."""
        frame = check_events(events)
        if self.model is not None and "model" in frame.columns:
            frame = frame[frame["model"] == self.model].reset_index(drop=True)
        return frame

    def fit(self, reference: Any = None) -> FittedMonitor:
        """Learn what every metric needs from ``reference`` (an events frame) once."""
        ref = None
        if reference is not None:
            if not isinstance(reference, pd.DataFrame):
                raise DataError("reference", expected="an events frame (pandas DataFrame)",
                                got=type(reference).__name__, fix="pass store.events(...)")
            ref = reference
            if self.model is not None and "model" in ref.columns:
                ref = ref[ref["model"] == self.model].reset_index(drop=True)
        options = self.metric_options()
        states = {name: WINDOW_METRICS.get(name).fit(ref, opts)
                  for name, opts in options.items()}
        return FittedMonitor(spec=self, options=options, states=states,
                             n_reference=0 if ref is None else len(ref))


@dataclass(frozen=True)
class FittedMonitor:
    """A spec with its metrics' reference state; evaluate windows with
    :func:`stalwart.monitoring.evaluate.evaluate_windows`."""

    spec: MonitorSpec
    options: dict[str, dict[str, Any]]
    states: dict[str, Any]
    n_reference: int
