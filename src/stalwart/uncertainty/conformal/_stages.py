"""Shared plumbing of the conformal estimators: named stages, fitting, label encoding.

Stages follow MAPIE: ``fit`` (skipped with ``prefit=True``) -> ``conformalize`` ->
``predict_set`` / ``predict_interval``. Calling a stage too early raises StageError.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone

from ...exceptions import DataError, ModelError, StageError
from ...models import ModelAdapter, wrap

__all__ = ["encode_labels", "fit_clone", "refuse_fit_when_prefit", "require_stage",
           "wrap_for_task"]


def require_stage(obj: object, attr: str, *, stage: str, before: str) -> Any:
    """Return ``obj.<attr>`` or raise StageError saying which stage must come first."""
    value = getattr(obj, attr, None)
    if value is None:
        raise StageError(f"{type(obj).__name__}.{before}() was called before {stage}(); "
                         f"call {stage}() first (stages: fit -> conformalize -> predict)")
    return value


def refuse_fit_when_prefit(obj: object) -> None:
    raise StageError(f"{type(obj).__name__} was built with prefit=True, so its model is "
                     "already trained: skip fit() and call conformalize(X_cal, y_cal), or "
                     "build it with prefit=False to train it here")


def fit_clone(estimator: Any, X: Any, y: Any) -> Any:
    """A fresh, trained copy of a scikit-learn style estimator."""
    if not hasattr(estimator, "fit"):
        raise ModelError("estimator", expected="a scikit-learn style estimator with fit()",
                         got=type(estimator).__name__,
                         fix="pass an unfitted estimator, or a trained model with prefit=True")
    return clone(estimator).fit(X, y)


def wrap_for_task(model: Any, task: str) -> ModelAdapter:
    adapter = wrap(model)
    if adapter.task != task:
        other = "regressor" if adapter.task == "regression" else "classifier"
        raise ModelError("model", expected=f"a {task} model", got=f"a {adapter.task} model",
                         fix=f"use the conformal {other} for this model")
    return adapter


def encode_labels(y: Any, classes: np.ndarray, *, what: str = "y") -> np.ndarray:
    """Column position of each label in ``classes``; unseen labels raise DataError."""
    labels = np.asarray(y)
    if labels.ndim != 1 or labels.size == 0:
        raise DataError(what, expected="a non-empty 1-D array of class labels",
                        got=f"shape {labels.shape}", fix="pass one label per row")
    cls = np.asarray(classes)
    order = np.argsort(cls, kind="stable")
    pos = np.searchsorted(cls[order], labels)
    pos = np.clip(pos, 0, cls.size - 1)
    found = cls[order][pos] == labels
    if not np.all(found):
        unseen = sorted({str(v) for v in labels[~found]})[:5]
        raise DataError(what, expected=f"labels among the model's classes {cls.tolist()}",
                        got=f"unseen labels {unseen}",
                        fix="calibrate on labels the model was trained on")
    return order[pos]
