"""Expected classification metrics when labels follow calibrated probabilities.

If row i's label is class j with probability ``c[i, j]`` (calibrated), the expected
confusion matrix is ``E[n(true j, predicted l)] = sum_i c[i, j] [pred_i = l]``: for two
classes, expected TP = sum of c over rows predicted positive, FP = sum of 1 - c over the
same rows, FN = sum of c over rows predicted negative. Accuracy, precision, recall and F1 are
ratios of those expected counts (as in NannyML's CBPE). The expected ROC curve takes, at
each threshold, the expected positives above it over all expected positives (likewise for
negatives); its area is the weighted Mann-Whitney statistic below. Multiclass metrics are
macro averages one-vs-rest; precision/recall/F1 use ``zero_division=0``.

These equal scikit-learn's weighted metrics on an *expanded* data set in which every row
appears once per class j, labelled j, with weight ``c[i, j]`` (the unit tests check it); the
arithmetic is written out here because scikit-learn's input validation costs ~30 ms a call,
which dominates when many chunks are estimated.

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

__all__ = ["expected_auc", "expected_confusion_matrix", "expected_metrics",
           "metrics_from_confusion"]


def expected_confusion_matrix(calibrated: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """(k, k) expected counts: rows are true classes, columns predicted classes."""
    k = calibrated.shape[1]
    onehot = np.eye(k)[predicted]
    return calibrated.T @ onehot


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros_like(num, dtype=float), where=den > 0)


def metrics_from_confusion(cm: np.ndarray, metrics: Sequence[str]) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of a (possibly fractional) confusion matrix."""
    tp = np.diag(cm).astype(float)
    predicted = cm.sum(axis=0)
    actual = cm.sum(axis=1)
    per_class = {"precision": _ratio(tp, predicted), "recall": _ratio(tp, actual),
                 "f1": _ratio(2 * tp, predicted + actual)}
    binary = cm.shape[0] == 2
    out: dict[str, float] = {}
    for m in metrics:
        if m == "accuracy":
            out[m] = float(tp.sum() / cm.sum())
        elif m in per_class:
            out[m] = float(per_class[m][1] if binary else per_class[m].mean())
    return out


def expected_auc(positive: np.ndarray, score: np.ndarray) -> float:
    """Area under the expected ROC curve of ``score`` when row i is positive w.p. ``positive[i]``.

    Weighted Mann-Whitney form: sum over pairs of positive weight x negative weight, with
    half credit for tied scores (a row's own positive and negative halves tie), over the
    product of the total weights; NaN when either total is 0.
    """
    negative = 1.0 - positive
    total_pos, total_neg = positive.sum(), negative.sum()
    if total_pos <= 0 or total_neg <= 0:
        return float("nan")
    values, group = np.unique(score, return_inverse=True)
    pos = np.bincount(group, weights=positive, minlength=values.size)
    neg = np.bincount(group, weights=negative, minlength=values.size)
    below = np.cumsum(neg) - neg  # negative weight strictly below each score value
    return float(np.sum(pos * (below + 0.5 * neg)) / (total_pos * total_neg))


def expected_metrics(calibrated: np.ndarray, predicted: np.ndarray, scores: np.ndarray,
                     metrics: Sequence[str]) -> dict[str, float]:
    """Expected value of each metric (ratio of expected counts), NaN where undefined.

    ``calibrated`` (n, k) probabilities the labels are drawn from; ``predicted`` (n,) class
    positions; ``scores`` (n, k) the model's own probabilities (ranked for ROC AUC).
    """
    out = metrics_from_confusion(expected_confusion_matrix(calibrated, predicted), metrics)
    if "roc_auc" in metrics:
        k = calibrated.shape[1]
        columns = [1] if k == 2 else range(k)
        out["roc_auc"] = float(np.mean([expected_auc(calibrated[:, c], scores[:, c])
                                        for c in columns]))
    return {m: out[m] for m in metrics}
