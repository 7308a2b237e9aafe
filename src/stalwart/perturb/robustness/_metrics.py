"""The score a stress run compares: a named metric, its direction, and the task default.

Classifiers are scored by accuracy and regressors by R² unless told otherwise. A *drop* is
always "how much worse": ``clean - perturbed`` for a score where higher is better
(accuracy, R²), ``perturbed - clean`` for an error (MAE, RMSE); so a positive drop is a
loss whichever metric was chosen. A callable ``metric(y_true, y_pred)`` is taken as a score
where higher is better.

>>> m = resolve_metric(None, task="classification")
>>> m.name, m.greater_is_better, m.score([0, 1, 1], [0, 1, 0])
('accuracy', True, 0.6666666666666666)
>>> resolve_metric("mae", task="regression").drop(clean=1.0, perturbed=1.5)
0.5
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn import metrics as skm

from ...exceptions import ParameterError

__all__ = ["METRICS", "Metric", "resolve_metric"]


def _rmse(y_true: Any, y_pred: Any) -> float:
    return float(np.sqrt(skm.mean_squared_error(y_true, y_pred)))


def _macro_f1(y_true: Any, y_pred: Any) -> float:
    return float(skm.f1_score(y_true, y_pred, average="macro", zero_division=0))


#: name -> (function(y_true, y_pred), greater_is_better, task)
METRICS: dict[str, tuple[Callable[[Any, Any], float], bool, str]] = {
    "accuracy": (skm.accuracy_score, True, "classification"),
    "balanced_accuracy": (skm.balanced_accuracy_score, True, "classification"),
    "f1_macro": (_macro_f1, True, "classification"),
    "r2": (skm.r2_score, True, "regression"),
    "mae": (skm.mean_absolute_error, False, "regression"),
    "rmse": (_rmse, False, "regression"),
}
_DEFAULT = {"classification": "accuracy", "regression": "r2"}


@dataclass(frozen=True)
class Metric:
    """A score function with its direction."""

    name: str
    function: Callable[[Any, Any], float]
    greater_is_better: bool

    def score(self, y_true: Any, y_pred: Any) -> float:
        return float(self.function(y_true, y_pred))

    def drop(self, *, clean: float, perturbed: float) -> float:
        """How much worse ``perturbed`` is than ``clean`` (positive: a loss)."""
        return clean - perturbed if self.greater_is_better else perturbed - clean


def resolve_metric(metric: Any, *, task: str) -> Metric:
    """The :class:`Metric` for ``metric`` (None: the task's default, a name of
    :data:`METRICS`, or a callable score)."""
    if metric is None:
        metric = _DEFAULT[task]
    if callable(metric):
        return Metric(getattr(metric, "__name__", "custom"), metric, True)
    if not isinstance(metric, str) or metric not in METRICS:
        raise ParameterError("metric", expected=f"None, a callable or one of {sorted(METRICS)}",
                             got=repr(metric), fix=f"for a {task} model use e.g. "
                             f"metric={_DEFAULT[task]!r}")
    function, greater, kind = METRICS[metric]
    if kind != task:
        raise ParameterError("metric", expected=f"a {task} metric (e.g. {_DEFAULT[task]!r})",
                             got=f"{metric!r}, a {kind} metric",
                             fix=f"pass metric={_DEFAULT[task]!r} or leave it unset")
    return Metric(metric, function, greater)
