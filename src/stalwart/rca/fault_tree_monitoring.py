"""Basic-event probabilities from monitoring: observed failure counts per component.

A component's failure probability is estimated from windows: out of ``total`` monitored
windows, ``failed`` were failures (a window whose metric breached the component's
condition, e.g. ``missing_share > 0.05``). The estimator is the Jeffreys posterior
(prior Beta(1/2, 1/2), posterior Beta(failed + 1/2, total - failed + 1/2)): its mean
``(failed + 0.5) / (total + 1)`` is the probability, never exactly 0 or 1 (a component
that never failed in 20 windows is not proven perfect), and its equal-tailed interval is
the uncertainty, with the lower end set to 0 when nothing failed and the upper end to 1
when everything did (Brown, Cai and DasGupta, 2001, "Interval estimation for a binomial
proportion").

>>> est = estimate_failure_probabilities({"feature-store": (2, 30)})[0]
>>> est.probability == (2 + 0.5) / (30 + 1)
True
>>> round(est.low, 4), round(est.high, 4)
(0.0141, 0.1971)

Counts come from numbers you already have, from window results
(:func:`failure_counts_from_windows`), or from the store's saved monitors
(:func:`failure_counts_from_store`, one condition per component as in
``FaultTree.monitoring``). A window whose metric is missing (None: not computable, e.g. an
empty window) is not counted either way; the count of such windows is kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scipy.stats import beta

from .._json import FieldsJSON
from ..exceptions import DataError, ParameterError
from .fault_tree import ComponentCondition

__all__ = ["ComponentEstimate", "FailureCounts", "estimate_failure_probabilities",
           "failure_counts_from_store", "failure_counts_from_windows"]

ESTIMATOR = "jeffreys posterior mean"


@dataclass(frozen=True)
class FailureCounts(FieldsJSON):
    """``failed`` of ``total`` judged windows; ``unjudged`` windows lacked the metric."""

    component: str
    failed: int
    total: int
    unjudged: int = 0
    source: str = ""


@dataclass(frozen=True)
class ComponentEstimate(FieldsJSON):
    """A component's failure probability with its ``level`` interval ``[low, high]``."""

    component: str
    failed: int
    total: int
    probability: float
    low: float
    high: float
    level: float
    estimator: str = ESTIMATOR
    source: str = ""


def _counts(component: str, value: Any) -> FailureCounts:
    if isinstance(value, FailureCounts):
        counts = value
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        counts = FailureCounts(component, *value)
    else:
        raise ParameterError(f"failure counts of {component!r}", expected="a pair "
                             "(failed_windows, total_windows) or FailureCounts", got=repr(value),
                             fix="pass e.g. {'ingest': (3, 120)}")
    f, n = counts.failed, counts.total
    for what, v in (("failed", f), ("total", n)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise ParameterError(f"{what} windows of {component!r}", expected="an integer",
                                 got=repr(v), fix="pass whole window counts")
    if n < 1 or not 0 <= f <= n:
        raise ParameterError(f"failure counts of {component!r}", expected="0 <= failed <= "
                             "total and total >= 1", got=f"failed={f}, total={n}",
                             fix="count at least one window; failed cannot exceed total")
    return counts


def estimate_failure_probabilities(counts: Mapping[str, Any] | Iterable[FailureCounts], *,
                                   level: float = 0.95) -> tuple[ComponentEstimate, ...]:
    """One Jeffreys estimate per component, from ``{component: (failed, total)}`` or
    :class:`FailureCounts` records; ``level`` is the interval's coverage."""
    if isinstance(level, bool) or not isinstance(level, (int, float)) \
            or not 0 < level < 1:
        raise ParameterError("level", expected="a number strictly between 0 and 1",
                             got=repr(level), fix="pass level=0.95")
    if isinstance(counts, Mapping):
        items = [_counts(c, v) for c, v in counts.items()]
    else:
        items = [_counts(getattr(c, "component", "?"), c) for c in counts]
    out = []
    alpha = (1.0 - level) / 2.0
    for c in items:
        a, b = c.failed + 0.5, c.total - c.failed + 0.5
        low = 0.0 if c.failed == 0 else float(beta.ppf(alpha, a, b))
        high = 1.0 if c.failed == c.total else float(beta.ppf(1.0 - alpha, a, b))
        out.append(ComponentEstimate(c.component, c.failed, c.total, a / (a + b), low, high,
                                     float(level), source=c.source))
    return tuple(out)


def _metrics(window: Any) -> Mapping[str, Any]:
    metrics = window.get("metrics") if isinstance(window, Mapping) else \
        getattr(window, "metrics", None)
    if not isinstance(metrics, Mapping):
        raise DataError("window", expected="a window result with a metrics mapping",
                        got=type(window).__name__, fix="pass store.window_results(monitor) "
                        "rows, WindowResult objects or dicts with 'metrics'")
    return metrics


def failure_counts_from_windows(windows: Iterable[Any], condition: ComponentCondition, *,
                                source: str = "") -> FailureCounts:
    """Count the windows whose metric breaches ``condition`` (missing metrics: unjudged)."""
    rule = condition.condition
    failed = total = unjudged = 0
    for window in windows:
        value = _metrics(window).get(rule.metric)
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float)) \
                or math.isnan(value):
            unjudged += 1
            continue
        total += 1
        failed += bool(rule.breaches(float(value)))
    if total == 0:
        raise DataError(f"windows for component {condition.component!r}",
                        expected=f"at least one window with the metric {rule.metric!r}",
                        got=f"{unjudged} window(s) without it",
                        fix="run the monitor first, or fix the metric name in the condition")
    return FailureCounts(condition.component, failed, total, unjudged, source)


def _monitor_for(store: Any, condition: ComponentCondition, model: str | None) -> str:
    if condition.monitor is not None:
        try:
            record = store.monitor(condition.monitor)
        except DataError as exc:
            raise DataError(f"monitor of component {condition.component!r}",
                            expected=exc.expected, got=exc.got, fix=exc.fix) from None
        if model is not None and record.model != model:
            raise ParameterError(f"monitor of component {condition.component!r}",
                                 expected=f"a monitor of model {model!r}",
                                 got=f"{record.name!r} (model {record.model!r})",
                                 fix="name a monitor of this model, or drop --model")
        return record.name
    if model is None:
        raise ParameterError(f"monitor of component {condition.component!r}",
                             expected="a monitor name, or a model with one monitor",
                             got="neither", fix="add 'monitor' to the component's condition "
                             "or pass model=")
    names = [m.name for m in store.monitors(model=model)]
    if len(names) != 1:
        raise ParameterError(f"monitor of component {condition.component!r}",
                             expected=f"exactly one saved monitor of model {model!r}",
                             got=repr(names), fix="name the monitor in the component's "
                             "condition: {'monitor': ..., 'condition': ...}")
    return names[0]


def failure_counts_from_store(store: Any, conditions: Iterable[ComponentCondition], *,
                              model: str | None = None, start: Any = None, end: Any = None
                              ) -> tuple[FailureCounts, ...]:
    """Failure counts per component from the saved window results of the store's monitors
    (windows starting in ``[start, end)``); reads only, never writes."""
    conditions = tuple(conditions)
    if not conditions:
        raise ParameterError("monitored components", expected="at least one component "
                             "condition", got="none", fix="add a 'monitoring' section to the "
                             "tree: {component: {'monitor': ..., 'condition': ...}}")
    out = []
    for cond in conditions:
        name = _monitor_for(store, cond, model)
        windows = store.window_results(name, start=start, end=end)
        out.append(failure_counts_from_windows(
            windows, cond, source=f"monitor {name}: {cond.text}"))
    return tuple(out)
