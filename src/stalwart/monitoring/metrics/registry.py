"""The window-metric registry: each metric learns from the reference once and then turns
one window's events into flat numbers plus details.

A :class:`WindowMetric` has three functions:

- ``fit(reference, options) -> state``: what the metric needs from the reference events
  frame (``reference`` is None when no reference was given; metrics with
  ``needs_reference=True`` then refuse)
- ``compute(state, frame, options, run) -> (metrics, details)``: ``metrics`` is a flat
  ``{name: float | None}``, ``details`` anything JSON-able; ``run`` is a dict that lives for
  one pass over the windows (an alarm budget keeps its spending there)
- ``keys(state, options) -> names``: the metric names, reported as None on empty windows

>>> "latency" in WINDOW_METRICS
True
>>> WINDOW_METRICS.capabilities("data_drift")["needs_reference"]
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..._registry import Registry

__all__ = ["WINDOW_METRICS", "WindowMetric", "register_window_metric"]

Fit = Callable[[Any, dict[str, Any]], Any]
Compute = Callable[[Any, Any, dict[str, Any], dict[str, Any]],
                   tuple[dict[str, float | None], dict[str, Any]]]
Keys = Callable[[Any, dict[str, Any]], tuple[str, ...]]


@dataclass(frozen=True)
class WindowMetric:
    """One pluggable window metric (see the module docstring)."""

    name: str
    fit: Fit
    compute: Compute
    keys: Keys
    needs_reference: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # allowed options and defaults
    description: str = ""

    def resolve(self, options: dict[str, Any] | None) -> dict[str, Any]:
        """Defaults overlaid with ``options``; an unknown option is a ParameterError."""
        from ...exceptions import ParameterError

        given = dict(options or {})
        unknown = sorted(set(given) - set(self.options))
        if unknown:
            raise ParameterError(f"options of window metric {self.name!r}",
                                 expected=f"keys among {sorted(self.options)}",
                                 got=f"{unknown}", fix="drop or rename those options")
        return {**self.options, **given}


WINDOW_METRICS: Registry[WindowMetric] = Registry("window metric")


def register_window_metric(metric: WindowMetric) -> WindowMetric:
    """Add ``metric`` to :data:`WINDOW_METRICS` (built-ins register the same way)."""
    WINDOW_METRICS.register(metric.name, metric, needs_reference=metric.needs_reference,
                            options=dict(metric.options), description=metric.description)
    return metric


_BUILTINS = ("changes", "data_drift", "estimated", "estimated_regression", "kpi", "latency",
             "novelty", "performance", "prediction", "quality", "rule_thickness")


def _load_builtins() -> None:
    import importlib

    for module in _BUILTINS:
        importlib.import_module(f"{__package__}.{module}")


_load_builtins()
