"""Binary outcomes for fairness measures: labels and predictions as 0/1 against ``pos_label``.

Group fairness measures (selection rate, true and false positive rates) are defined for a
binary decision. Two labels are read against ``pos_label``; more than two labels are an
error unless one-vs-rest is asked for (``multiclass="ovr"``: ``pos_label`` against every
other class), so a multiclass problem is never binarised silently.

>>> yt, yp = binary_outcomes(["no", "yes", "yes"], ["yes", "yes", "no"], pos_label="yes")
>>> yt.tolist(), yp.tolist()
([0, 1, 1], [1, 1, 0])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import DataError, ParameterError

__all__ = ["MULTICLASS", "binary_outcomes", "outcome_labels", "positive_scores"]

MULTICLASS = ("error", "ovr")


def _labels(values: Any, what: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size == 0:
        raise DataError(what, expected="a non-empty 1-D array of class labels",
                        got=f"shape {arr.shape}", fix="pass one label per row")
    if pd.isna(pd.Series(arr, dtype=object)).any():
        raise DataError(what, expected="a label on every row", got="missing values",
                        fix="drop the rows without a label or prediction first")
    return arr


def outcome_labels(y_true: Any, y_pred: Any) -> list[Any]:
    """The distinct labels of ``y_true`` and ``y_pred`` together, sorted when possible."""
    seen = pd.unique(pd.Series(np.concatenate([np.asarray(y_true, dtype=object),
                                               np.asarray(y_pred, dtype=object)])))
    try:
        return sorted(seen)
    except TypeError:
        return sorted(seen, key=str)


def binary_outcomes(y_true: Any, y_pred: Any, *, pos_label: Any = 1,
                    multiclass: str = "error") -> tuple[np.ndarray, np.ndarray]:
    """``(y_true == pos_label, y_pred == pos_label)`` as int arrays, after checking that the
    outcome is binary (or ``multiclass="ovr"``) and that ``pos_label`` is one of its labels."""
    if multiclass not in MULTICLASS:
        raise ParameterError("multiclass", expected=f"one of {MULTICLASS}", got=repr(multiclass),
                             fix="use 'ovr' to audit pos_label against the other classes")
    yt = _labels(y_true, "y_true")
    yp = _labels(y_pred, "y_pred")
    if yp.shape != yt.shape:
        raise DataError("y_pred", expected=f"{yt.size} predictions (one per label)",
                        got=f"{yp.size}", fix="pass labels and predictions of the same rows")
    labels = outcome_labels(yt, yp)
    if len(labels) > 2 and multiclass == "error":
        raise DataError("outcome", expected="a binary outcome (two labels) for group fairness "
                        "measures", got=f"{len(labels)} labels {labels[:10]}",
                        fix="pass multiclass='ovr' with pos_label=<class> to audit one class "
                            "against the rest (fairness_audit_per_class audits each class)")
    if pos_label not in labels and len(labels) > 1:
        raise DataError("pos_label", expected=f"one of the outcome labels {labels[:10]}",
                        got=repr(pos_label), fix=f"pass pos_label={labels[-1]!r} (the "
                        "favourable outcome, e.g. 'loan granted')")
    return (yt == pos_label).astype(int), (yp == pos_label).astype(int)


def positive_scores(proba: Any, n_rows: int, *, what: str = "proba") -> np.ndarray:
    """A 1-D array of the positive class's probability, one per row, in [0, 1]."""
    p = np.asarray(proba, dtype=float)
    if p.ndim != 1 or p.size != n_rows:
        raise DataError(what, expected=f"a 1-D array of {n_rows} positive-class "
                        "probabilities", got=f"shape {p.shape}",
                        fix="pass proba[:, list(model.classes_).index(pos_label)]")
    if not np.all(np.isfinite(p)) or p.min() < 0 or p.max() > 1:
        raise DataError(what, expected="finite probabilities in [0, 1]",
                        got="values outside [0, 1] or NaN",
                        fix="pass predict_proba's column, not logits or decision scores")
    return p
