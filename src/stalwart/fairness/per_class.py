"""One-vs-rest fairness audits of a multiclass problem: one audit per class.

Group fairness measures are defined for a binary decision. For a multiclass model each
class can be audited as "this class against the rest" (the decision "predicted class k"
against the label "true class k"); :func:`fairness_audit_per_class` runs
:func:`~stalwart.fairness.fairness_audit` once per class, with that class's probability
column for calibration when ``proba`` is given.

>>> import numpy as np
>>> y = np.array([0, 1, 2, 0, 1, 2, 0, 1])
>>> p = np.array([0, 1, 1, 0, 2, 2, 0, 1])
>>> g = np.array(list("aabbaabb"))
>>> audits = fairness_audit_per_class(y, p, sensitive=g, n_boot=0, min_group_size=1)
>>> sorted(audits), audits[2].overall["tpr"]
([0, 1, 2], 0.5)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import DataError
from .audit import fairness_audit
from .audit_result import FairnessAudit
from .outcomes import outcome_labels

__all__ = ["fairness_audit_per_class"]


def fairness_audit_per_class(y_true: Any, y_pred: Any, *, sensitive: Any, proba: Any = None,
                             classes: Any = None, **options: Any) -> dict[Any, FairnessAudit]:
    """``{class: audit of class-vs-rest}`` for every class of ``classes`` (default: the
    sorted labels of ``y_true`` and ``y_pred``); ``proba`` is an (n, k) matrix whose columns
    follow ``classes``. Other options go to :func:`fairness_audit`."""
    labels = list(classes) if classes is not None else outcome_labels(y_true, y_pred)
    if "pos_label" in options or "multiclass" in options:
        raise DataError("options", expected="no pos_label or multiclass (every class is the "
                        "positive one in turn)", got=str(sorted(options)),
                        fix="drop them, or call fairness_audit for a single class")
    p = None
    if proba is not None:
        p = np.asarray(proba, dtype=float)
        if p.ndim != 2 or p.shape[1] != len(labels):
            raise DataError("proba", expected=f"an (n, {len(labels)}) matrix, one column per "
                            f"class of {labels[:10]}", got=f"shape {p.shape}",
                            fix="pass predict_proba output and classes=model.classes_")
    return {c: fairness_audit(y_true, y_pred, sensitive=sensitive, pos_label=c,
                              multiclass="ovr", proba=None if p is None else p[:, i],
                              **options)
            for i, c in enumerate(labels)}
