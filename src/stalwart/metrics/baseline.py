"""Compare a model with a simple baseline it must beat, by paired bootstrap differences.

The baseline is scikit-learn's ``DummyClassifier`` (``prior``: most frequent label with the
class prior as probabilities; ``most_frequent``; ``stratified``; ``uniform``) or
``DummyRegressor`` (``mean``, ``median``), fitted on ``y_train`` or, without it, on the
evaluated labels' own distribution (recorded as ``baseline_source``). Model and baseline
are scored on the same resamples, so the interval of the difference is paired.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> y = rng.integers(0, 2, 300)
>>> pred = np.where(rng.random(300) < 0.9, y, 1 - y)
>>> cmp = compare_to_baseline(y, y_pred=pred, y_train=y, n_boot=200)
>>> cmp.comparisons["accuracy"].beats_baseline
True
>>> cmp.comparisons["recall"].beats_baseline  # always predicting 1 has recall 1
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.dummy import DummyClassifier, DummyRegressor

from .._json import jsonable
from ..exceptions import DataError, ParameterError
from ._prepared import prepare, replicates
from .bootstrap import (BootstrapInterval, check_bootstrap_options, fix_seed,
                        percentile_interval)
from .registry import resolve_metrics

__all__ = ["BASELINE_STRATEGIES", "BaselineComparison", "MetricComparison",
           "baseline_predictions", "compare_to_baseline"]

BASELINE_STRATEGIES = {"classification": ("prior", "most_frequent", "stratified", "uniform"),
                       "regression": ("mean", "median")}


@dataclass(frozen=True)
class MetricComparison:
    """One metric for model and baseline; ``difference`` is model minus baseline."""

    metric: str
    model: BootstrapInterval
    baseline: BootstrapInterval
    difference: BootstrapInterval
    greater_is_better: bool

    @property
    def beats_baseline(self) -> bool:
        """True when the whole interval of the difference lies on the better side of zero."""
        if self.greater_is_better:
            return bool(self.difference.low > 0)
        return bool(self.difference.high < 0)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"metric": self.metric, "model": self.model.to_dict(),
                         "baseline": self.baseline.to_dict(),
                         "difference": self.difference.to_dict(),
                         "greater_is_better": self.greater_is_better,
                         "beats_baseline": self.beats_baseline})


@dataclass(frozen=True)
class BaselineComparison:
    """Every compared metric for model and baseline, and whether the model wins on all."""

    task: str
    strategy: str
    baseline_source: str
    n_rows: int
    comparisons: dict[str, MetricComparison]
    n_boot: int
    confidence: float
    random_state: Any
    schema_version: int = field(default=1)

    @property
    def beats_baseline(self) -> bool:
        """True when the model beats the baseline significantly on every metric compared."""
        return all(c.beats_baseline for c in self.comparisons.values())

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version, "task": self.task,
            "strategy": self.strategy, "baseline_source": self.baseline_source,
            "n_rows": self.n_rows, "n_boot": self.n_boot, "confidence": self.confidence,
            "random_state": self.random_state, "beats_baseline": self.beats_baseline,
            "comparisons": {k: c.to_dict() for k, c in self.comparisons.items()},
            "chart": {"differences": [
                {"metric": k, "estimate": c.difference.estimate, "low": c.difference.low,
                 "high": c.difference.high} for k, c in self.comparisons.items()]},
        })


def baseline_predictions(y_train: Any, n: int, *, task: str, strategy: str | None = None,
                         classes: Any = None, random_state: Any = 0
                         ) -> tuple[np.ndarray, np.ndarray | None]:
    """``n`` baseline predictions (and class probabilities in ``classes`` order)."""
    strategy = strategy or BASELINE_STRATEGIES.get(task, ("",))[0]
    if task not in BASELINE_STRATEGIES or strategy not in BASELINE_STRATEGIES[task]:
        raise ParameterError("baseline strategy",
                             expected=f"one of {BASELINE_STRATEGIES.get(task, ())} for {task!r}",
                             got=repr(strategy), fix="pick a listed strategy")
    y_train = np.asarray(y_train)
    Z = np.zeros((n, 1))  # dummy estimators ignore the features
    if task == "regression":
        model = DummyRegressor(strategy=strategy).fit(np.zeros((y_train.size, 1)), y_train)
        return model.predict(Z), None
    dummy = DummyClassifier(strategy=strategy, random_state=random_state)
    dummy.fit(np.zeros((y_train.size, 1)), y_train)
    classes = dummy.classes_ if classes is None else np.asarray(classes)
    unseen = np.setdiff1d(dummy.classes_, classes)
    if unseen.size:
        raise DataError("labels in y_train", expected=f"one of {classes.tolist()}",
                        got=f"labels unknown to the model {unseen[:5].tolist()}",
                        fix="pass the model's classes= or drop those training rows")
    proba = np.zeros((n, classes.size))
    raw = dummy.predict_proba(Z)
    for j, c in enumerate(dummy.classes_):
        proba[:, np.flatnonzero(classes == c)] = raw[:, [j]]
    return dummy.predict(Z), proba


def compare_to_baseline(y_true: Any, *, y_pred: Any = None, proba: Any = None,
                        classes: Any = None, task: str | None = None, y_train: Any = None,
                        baseline_pred: Any = None, baseline_proba: Any = None,
                        strategy: str | None = None, metrics: Any = None, n_boot: int = 1000,
                        confidence: float = 0.95, random_state: Any = 0) -> BaselineComparison:
    """Score the model and a baseline on the same rows and resamples.

    Pass the baseline's own ``baseline_pred``/``baseline_proba``, or ``y_train`` to fit a
    dummy; with neither, the dummy is fitted on ``y_true`` (its label distribution).
    """
    check_bootstrap_options(n_boot, confidence)
    random_state = fix_seed(random_state)
    model = prepare(y_true, y_pred=y_pred, proba=proba, classes=classes, task=task)
    source = "given"
    if baseline_pred is None and baseline_proba is None:
        source = "y_train" if y_train is not None else "y_true"
        fit_on = model.y_true if y_train is None else y_train
        baseline_pred, baseline_proba = baseline_predictions(
            fit_on, model.y_true.size, task=model.task, strategy=strategy,
            classes=model.classes, random_state=random_state)
        strategy = strategy or BASELINE_STRATEGIES[model.task][0]
    base = prepare(model.y_true, y_pred=baseline_pred if model.y_pred is not None else None,
                   proba=baseline_proba if model.proba is not None else None,
                   classes=model.classes, task=model.task)
    n_classes = None if model.classes is None else model.classes.size
    specs = resolve_metrics(metrics, task=model.task, n_classes=n_classes,
                            has_pred=model.y_pred is not None and base.y_pred is not None,
                            has_proba=model.proba is not None and base.proba is not None)
    rep_m = replicates(specs, model, n_boot=n_boot, random_state=random_state)
    rep_b = replicates(specs, base, n_boot=n_boot, random_state=random_state)
    out = {}
    for s in specs:
        m, b = model.value(s), base.value(s)
        out[s.name] = MetricComparison(
            s.name, percentile_interval(m, rep_m[s.name], confidence=confidence),
            percentile_interval(b, rep_b[s.name], confidence=confidence),
            percentile_interval(m - b, rep_m[s.name] - rep_b[s.name], confidence=confidence),
            s.greater_is_better)
    return BaselineComparison(model.task, strategy or "given", source, int(model.y_true.size),
                              out, n_boot, confidence, random_state)


