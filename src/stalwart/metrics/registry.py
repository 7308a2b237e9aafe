"""The metric registry: name -> (function, task, needs probabilities, greater_is_better).

Every metric function has one signature, ``fn(y_true, y_pred, proba, classes) -> float``,
over validated numpy arrays (``y_pred`` or ``proba`` is None when the metric does not use it;
``classes`` is None for regression). Built-in metrics register exactly like plugins.

>>> spec = METRICS.get("accuracy")
>>> spec.task, spec.needs_proba, spec.greater_is_better
('classification', False, True)
>>> "rmse" in METRICS and "roc_auc" in METRICS
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._registry import Registry
from ..exceptions import ParameterError

__all__ = ["METRICS", "MetricFunction", "MetricSpec", "metric_names", "register_metric",
           "resolve_metrics"]

MetricFunction = Callable[[np.ndarray, Any, Any, Any], float]
TASKS = ("classification", "regression")


@dataclass(frozen=True)
class MetricSpec:
    """What the registry knows about one metric.

    ``binary_only`` metrics (precision/recall/F1 of the positive class) apply to two-class
    problems only; :func:`resolve_metrics` leaves them out of the defaults otherwise.
    """

    name: str
    function: MetricFunction
    task: str
    needs_proba: bool
    greater_is_better: bool
    binary_only: bool = False
    default: bool = True
    #: optional fast path for bootstrap: ``batch(y_true, y_pred, proba, classes, idx)`` gives
    #: the metric on every row of the (n_boot, n) index matrix at once
    batch: Callable[..., np.ndarray] | None = None

    def __call__(self, y_true: np.ndarray, y_pred: Any, proba: Any, classes: Any) -> float:
        return float(self.function(y_true, y_pred, proba, classes))


METRICS: Registry[MetricSpec] = Registry("metric")


def register_metric(name: str, function: MetricFunction, *, task: str, needs_proba: bool,
                    greater_is_better: bool, binary_only: bool = False,
                    default: bool = True,
                    batch: Callable[..., np.ndarray] | None = None) -> MetricSpec:
    """Add a metric to :data:`METRICS` and return its spec."""
    if task not in TASKS:
        raise ParameterError("metric task", expected=f"one of {list(TASKS)}", got=repr(task),
                             fix="register the metric for classification or regression")
    spec = MetricSpec(name, function, task, needs_proba, greater_is_better, binary_only, default,
                      batch)
    METRICS.register(name, spec, task=task, needs_proba=needs_proba,
                     greater_is_better=greater_is_better, binary_only=binary_only)
    return spec


def metric_names(task: str) -> list[str]:
    """Registered metric names for ``task``, sorted."""
    return [name for name, spec in METRICS if spec.task == task]


def resolve_metrics(names: Any, *, task: str, n_classes: int | None, has_pred: bool,
                    has_proba: bool) -> list[MetricSpec]:
    """The specs to compute: the given names (checked) or every default that applies."""
    if names is None:
        specs = [s for _, s in METRICS if s.task == task and s.default
                 and (s.needs_proba and has_proba or not s.needs_proba and has_pred)
                 and not (s.binary_only and n_classes != 2)]
        return specs
    if isinstance(names, str):
        names = [names]
    specs = [METRICS.get(n) for n in names]
    for s in specs:
        if s.task != task:
            raise ParameterError(f"metric {s.name!r}", expected=f"a {task} metric",
                                 got=f"a {s.task} metric",
                                 fix=f"choose among {metric_names(task)}")
        if s.needs_proba and not has_proba:
            raise ParameterError(f"metric {s.name!r}", expected="probabilities (proba=)",
                                 got="no probabilities", fix="pass proba= or drop the metric")
        if not s.needs_proba and not has_pred:
            raise ParameterError(f"metric {s.name!r}", expected="predictions (y_pred=)",
                                 got="no predictions", fix="pass y_pred= or drop the metric")
        if s.binary_only and n_classes != 2:
            raise ParameterError(f"metric {s.name!r}", expected="a two-class problem",
                                 got=f"{n_classes} classes",
                                 fix="use the _macro or _weighted variant")
    return specs
