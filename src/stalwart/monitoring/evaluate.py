"""evaluate_windows: a monitor's metrics over every window of an events frame.

Windows come from :func:`stalwart.monitoring.windows.assign_windows` (empty ones included:
their metrics are all None and a note says so). The metrics' reference state is learnt once
(:meth:`MonitorSpec.fit`); one pass keeps per-run state such as the drift alarm budget, so
the windows must be evaluated in time order in one call (or with one ``FittedMonitor`` and
a ``run`` dict carried between calls).

>>> import numpy as np, pandas as pd
>>> ts = pd.date_range("2026-01-01", periods=6, freq="9h", tz="UTC")
>>> events = pd.DataFrame({"timestamp": ts, "latency_ms": [1.0, 2, 3, 4, 5, 6]})
>>> spec = MonitorSpec(name="lat", window="1D", metrics=["latency"])
>>> [(r.n_events, r.metrics["latency_p50"]) for r in evaluate_windows(spec, events)]
[(3, 2.0), (3, 5.0)]
"""

from __future__ import annotations

from typing import Any

from ..exceptions import StalwartError
from .metrics import WINDOW_METRICS
from .result import WindowResult
from .spec import FittedMonitor, MonitorSpec
from .windows import assign_windows

__all__ = ["evaluate_window", "evaluate_windows"]


def evaluate_window(monitor: FittedMonitor, start: Any, end: Any, frame: Any,
                    run: dict[str, dict[str, Any]]) -> WindowResult:
    """One window's :class:`WindowResult` (``run`` carries per-metric state between calls)."""
    metrics: dict[str, float | None] = {}
    details: dict[str, Any] = {}
    notes: list[str] = []
    if len(frame) == 0:
        notes.append("empty window: no events, every metric is None")
    for name, options in monitor.options.items():
        metric = WINDOW_METRICS.get(name)
        state = monitor.states[name]
        keys = metric.keys(state, options)
        if len(frame) == 0:
            if name == "data_drift":  # the alarm budget records the untested window
                metric.compute(state, frame, options, run.setdefault(name, {}))
            metrics.update(dict.fromkeys(keys))
            continue
        try:
            values, extra = metric.compute(state, frame, options, run.setdefault(name, {}))
        except (StalwartError, ValueError, KeyError, TypeError) as exc:
            # one metric that cannot run on this window must not lose the others
            metrics.update(dict.fromkeys(keys))
            what = f"missing column {exc}" if isinstance(exc, KeyError) else str(exc)
            notes.append(f"{name} not computed: {what}")
            continue
        metrics.update(values)
        if extra:
            details[name] = extra
    return WindowResult(monitor=monitor.spec.name, window_start=start, window_end=end,
                        n_events=len(frame), metrics=metrics, details=details,
                        notes=tuple(notes))


def evaluate_windows(spec: MonitorSpec | FittedMonitor, events: Any, *, reference: Any = None,
                     start: Any = None, end: Any = None) -> tuple[WindowResult, ...]:
    """Every window's :class:`WindowResult`, in time order.

    ``spec``: a :class:`MonitorSpec` (fitted here on ``reference``) or a
    :class:`FittedMonitor`. ``start``/``end`` bound time windows so that quiet windows at
    the edges are reported too.
    """
    monitor = spec if isinstance(spec, FittedMonitor) else spec.fit(reference)
    frame = monitor.spec.select(events)
    run: dict[str, dict[str, Any]] = {}
    return tuple(evaluate_window(monitor, s, e, sub, run)
                 for s, e, sub in assign_windows(frame, monitor.spec.window, start=start,
                                                 end=end))
