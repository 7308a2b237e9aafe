"""Validated evaluation inputs and the bootstrap replicates shared by evaluate and baseline."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.utils.multiclass import type_of_target

from ..exceptions import DataError, ParameterError
from .bootstrap import metric_replicates, resample_indices
from .classification import check_classification
from .registry import TASKS, MetricSpec
from .regression import check_regression

__all__ = ["Prepared", "infer_task", "prepare", "replicates"]


@dataclass(frozen=True)
class Prepared:
    task: str
    y_true: np.ndarray
    y_pred: np.ndarray | None
    proba: np.ndarray | None
    classes: np.ndarray | None

    def value(self, spec: MetricSpec) -> float:
        """The metric on all rows; a clear error where it is undefined (one class only)."""
        with warnings.catch_warnings():
            # UndefinedMetricWarning, and the UserWarning scikit-learn gives when one label
            # is present ("A single label was found"), both mean the metric is undefined here
            warnings.simplefilter("error", UserWarning)
            try:
                value = spec(self.y_true, self.y_pred, self.proba, self.classes)
            except (ValueError, UserWarning) as err:  # scikit-learn's refusal
                value, why = np.nan, str(err).split("\n")[0]
            else:
                why = "NaN (a class without any row?)"
        if np.isnan(value):
            raise DataError(f"metric {spec.name!r}", expected="data on which it is defined",
                            got=why, fix="drop the metric or evaluate on more varied rows")
        return value


def infer_task(y_true: Any, proba: Any) -> str:
    """Classification when probabilities are given or the target is not continuous."""
    if proba is not None:
        return "classification"
    kind = type_of_target(np.asarray(y_true))
    return "regression" if kind.startswith("continuous") else "classification"


def prepare(y_true: Any, *, y_pred: Any, proba: Any, classes: Any, task: str | None) -> Prepared:
    task = infer_task(y_true, proba) if task is None else task
    if task not in TASKS:
        raise ParameterError("task", expected=f"one of {list(TASKS)} or None (inferred)",
                             got=repr(task), fix="pass task='classification' or 'regression'")
    if task == "regression":
        if proba is not None or classes is not None:
            raise ParameterError("proba/classes", expected="neither for a regression task",
                                 got="probabilities or classes",
                                 fix="drop them or use task='classification'")
        y, p = check_regression(y_true, y_pred=y_pred)
        return Prepared(task, y, p, None, None)
    y, p, c, q = check_classification(y_true, y_pred=y_pred, proba=proba, classes=classes)
    return Prepared(task, y, p, q, c)


def replicates(specs: list[MetricSpec], data: Prepared, *, n_boot: int,
               random_state: Any) -> dict[str, np.ndarray]:
    """Each metric on the same ``n_boot`` resamples (NaN where undefined)."""
    parts: dict[str, list[np.ndarray]] = {s.name: [] for s in specs}
    for idx in resample_indices(data.y_true.size, n_boot=n_boot, random_state=random_state):
        for s in specs:
            parts[s.name].append(metric_replicates(s, idx, data.y_true, data.y_pred,
                                                   data.proba, data.classes))
    return {k: np.concatenate(v) if v else np.empty(0) for k, v in parts.items()}
