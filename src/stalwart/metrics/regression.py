"""Regression metrics: input checks and the registered metrics (scikit-learn's functions).

``pinball_<alpha>`` is the quantile loss of a prediction meant as the ``alpha`` quantile;
``pinball_0.5`` (half the MAE) is a default, 0.1 and 0.9 are registered for interval ends,
and :func:`pinball_metric` registers any other level.

>>> y, p = check_regression([1.0, 2.0, 4.0], y_pred=[1.0, 3.0, 3.0])
>>> METRICS.get("mae")(y, p, None, None), METRICS.get("pinball_0.5")(y, p, None, None)
(0.6666666666666666, 0.3333333333333333)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn import metrics as skm

from ..exceptions import DataError, ParameterError
from .registry import METRICS, MetricSpec, register_metric

__all__ = ["check_regression", "pinball_metric"]


def check_regression(y_true: Any, *, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate regression inputs: two finite numeric 1-D arrays of the same length."""
    out = []
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if values is None:
            raise ParameterError(name, expected="numeric values", got="None",
                                 fix="pass the targets and the model's predictions")
        arr = np.asarray(values)
        if arr.dtype.kind not in "iufb":
            raise DataError(name, expected="numbers for a regression metric",
                            got=f"dtype {arr.dtype} (class labels?)",
                            fix="use task='classification' or pass numeric values")
        arr = arr.astype(float)
        if arr.ndim != 1 or arr.size == 0 or not np.isfinite(arr).all():
            raise DataError(name, expected="a non-empty 1-D array of finite numbers",
                            got=f"shape {arr.shape}" if arr.ndim != 1 or arr.size == 0
                            else "NaN or infinite values", fix="drop rows with missing values")
        out.append(arr)
    if out[0].shape != out[1].shape:
        raise DataError("y_pred", expected=f"{out[0].size} values, like y_true",
                        got=f"{out[1].size}", fix="pass one prediction per row")
    return out[0], out[1]


def pinball_metric(alpha: float) -> MetricSpec:
    """The registered spec ``pinball_<alpha>``, registering it on first use."""
    if not 0.0 < alpha < 1.0:
        raise ParameterError("pinball alpha", expected="a quantile level in (0, 1)",
                             got=repr(alpha), fix="pass for example 0.9")
    name = f"pinball_{alpha:g}"
    if name in METRICS:
        return METRICS.get(name)

    def loss(y, p, _q, _c):
        return skm.mean_pinball_loss(y, p, alpha=alpha)

    def batch(y, p, _q, _c, idx):
        d = (y - p)[idx]
        return np.where(d >= 0, alpha * d, (alpha - 1.0) * d).mean(axis=1)

    return register_metric(name, loss, task="regression", needs_proba=False,
                           greater_is_better=False, default=alpha == 0.5, batch=batch)


def _r2_batch(y, p, _q, _c, idx):
    """R2 of every resample, with scikit-learn's finite convention for a constant target."""
    yr = y[idx]
    ss_tot = ((yr - yr.mean(axis=1, keepdims=True)) ** 2).sum(axis=1)
    ss_res = ((y - p) ** 2)[idx].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = 1.0 - ss_res / ss_tot
    return np.where(ss_tot > 0, r2, np.where(ss_res > 0, 0.0, 1.0))


_R = "regression"
register_metric("mae", lambda y, p, _q, _c: skm.mean_absolute_error(y, p), task=_R,
                needs_proba=False, greater_is_better=False,
                batch=lambda y, p, _q, _c, idx: np.abs(y - p)[idx].mean(axis=1))
register_metric("rmse", lambda y, p, _q, _c: skm.root_mean_squared_error(y, p), task=_R,
                needs_proba=False, greater_is_better=False,
                batch=lambda y, p, _q, _c, idx: np.sqrt(((y - p) ** 2)[idx].mean(axis=1)))
register_metric("r2", lambda y, p, _q, _c: skm.r2_score(y, p), task=_R, needs_proba=False,
                greater_is_better=True, batch=_r2_batch)
register_metric("mape", lambda y, p, _q, _c: skm.mean_absolute_percentage_error(y, p),
                task=_R, needs_proba=False, greater_is_better=False,
                batch=lambda y, p, _q, _c, idx: (np.abs(y - p) / np.maximum(
                    np.abs(y), np.finfo(float).eps))[idx].mean(axis=1))
for _alpha in (0.1, 0.5, 0.9):
    pinball_metric(_alpha)
