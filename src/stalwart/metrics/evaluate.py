"""evaluate: every applicable metric with a percentile-bootstrap interval.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> y = rng.integers(0, 2, 200)
>>> pred = np.where(rng.random(200) < 0.8, y, 1 - y)
>>> res = evaluate(y, y_pred=pred, n_boot=200)
>>> iv = res["accuracy"]
>>> iv.low <= iv.estimate <= iv.high, iv.n_boot
(True, 200)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._json import jsonable
from ..exceptions import ParameterError
from ._prepared import Prepared, prepare, replicates
from ._batch import confusion_batch, prf_batch
from .bootstrap import (BootstrapInterval, check_bootstrap_options, fix_seed,
                        percentile_interval, resample_indices)
from .classification import confusion, per_class_scores
from .registry import resolve_metrics

__all__ = ["SCHEMA_VERSION", "EvaluationResult", "evaluate", "evaluate_model"]

SCHEMA_VERSION = 1
_PER_CLASS = ("precision", "recall", "f1")


@dataclass(frozen=True)
class EvaluationResult:
    """Metric intervals (``result["accuracy"]``), per-class scores and a confusion matrix."""

    task: str
    n_rows: int
    metrics: dict[str, BootstrapInterval]
    greater_is_better: dict[str, bool]
    n_boot: int
    confidence: float
    random_state: Any
    classes: list[Any] | None = None
    per_class: dict[str, dict[str, BootstrapInterval]] | None = None
    support: dict[str, int] | None = None
    confusion_matrix: list[list[int]] | None = None
    model: dict[str, Any] | None = None
    schema_version: int = field(default=SCHEMA_VERSION)

    def __getitem__(self, name: str) -> BootstrapInterval:
        try:
            return self.metrics[name]
        except KeyError:
            raise ParameterError("metric", expected=f"one of {sorted(self.metrics)}",
                                 got=repr(name), fix="ask for a computed metric") from None

    def to_dict(self) -> dict[str, Any]:
        chart = {"metric_intervals": [
            {"metric": k, "estimate": v.estimate, "low": v.low, "high": v.high}
            for k, v in self.metrics.items()]}
        if self.confusion_matrix is not None:
            chart["confusion_matrix"] = {"labels": self.classes, "counts": self.confusion_matrix}
        return jsonable({
            "schema_version": self.schema_version, "task": self.task, "n_rows": self.n_rows,
            "n_boot": self.n_boot, "confidence": self.confidence,
            "random_state": self.random_state, "classes": self.classes, "model": self.model,
            "metrics": {k: {**v.to_dict(), "greater_is_better": self.greater_is_better[k]}
                        for k, v in self.metrics.items()},
            "per_class": None if self.per_class is None else {
                c: {m: iv.to_dict() for m, iv in d.items()} for c, d in self.per_class.items()},
            "support": self.support, "confusion_matrix": self.confusion_matrix, "chart": chart,
        })


def evaluate(y_true: Any, *, y_pred: Any = None, proba: Any = None, classes: Any = None,
             task: str | None = None, metrics: Any = None, n_boot: int = 1000,
             confidence: float = 0.95, random_state: Any = 0) -> EvaluationResult:
    """Compute ``metrics`` (default: every registered one that applies) with intervals.

    ``task`` is inferred when None (probabilities or discrete labels: classification).
    The estimate is the metric on the full data; the interval is the percentile bootstrap
    over ``n_boot`` seeded resamples of rows, skipping those where the metric is undefined.
    A Generator or None ``random_state`` is turned into the integer seed that is recorded.
    """
    check_bootstrap_options(n_boot, confidence)
    data = prepare(y_true, y_pred=y_pred, proba=proba, classes=classes, task=task)
    return _evaluate(data, metrics=metrics, n_boot=n_boot, confidence=confidence,
                     random_state=random_state)


def evaluate_model(model: Any, X: Any, y: Any, *, metrics: Any = None, n_boot: int = 1000,
                   confidence: float = 0.95, random_state: Any = 0,
                   **wrap_options: Any) -> EvaluationResult:
    """Predict with ``stalwart.models.wrap(model, **wrap_options)`` on ``X``, then evaluate."""
    from ..models import wrap

    check_bootstrap_options(n_boot, confidence)
    adapter = wrap(model, **wrap_options)
    proba = adapter.predict_proba(X) if (adapter.task == "classification"
                                         and adapter.can("predict_proba")) else None
    data = prepare(y, y_pred=adapter.predict(X), proba=proba, classes=adapter.classes_,
                   task=adapter.task)
    return _evaluate(data, metrics=metrics, n_boot=n_boot, confidence=confidence,
                     random_state=random_state, model=adapter.describe())


def _evaluate(data: Prepared, *, metrics: Any, n_boot: int, confidence: float,
              random_state: Any, model: dict[str, Any] | None = None) -> EvaluationResult:
    n_classes = None if data.classes is None else data.classes.size
    specs = resolve_metrics(metrics, task=data.task, n_classes=n_classes,
                            has_pred=data.y_pred is not None, has_proba=data.proba is not None)
    random_state = fix_seed(random_state)
    reps = replicates(specs, data, n_boot=n_boot, random_state=random_state)
    intervals = {s.name: percentile_interval(data.value(s), reps[s.name], confidence=confidence)
                 for s in specs}
    extra: dict[str, Any] = {}
    if data.task == "classification":
        extra["classes"] = [c.item() if hasattr(c, "item") else c for c in data.classes]
    if data.task == "classification" and data.y_pred is not None:
        extra.update(_per_class(data, n_boot=n_boot, confidence=confidence,
                                random_state=random_state))
    return EvaluationResult(task=data.task, n_rows=int(data.y_true.size), metrics=intervals,
                            greater_is_better={s.name: s.greater_is_better for s in specs},
                            n_boot=n_boot, confidence=confidence, random_state=random_state,
                            model=model, **extra)


def _per_class(data: Prepared, *, n_boot: int, confidence: float,
               random_state: Any) -> dict[str, Any]:
    y, p, classes = data.y_true, data.y_pred, data.classes
    point = per_class_scores(y, p, classes)
    k = classes.size
    chunks = [prf_batch(confusion_batch(y, p, classes, idx)).reshape(len(idx), 3 * k)
              for idx in resample_indices(y.size, n_boot=n_boot, random_state=random_state)]
    reps = np.concatenate(chunks) if chunks else np.empty((0, 3 * k))
    per_class = {}
    for j, c in enumerate(classes):
        per_class[str(c)] = {m: percentile_interval(point[i, j], reps[:, i * k + j],
                                                    confidence=confidence)
                             for i, m in enumerate(_PER_CLASS)}
    cm = confusion(y, p, classes)
    support = {str(c): int(n) for c, n in zip(classes, cm.sum(axis=1), strict=True)}
    return {"per_class": per_class, "support": support, "confusion_matrix": cm.tolist()}
