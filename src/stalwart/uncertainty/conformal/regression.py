"""Split conformal regression: intervals with a finite-sample coverage guarantee.

Scores (Angelopoulos and Bates 2021, section 2):

- absolute residual ``|y - f(x)|``: intervals ``f(x) +/- q`` of constant width;
- normalised residual ``|y - f(x)| / s(x)`` with a spread model ``s`` (Papadopoulos et al.
  2008; Lei et al. 2018): intervals ``f(x) +/- q s(x)`` that widen where the model errs;
- CQR (Romano et al. 2019): ``max(lo(x) - y, y - hi(x))`` for quantile regressors
  ``lo`` and ``hi``: intervals ``[lo(x) - q, hi(x) + q]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import cross_val_predict

from ...exceptions import DataError, ParameterError
from .quantile import check_alpha, conformal_quantile
from .results import ConformalResult, evaluate_intervals
from ._stages import fit_clone, refuse_fit_when_prefit, require_stage, wrap_for_task

__all__ = ["ConformalizedQuantileRegressor", "SplitConformalRegressor", "conformal_intervals",
           "cqr_intervals"]

# Spreads are floored here: a model predicting 0 (or less) spread would divide by zero.
_MIN_SPREAD = 1e-12


def _vector(values: Any, what: str, n: int | None = None) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim == 2 and v.shape[1] == 1:
        v = v[:, 0]
    if v.ndim != 1 or (n is not None and v.shape[0] != n) or not np.all(np.isfinite(v)):
        raise DataError(what, expected=f"a 1-D array of {n if n is not None else 'n'} finite "
                        "numbers", got=f"shape {v.shape}" if v.ndim != 1 or v.shape[0] != n
                        else "NaN or infinite values",
                        fix="pass one regression prediction or target per row")
    return v


def _spread(values: Any, what: str, n: int) -> np.ndarray:
    return np.maximum(_vector(values, what, n), _MIN_SPREAD)


def conformal_intervals(y_cal: Any, pred_cal: Any, pred_test: Any, *, alpha: float = 0.1,
                        spread_cal: Any = None, spread_test: Any = None) -> np.ndarray:
    """(n_test, 2) intervals from calibration targets and predictions.

    Without spreads the score is the absolute residual; with ``spread_cal`` and
    ``spread_test`` (e.g. predicted absolute errors) it is the normalised residual.

    >>> y = np.arange(20.0); pred = y + np.tile([-1.0, 1.0], 10)
    >>> conformal_intervals(y, pred, np.array([5.0]), alpha=0.1).tolist()
    [[4.0, 6.0]]
    """
    y = _vector(y_cal, "y_cal")
    pred = _vector(pred_cal, "pred_cal", y.size)
    test = _vector(pred_test, "pred_test")
    if (spread_cal is None) != (spread_test is None):
        raise ParameterError("spread_cal/spread_test", expected="both or neither",
                             got="only one", fix="pass the spread model's output for both")
    residual = np.abs(y - pred)
    if spread_cal is None:
        q = conformal_quantile(residual, alpha)
        half = np.full(test.size, q)
    else:
        q = conformal_quantile(residual / _spread(spread_cal, "spread_cal", y.size), alpha)
        half = q * _spread(spread_test, "spread_test", test.size)
    return np.column_stack([test - half, test + half])


def cqr_intervals(y_cal: Any, lower_cal: Any, upper_cal: Any, lower_test: Any,
                  upper_test: Any, *, alpha: float = 0.1) -> np.ndarray:
    """Conformalised quantile regression intervals, (n_test, 2).

    A negative correction narrows the band when the quantile regressors over-cover.

    >>> y = np.arange(10.0)
    >>> cqr_intervals(y + 2, y - 1, y + 1, [0.0], [1.0], alpha=0.1).tolist()
    [[-1.0, 2.0]]
    """
    y = _vector(y_cal, "y_cal")
    lo = _vector(lower_cal, "lower_cal", y.size)
    hi = _vector(upper_cal, "upper_cal", y.size)
    lo_t = _vector(lower_test, "lower_test")
    hi_t = _vector(upper_test, "upper_test", lo_t.size)
    q = conformal_quantile(np.maximum(lo - y, y - hi), alpha)
    return np.column_stack([lo_t - q, hi_t + q])


class SplitConformalRegressor:
    """Intervals around a regressor covering the target with probability >= 1 - alpha.

    ``score="absolute"`` or ``"normalized"``; the latter divides residuals by
    ``spread_model``'s prediction. With ``prefit=False``, ``fit`` trains the model and
    then the spread model on the model's out-of-fold absolute residuals (``cv`` folds), so
    the spread is not learnt from overfitted training residuals.

    >>> from sklearn.linear_model import LinearRegression
    >>> rng = np.random.default_rng(0); X = rng.normal(size=(400, 2))
    >>> y = X[:, 0] + rng.normal(size=400)
    >>> cp = SplitConformalRegressor(LinearRegression(), prefit=False).fit(X[:200], y[:200])
    >>> cp.conformalize(X[200:], y[200:]).predict_interval(X[:3]).shape
    (3, 2)
    """

    def __init__(self, model: Any, *, alpha: float = 0.1, score: str = "absolute",
                 spread_model: Any = None, prefit: bool = True, cv: int = 5) -> None:
        self.model = model
        self.alpha = alpha
        self.score = score
        self.spread_model = spread_model
        self.prefit = prefit
        self.cv = cv

    def _check_score(self) -> None:
        if self.score not in ("absolute", "normalized"):
            raise ParameterError("score", expected="'absolute' or 'normalized'",
                                 got=repr(self.score),
                                 fix="use ConformalizedQuantileRegressor for CQR")
        if (self.score == "normalized") != (self.spread_model is not None):
            raise ParameterError("spread_model", expected="a spread model exactly when "
                                 "score='normalized'", got=repr(self.spread_model),
                                 fix="pass spread_model=... with score='normalized' only")

    def fit(self, X: Any, y: Any) -> SplitConformalRegressor:
        """Train the model (and the spread model) on a training split; needs prefit=False."""
        self._check_score()
        if self.prefit:
            refuse_fit_when_prefit(self)
        self.model_ = wrap_for_task(fit_clone(self.model, X, y), "regression")
        self.spread_ = None
        if self.spread_model is not None:
            oof = cross_val_predict(clone(self.model), X, y, cv=self.cv)
            residual = np.abs(np.asarray(y, dtype=float) - oof)
            self.spread_ = wrap_for_task(fit_clone(self.spread_model, X, residual), "regression")
        self.quantile_ = None
        return self

    def conformalize(self, X: Any, y: Any) -> SplitConformalRegressor:
        """Compute the residual quantile on a calibration split the models never saw."""
        self._check_score()
        check_alpha(self.alpha)
        if self.prefit:
            self.model_ = wrap_for_task(self.model, "regression")
            self.spread_ = (None if self.spread_model is None
                            else wrap_for_task(self.spread_model, "regression"))
        model = require_stage(self, "model_", stage="fit", before="conformalize")
        yy = _vector(y, "y")
        residual = np.abs(yy - _vector(model.predict(X), "model predictions", yy.size))
        if self.spread_ is not None:
            residual = residual / _spread(self.spread_.predict(X), "spread predictions", yy.size)
        self.quantile_ = conformal_quantile(residual, self.alpha)
        self.n_calibration_ = int(yy.size)
        return self

    def predict(self, X: Any) -> np.ndarray:
        return require_stage(self, "model_", stage="fit", before="predict").predict(X)

    def predict_interval(self, X: Any) -> np.ndarray:
        """(n, 2) intervals ``[lower, upper]``."""
        q = require_stage(self, "quantile_", stage="conformalize", before="predict_interval")
        pred = _vector(self.model_.predict(X), "model predictions")
        half = np.full(pred.size, q)
        if self.spread_ is not None:
            half = q * _spread(self.spread_.predict(X), "spread predictions", pred.size)
        return np.column_stack([pred - half, pred + half])

    def evaluate(self, X: Any, y: Any, *, groups: Any = None) -> ConformalResult:
        """Empirical coverage and mean width on labelled data, overall and per group."""
        return evaluate_intervals(self.predict_interval(X), _vector(y, "y"), alpha=self.alpha,
                                  groups=groups, method=self.score)


class ConformalizedQuantileRegressor:
    """CQR: widen (or narrow) a pair of quantile regressors to a valid interval.

    ``lower_model``/``upper_model`` estimate low and high conditional quantiles, e.g.
    ``GradientBoostingRegressor(loss="quantile", alpha=0.05)`` and ``alpha=0.95``.
    """

    def __init__(self, lower_model: Any, upper_model: Any, *, alpha: float = 0.1,
                 prefit: bool = True) -> None:
        self.lower_model = lower_model
        self.upper_model = upper_model
        self.alpha = alpha
        self.prefit = prefit

    def fit(self, X: Any, y: Any) -> ConformalizedQuantileRegressor:
        if self.prefit:
            refuse_fit_when_prefit(self)
        self.lower_ = wrap_for_task(fit_clone(self.lower_model, X, y), "regression")
        self.upper_ = wrap_for_task(fit_clone(self.upper_model, X, y), "regression")
        self.quantile_ = None
        return self

    def conformalize(self, X: Any, y: Any) -> ConformalizedQuantileRegressor:
        check_alpha(self.alpha)
        if self.prefit:
            self.lower_ = wrap_for_task(self.lower_model, "regression")
            self.upper_ = wrap_for_task(self.upper_model, "regression")
        lower = require_stage(self, "lower_", stage="fit", before="conformalize")
        yy = _vector(y, "y")
        lo = _vector(lower.predict(X), "lower predictions", yy.size)
        hi = _vector(self.upper_.predict(X), "upper predictions", yy.size)
        self.quantile_ = conformal_quantile(np.maximum(lo - yy, yy - hi), self.alpha)
        self.n_calibration_ = int(yy.size)
        return self

    def predict_interval(self, X: Any) -> np.ndarray:
        q = require_stage(self, "quantile_", stage="conformalize", before="predict_interval")
        lo = _vector(self.lower_.predict(X), "lower predictions")
        hi = _vector(self.upper_.predict(X), "upper predictions", lo.size)
        return np.column_stack([lo - q, hi + q])

    def evaluate(self, X: Any, y: Any, *, groups: Any = None) -> ConformalResult:
        return evaluate_intervals(self.predict_interval(X), _vector(y, "y"), alpha=self.alpha,
                                  groups=groups, method="cqr")
