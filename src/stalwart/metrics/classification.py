"""Classification metrics: input checks, the registered scalar metrics, per-class scores.

Every value is scikit-learn's own function on the same inputs. Conventions fixed here:
``zero_division=0`` (scikit-learn's default value, without its warning); binary metrics
treat ``classes[1]`` as the positive class; ``roc_auc`` is one-vs-rest macro for more than
two classes, and ``average_precision`` the macro mean over one-vs-rest columns.

>>> from stalwart.metrics import METRICS
>>> y, p, classes, proba = check_classification(["a", "b", "b"], y_pred=["a", "b", "a"])
>>> classes.tolist(), round(METRICS.get("accuracy")(y, p, proba, classes), 4)
(['a', 'b'], 0.6667)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn import metrics as skm
from sklearn.preprocessing import label_binarize
from sklearn.utils.multiclass import type_of_target

from ..exceptions import DataError, ParameterError
from .probabilities import check_proba
from . import _batch as B
from .registry import register_metric

__all__ = ["check_classification", "confusion", "per_class_scores"]

_PROBA_ATOL = 1e-6


def _labels(values: Any, what: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size == 0:
        raise DataError(what, expected="a non-empty one-dimensional array",
                        got=f"shape {arr.shape}", fix="pass one label per row")
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        raise DataError(what, expected="labels without missing values", got="NaN",
                        fix="drop or fill the missing labels")
    return arr


def check_classification(y_true: Any, *, y_pred: Any = None, proba: Any = None,
                         classes: Any = None
                         ) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, np.ndarray | None]:
    """Validate classification inputs; return ``(y_true, y_pred, classes, proba)``.

    ``proba`` has one column per class in ``classes`` order (a 1-D array is the probability
    of ``classes[1]`` in a two-class problem); rows must sum to one. Without ``classes``
    they are the sorted labels seen in ``y_true`` and ``y_pred``.
    """
    y_true = _labels(y_true, "y_true")
    if y_pred is None and proba is None:
        raise ParameterError("predictions", expected="y_pred=, proba= or both", got="neither",
                             fix="pass the model's predicted labels or probabilities")
    if type_of_target(y_true) in ("continuous", "continuous-multioutput"):
        raise DataError("y_true", expected="class labels for a classification metric",
                        got="continuous values (a regression target)",
                        fix="use task='regression' or pass class labels")
    if y_pred is not None:
        y_pred = _labels(y_pred, "y_pred")
        if y_pred.shape != y_true.shape:
            raise DataError("y_pred", expected=f"{y_true.size} labels, like y_true",
                            got=f"{y_pred.size}", fix="pass one prediction per row")
    if classes is None:
        seen = [y_true] if y_pred is None else [y_true, y_pred]
        classes = np.unique(np.concatenate(seen))
    classes = np.asarray(classes)
    if classes.size < 2 or np.unique(classes).size != classes.size:
        raise DataError("classes", expected="at least two distinct class labels",
                        got=repr(classes.tolist()), fix="pass classes= with every class")
    for name, arr in (("y_true", y_true), ("y_pred", y_pred)):
        if arr is not None:
            unseen = np.setdiff1d(arr, classes)
            if unseen.size:
                raise DataError(f"labels in {name}", expected=f"one of {classes.tolist()}",
                                got=f"unseen labels {unseen[:5].tolist()}",
                                fix="pass classes= with every class the model knows")
    if proba is not None:
        proba = _check_proba(proba, n=y_true.size, k=classes.size)
    return y_true, y_pred, classes, proba


def _check_proba(proba: Any, *, n: int, k: int) -> np.ndarray:
    return check_proba(proba, what="proba", n_rows=n, n_classes=k, allow_1d=k == 2,
                       atol=_PROBA_ATOL, renormalise=True)


def per_class_scores(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Precision, recall and F1 of every class: shape (3, n_classes), rows in that order."""
    p, r, f, _ = skm.precision_recall_fscore_support(y_true, y_pred, labels=classes,
                                                     average=None, zero_division=0)
    return np.vstack([p, r, f])


def confusion(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Confusion matrix counts, rows = true class, columns = predicted, in ``classes`` order."""
    return skm.confusion_matrix(y_true, y_pred, labels=classes)


def _positive(y_true: np.ndarray, classes: np.ndarray) -> np.ndarray:
    return (y_true == classes[1]).astype(int)


def _roc_auc(y, _p, proba, classes):
    if classes.size == 2:
        return skm.roc_auc_score(_positive(y, classes), proba[:, 1])
    return skm.roc_auc_score(y, proba, multi_class="ovr", labels=classes, average="macro")


def _average_precision(y, _p, proba, classes):
    if classes.size == 2:
        return skm.average_precision_score(_positive(y, classes), proba[:, 1])
    if np.unique(y).size < classes.size:
        return np.nan  # a class without positives has no precision-recall curve
    return skm.average_precision_score(label_binarize(y, classes=classes), proba,
                                       average="macro")


def _brier(y, _p, proba, classes):
    if classes.size == 2:
        return skm.brier_score_loss(_positive(y, classes), proba[:, 1])
    return skm.brier_score_loss(y, proba, labels=classes)


def _prf(kind: str, average: str):
    fn = {"precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score}[kind]

    def metric(y, p, _proba, classes):
        if average == "binary":
            return fn(y, p, labels=classes, pos_label=classes[1], average="binary",
                      zero_division=0)
        return fn(y, p, labels=classes, average=average, zero_division=0)

    metric.__name__ = f"{kind}_{average}"
    return metric


def _accuracy_batch(y, p, _proba, _classes, idx):
    return (y == p)[idx].mean(axis=1)


def _balanced_batch(y, p, _proba, classes, idx):
    return B.balanced_accuracy_batch(B.confusion_batch(y, p, classes, idx))


def _prf_batch(kind: str, average: str):
    row = ("precision", "recall", "f1").index(kind)

    def batch(y, p, _proba, classes, idx):
        cm = B.confusion_batch(y, p, classes, idx)
        values = B.prf_batch(cm)[:, row, :]
        if average == "binary":
            return values[:, 1]
        if average == "macro":
            return values.mean(axis=1)
        support = cm.sum(axis=2)
        return (values * support).sum(axis=1) / support.sum(axis=1)

    return batch


def _log_loss_rows(y, proba, classes):
    eps = np.finfo(proba.dtype).eps  # scikit-learn clips the same way
    picked = np.clip(proba, eps, 1 - eps)[np.arange(y.size), B.codes(y, classes)]
    return -np.log(picked)


def _brier_rows(y, proba, classes):
    if classes.size == 2:
        return (proba[:, 1] - _positive(y, classes)) ** 2
    return ((proba - np.eye(classes.size)[B.codes(y, classes)]) ** 2).sum(axis=1)


_C = "classification"
register_metric("accuracy", lambda y, p, _q, _c: skm.accuracy_score(y, p), task=_C,
                needs_proba=False, greater_is_better=True, batch=_accuracy_batch)
register_metric("balanced_accuracy", lambda y, p, _q, _c: skm.balanced_accuracy_score(y, p),
                task=_C, needs_proba=False, greater_is_better=True, batch=_balanced_batch)
for _kind in ("precision", "recall", "f1"):
    register_metric(_kind, _prf(_kind, "binary"), task=_C, needs_proba=False,
                    greater_is_better=True, binary_only=True,
                    batch=_prf_batch(_kind, "binary"))
    for _avg in ("macro", "weighted"):
        register_metric(f"{_kind}_{_avg}", _prf(_kind, _avg), task=_C, needs_proba=False,
                        greater_is_better=True, batch=_prf_batch(_kind, _avg))
register_metric("roc_auc", _roc_auc, task=_C, needs_proba=True, greater_is_better=True,
                batch=B.auc_batch)
register_metric("average_precision", _average_precision, task=_C, needs_proba=True,
                greater_is_better=True, batch=B.average_precision_batch)
register_metric("log_loss", lambda y, _p, q, c: skm.log_loss(y, q, labels=c), task=_C,
                needs_proba=True, greater_is_better=False,
                batch=lambda y, _p, q, c, idx: B.mean_batch(_log_loss_rows(y, q, c), idx))
register_metric("brier", _brier, task=_C, needs_proba=True, greater_is_better=False,
                batch=lambda y, _p, q, c, idx: B.mean_batch(_brier_rows(y, q, c), idx))

