"""Calibration error: ECE (equal-width or equal-mass bins, top-label or classwise) and MCE.

Functions take arrays, so monitoring can reuse them on logged predictions: ``y_true`` holds
class labels and ``proba`` is either an (n, n_classes) matrix whose columns follow
``classes`` or, for a binary problem, a 1-D array of the positive class's probability.
Binning follows :func:`sklearn.calibration.calibration_curve` exactly (same edges, same
``searchsorted`` rule), so the per-bin statistics match it.

>>> import numpy as np
>>> y = np.array([0, 1, 1, 1])
>>> p = np.array([0.2, 0.6, 0.7, 0.9])
>>> round(expected_calibration_error(y, p, n_bins=2), 4)
0.25
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import DataError, ParameterError
from ..metrics.probabilities import check_proba

__all__ = [
    "STRATEGIES",
    "VARIANTS",
    "as_proba",
    "bin_statistics",
    "encode_targets",
    "expected_calibration_error",
    "maximum_calibration_error",
]

STRATEGIES = ("uniform", "quantile")
VARIANTS = ("top_label", "classwise")


def as_proba(proba: Any, *, what: str = "proba") -> np.ndarray:
    """An (n, k) float matrix of probabilities; a 1-D array becomes ``[1 - p, p]``."""
    return check_proba(proba, what=what, allow_1d=True)


def encode_targets(y_true: Any, n_classes: int, classes: Any = None) -> np.ndarray:
    """Column position of each label.

    Without ``classes``, integer labels 0..k-1 are taken as positions, otherwise the sorted
    distinct labels must number exactly ``n_classes``.
    """
    y = np.asarray(y_true)
    if y.ndim != 1 or y.size == 0:
        raise DataError("y_true", expected="a non-empty 1-D array of class labels",
                        got=f"shape {y.shape}", fix="pass one label per row")
    if classes is None:
        if y.dtype.kind in "iub" or (y.dtype.kind == "f" and np.all(y == np.round(y))):
            codes = y.astype(int)
            if codes.min() >= 0 and codes.max() < n_classes:
                return codes
        classes = np.unique(y)
        if classes.size != n_classes:
            raise DataError("y_true", expected=f"labels of {n_classes} classes (one per "
                            "probability column)", got=f"{classes.size} distinct labels",
                            fix="pass classes= in the column order of proba")
    cls = np.asarray(classes)
    if cls.size != n_classes:
        raise ParameterError("classes", expected=f"{n_classes} labels, one per column",
                             got=f"{cls.size} labels", fix="pass the model's classes_")
    order = np.argsort(cls, kind="stable")
    pos = np.searchsorted(cls[order], y)
    pos = np.clip(pos, 0, cls.size - 1)
    unseen = cls[order][pos] != y
    if unseen.any():
        raise DataError("y_true", expected=f"labels among {cls.tolist()}",
                        got=f"unseen label {y[unseen][0]!r}",
                        fix="pass classes= that include every label, in proba's order")
    return order[pos]


def check_n_bins(n_bins: int, strategy: str) -> None:
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ParameterError("n_bins", expected="an integer >= 1", got=repr(n_bins),
                             fix="use e.g. n_bins=15")
    if strategy not in STRATEGIES:
        raise ParameterError("strategy", expected=f"one of {STRATEGIES}", got=repr(strategy),
                             fix="use 'uniform' (equal width) or 'quantile' (equal mass)")


def bin_statistics(score: np.ndarray, hit: np.ndarray, *, n_bins: int = 15,
                   strategy: str = "uniform") -> dict[str, np.ndarray]:
    """Per-bin edges, count, mean score and mean hit; the rule of ``calibration_curve``.

    Bins may be empty (count 0, means NaN); equal-mass edges repeat when scores tie.
    """
    check_n_bins(n_bins, strategy)
    score = np.asarray(score, dtype=float)
    hit = np.asarray(hit, dtype=float)
    if strategy == "quantile":
        edges = np.percentile(score, np.linspace(0, 100, n_bins + 1))
    else:
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(edges[1:-1], score)
    count = np.bincount(ids, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        conf = np.bincount(ids, weights=score, minlength=n_bins) / count
        acc = np.bincount(ids, weights=hit, minlength=n_bins) / count
    return {"edges": edges, "count": count, "confidence": conf, "accuracy": acc,
            "bin_id": ids}


def _check_variant(variant: str) -> None:
    if variant not in VARIANTS:
        raise ParameterError("variant", expected=f"one of {VARIANTS}", got=repr(variant),
                             fix="use 'top_label' (confidence of the predicted class) or "
                                 "'classwise' (every class's probability)")


def _per_bin_gaps(y_true: Any, proba: Any, *, n_bins: int, strategy: str, variant: str,
                  classes: Any) -> list[dict[str, np.ndarray]]:
    """Bin statistics per scored column: one for top-label, one per class for classwise."""
    _check_variant(variant)
    p = as_proba(proba)
    y = encode_targets(y_true, p.shape[1], classes)
    if y.size != p.shape[0]:
        raise DataError("y_true", expected=f"{p.shape[0]} labels (one per proba row)",
                        got=f"{y.size}", fix="pass labels and probabilities of the same rows")
    if variant == "top_label":
        return [bin_statistics(p.max(axis=1), p.argmax(axis=1) == y, n_bins=n_bins,
                               strategy=strategy)]
    columns = range(1, 2) if np.ndim(proba) == 1 else range(p.shape[1])
    return [bin_statistics(p[:, k], y == k, n_bins=n_bins, strategy=strategy)
            for k in columns]


def _ece(stats: dict[str, np.ndarray]) -> float:
    n = stats["count"].sum()
    used = stats["count"] > 0
    gap = np.abs(stats["accuracy"][used] - stats["confidence"][used])
    return float(np.sum(stats["count"][used] * gap) / n)


def _mce(stats: dict[str, np.ndarray]) -> float:
    used = stats["count"] > 0
    return float(np.max(np.abs(stats["accuracy"][used] - stats["confidence"][used])))


def expected_calibration_error(y_true: Any, proba: Any, *, n_bins: int = 15,
                               strategy: str = "uniform", variant: str = "top_label",
                               classes: Any = None) -> float:
    """ECE = sum over bins of (bin share) x |accuracy - mean confidence|.

    ``variant="top_label"`` bins the confidence of the predicted class against whether the
    prediction is right (for a 1-D binary input that is max(p, 1 - p)); ``"classwise"``
    averages the ECE of each class's probability against "the label is this class" (for a
    1-D binary input, only the positive class is scored, as in ``calibration_curve``).
    ``strategy`` is "uniform" (equal-width bins on [0, 1]) or "quantile" (equal-mass bins).
    """
    stats = _per_bin_gaps(y_true, proba, n_bins=n_bins, strategy=strategy,
                          variant=variant, classes=classes)
    return float(np.mean([_ece(s) for s in stats]))


def maximum_calibration_error(y_true: Any, proba: Any, *, n_bins: int = 15,
                              strategy: str = "uniform", variant: str = "top_label",
                              classes: Any = None) -> float:
    """MCE = largest |accuracy - mean confidence| over non-empty bins (over classes too)."""
    stats = _per_bin_gaps(y_true, proba, n_bins=n_bins, strategy=strategy,
                          variant=variant, classes=classes)
    return float(max(_mce(s) for s in stats))
