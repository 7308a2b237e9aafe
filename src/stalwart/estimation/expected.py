"""Expected classification metrics when labels follow calibrated probabilities.

If row i's label is class j with probability ``c[i, j]`` (calibrated), the expected
confusion matrix is ``E[n(true j, predicted l)] = sum_i c[i, j] [pred_i = l]``: for two
classes, expected TP = sum of c over rows predicted positive, FP = sum of 1 - c over the
same rows, FN = sum of c over rows predicted negative. That matrix is exactly scikit-learn's
weighted confusion matrix of an *expanded* data set in which every row appears once per
class j, labelled j, with weight ``c[i, j]``; so accuracy, precision, recall and F1 are
scikit-learn's own functions on that data set (ratios of expected counts, as in NannyML's
CBPE). The same expansion gives the expected ROC curve: each threshold's true-positive rate
is the expected positives above it over the expected positives (likewise false positives),
and its area is scikit-learn's weighted ``roc_auc_score``. Multiclass metrics are macro
averages one-vs-rest; precision/recall/F1 use ``zero_division=0``.

>>> import numpy as np
>>> c = np.array([[0.1, 0.9], [0.8, 0.2], [0.4, 0.6]])
>>> pred = np.array([1, 0, 1])
>>> out = expected_metrics(c, pred, c, ("accuracy", "precision"))
>>> round(out["accuracy"], 4), round(out["precision"], 4)
(0.7667, 0.75)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import (accuracy_score, f1_score, precision_score, recall_score,
                             roc_auc_score)

__all__ = ["expected_confusion_matrix", "expected_metrics"]


def expected_confusion_matrix(calibrated: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """(k, k) expected counts: rows are true classes, columns predicted classes."""
    k = calibrated.shape[1]
    onehot = np.eye(k)[predicted]
    return calibrated.T @ onehot


def _expand(calibrated: np.ndarray, predicted: np.ndarray, scores: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    n, k = calibrated.shape
    labels = np.repeat(np.arange(k)[None, :], n, axis=0).ravel()
    weights = calibrated.ravel()
    return labels, np.repeat(predicted, k), np.repeat(scores, k, axis=0), weights


def expected_metrics(calibrated: np.ndarray, predicted: np.ndarray, scores: np.ndarray,
                     metrics: Sequence[str]) -> dict[str, float]:
    """Expected value of each metric (ratio of expected counts), NaN where undefined.

    ``calibrated`` (n, k) probabilities the labels are drawn from; ``predicted`` (n,) class
    positions; ``scores`` (n, k) the model's own probabilities (ranked for ROC AUC).
    """
    k = calibrated.shape[1]
    y, pred, s, w = _expand(calibrated, predicted, scores)
    keep = w > 0
    y, pred, s, w = y[keep], pred[keep], s[keep], w[keep]
    binary = k == 2
    avg = {"average": "binary", "pos_label": 1} if binary else {
        "average": "macro", "labels": np.arange(k)}
    out: dict[str, float] = {}
    for m in metrics:
        if m == "accuracy":
            out[m] = float(accuracy_score(y, pred, sample_weight=w))
        elif m in ("precision", "recall", "f1"):
            fn = {"precision": precision_score, "recall": recall_score, "f1": f1_score}[m]
            out[m] = float(fn(y, pred, sample_weight=w, zero_division=0, **avg))
        elif m == "roc_auc":
            out[m] = _expected_auc(y, s, w, k)
    return out


def _expected_auc(y: np.ndarray, s: np.ndarray, w: np.ndarray, k: int) -> float:
    present = np.bincount(y, weights=w, minlength=k) > 0
    if not present.all():
        return float("nan")  # a class with no expected rows: no ROC curve
    if k == 2:
        return float(roc_auc_score(y, s[:, 1], sample_weight=w))
    # macro one-vs-rest, as roc_auc_score(multi_class="ovr", average="macro") computes it
    return float(np.mean([roc_auc_score(y == c, s[:, c], sample_weight=w) for c in range(k)]))
