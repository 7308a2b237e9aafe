"""Per-row loss, the quantity weak-segment discovery and the error tree look at.

>>> import numpy as np
>>> row_loss([0, 1, 1], y_pred=[0, 0, 1]).tolist()
[0.0, 1.0, 0.0]
>>> row_loss([1.0, 2.0], y_pred=[1.5, 1.0], kind="absolute").tolist()
[0.5, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import DataError, ParameterError
from ..uncertainty.calibration import as_proba, encode_targets

__all__ = ["LOSS_KINDS", "row_loss"]

LOSS_KINDS = ("error", "log_loss", "absolute", "squared")


def row_loss(y_true: Any, *, y_pred: Any = None, proba: Any = None, classes: Any = None,
             kind: str = "error", eps: float = 1e-15) -> np.ndarray:
    """Loss of each row: ``"error"`` (0/1, classification), ``"log_loss"`` (needs ``proba``,
    columns in the order of ``classes``), ``"absolute"`` or ``"squared"`` (regression)."""
    if kind not in LOSS_KINDS:
        raise ParameterError("kind", expected=f"one of {LOSS_KINDS}", got=repr(kind),
                             fix="use 'error' or 'log_loss' for classification, "
                                 "'absolute' for regression")
    yt = np.asarray(y_true)
    if kind == "log_loss":
        if proba is None:
            raise ParameterError("proba", expected="probabilities for kind='log_loss'",
                                 got="None", fix="pass proba=model.predict_proba(X)")
        p = as_proba(proba)
        codes = encode_targets(yt, p.shape[1], classes)
        return -np.log(np.clip(p[np.arange(p.shape[0]), codes], eps, 1.0))
    if y_pred is None:
        raise ParameterError("y_pred", expected=f"predictions for kind={kind!r}", got="None",
                             fix="pass y_pred=model.predict(X)")
    yp = np.asarray(y_pred)
    if yt.ndim != 1 or yt.shape != yp.shape or yt.size == 0:
        raise DataError("y_true / y_pred", expected="two non-empty 1-D arrays of one length",
                        got=f"shapes {yt.shape} and {yp.shape}", fix="pass aligned arrays")
    if kind == "error":
        return (yt != yp).astype(float)
    if yt.dtype.kind not in "iuf" or yp.dtype.kind not in "iuf":
        raise DataError("y_true / y_pred", expected=f"numbers for kind={kind!r} (regression)",
                        got=f"dtypes {yt.dtype} and {yp.dtype}",
                        fix="use kind='error' for class labels")
    diff = yt.astype(float) - yp.astype(float)
    return np.abs(diff) if kind == "absolute" else diff ** 2
