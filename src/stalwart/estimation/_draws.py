"""Classification metrics of many label draws at once, for the CBPE parametric bootstrap.

Labels are drawn B times from the calibrated probabilities while the model's scores and
predicted labels stay fixed, so every metric is a matrix product over the draws. Written by
hand because calling scikit-learn's metrics B times per chunk costs ~1 ms a call; the unit
tests check every value against scikit-learn draw by draw. Conventions follow scikit-learn:
precision, recall and F1 give 0 when their denominator is 0 (``zero_division=0``); multiclass
values are macro averages over classes (one-vs-rest); ROC AUC is NaN in a draw where a class
is absent (scikit-learn raises there).

>>> import numpy as np
>>> labels = np.array([[0, 1, 1, 0], [1, 1, 0, 0]])
>>> out = metrics_on_draws(labels, np.array([0, 1, 1, 1]), np.array([[.9, .1], [.3, .7],
...                        [.4, .6], [.2, .8]]), ("accuracy", "roc_auc"))
>>> out["accuracy"].tolist(), out["roc_auc"].tolist()
([0.75, 0.25], [0.5, 0.25])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import rankdata

__all__ = ["draw_labels", "metrics_on_draws"]


def draw_labels(calibrated: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """(n_draws, n_rows) class positions drawn row by row from ``calibrated`` (n_rows, k)."""
    u = rng.random((n_draws, calibrated.shape[0]))
    if calibrated.shape[1] == 2:
        return (u < calibrated[None, :, 1]).astype(np.int8)
    cumulative = np.cumsum(calibrated, axis=1)
    labels = np.zeros(u.shape, dtype=np.int8 if calibrated.shape[1] < 128 else np.int64)
    for k in range(calibrated.shape[1] - 1):  # the last class takes the rest (rounding)
        labels += u >= cumulative[None, :, k]
    return labels


def _ratio(num: np.ndarray, den: np.ndarray | float) -> np.ndarray:
    den = np.broadcast_to(np.asarray(den, dtype=float), np.shape(num))
    return np.divide(num, den, out=np.zeros(np.shape(num), dtype=float), where=den > 0)


def _one_class(hit: np.ndarray, predicted: np.ndarray, ranks: np.ndarray
               ) -> dict[str, np.ndarray]:
    """Per-draw metrics of "the label is this class": hit (B, n) 0/1, predicted (n,) 0/1."""
    tp = hit @ predicted
    positives = hit.sum(axis=1)
    n_predicted = predicted.sum()
    negatives = hit.shape[1] - positives
    with np.errstate(invalid="ignore", divide="ignore"):
        # Mann-Whitney form of the ROC AUC, average ranks for ties (as roc_auc_score)
        auc = (hit @ ranks - positives * (positives + 1) / 2) / (positives * negatives)
    auc = np.where((positives > 0) & (negatives > 0), auc, np.nan)
    return {"precision": _ratio(tp, n_predicted), "recall": _ratio(tp, positives),
            "f1": _ratio(2 * tp, positives + n_predicted), "roc_auc": auc}


def metrics_on_draws(labels: np.ndarray, predicted: np.ndarray, scores: np.ndarray,
                     metrics: Sequence[str]) -> dict[str, np.ndarray]:
    """Each metric for each row of ``labels`` (B, n), against fixed predictions and scores.

    ``predicted`` holds class positions (n,), ``scores`` the model's probabilities (n, k).
    Two classes: the positive class is position 1; more: macro average one-vs-rest.
    """
    k = scores.shape[1]
    out: dict[str, np.ndarray] = {}
    if "accuracy" in metrics:
        out["accuracy"] = (labels == predicted[None, :]).mean(axis=1)
    wanted = [m for m in metrics if m != "accuracy"]
    if not wanted:
        return out
    columns = [1] if k == 2 else range(k)
    per_class = [_one_class((labels == c).astype(float), (predicted == c).astype(float),
                            rankdata(scores[:, c])) for c in columns]
    for m in wanted:
        out[m] = np.mean([pc[m] for pc in per_class], axis=0)
    return out
