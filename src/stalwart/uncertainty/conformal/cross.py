"""Cross-conformal regression: CV+ and jackknife+ (Barber, Candes, Ramdas, Tibshirani 2021).

Every point serves for training and calibration. With out-of-fold models ``mu_{-k(i)}`` and
residuals ``R_i = |y_i - mu_{-k(i)}(x_i)|``, the interval at ``x`` is::

    [ floor(alpha (n+1))-th smallest of  mu_{-k(i)}(x) - R_i ,
      ceil((1-alpha)(n+1))-th smallest of mu_{-k(i)}(x) + R_i ]

Jackknife+ is CV+ with one point per fold. The guarantee is coverage >= 1 - 2 alpha for any
model (>= 1 - alpha - sqrt(2/n) style slack for CV+); with stable models it is close to
1 - alpha in practice.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.model_selection import KFold, LeaveOneOut

from ...exceptions import DataError, ParameterError
from .quantile import check_alpha, quantile_rank
from .results import ConformalResult, evaluate_intervals
from ._stages import fit_clone, require_stage, wrap_for_task

__all__ = ["CrossConformalRegressor", "cv_plus_intervals"]

METHODS = ("cv+", "jackknife+")


def cv_plus_intervals(oof_test_pred: Any, residuals: Any, *, alpha: float = 0.1) -> np.ndarray:
    """(n_test, 2) CV+/jackknife+ intervals.

    ``oof_test_pred[i, j]`` is the prediction at test point ``j`` of the model that did not
    see calibration point ``i``; ``residuals[i]`` is point ``i``'s out-of-fold residual.

    >>> preds = np.zeros((19, 1)); r = np.arange(1.0, 20.0)
    >>> cv_plus_intervals(preds, r, alpha=0.1).tolist()
    [[-18.0, 18.0]]
    """
    mu = np.asarray(oof_test_pred, dtype=float)
    r = np.asarray(residuals, dtype=float)
    if mu.ndim != 2 or r.ndim != 1 or mu.shape[0] != r.size:
        raise DataError("oof_test_pred/residuals", expected="an (n, n_test) matrix and n "
                        "residuals", got=f"shapes {mu.shape} and {r.shape}",
                        fix="one row of test predictions per calibration point")
    if not (np.all(np.isfinite(mu)) and np.all(np.isfinite(r))):
        raise DataError("oof_test_pred/residuals", expected="finite numbers",
                        got="NaN or infinite values", fix="check the fold models' outputs")
    k = quantile_rank(r.size, alpha)
    upper = np.partition(mu + r[:, None], k - 1, axis=0)[k - 1]
    # floor(alpha (n+1)) = n + 1 - k, so the lower bound is minus the k-th smallest of -lows
    lower = -np.partition(r[:, None] - mu, k - 1, axis=0)[k - 1]
    return np.column_stack([lower, upper])


class CrossConformalRegressor:
    """CV+ (``method="cv+"``, ``cv`` shuffled folds) or jackknife+ (leave-one-out).

    Stages: ``fit_conformalize(X, y)`` trains the fold models and stores out-of-fold
    residuals; then ``predict_interval``.

    >>> from sklearn.linear_model import LinearRegression
    >>> rng = np.random.default_rng(0); X = rng.normal(size=(100, 2))
    >>> y = X @ [1.0, -1.0] + rng.normal(size=100)
    >>> cp = CrossConformalRegressor(LinearRegression(), method="jackknife+").fit_conformalize(X, y)
    >>> cp.predict_interval(X[:2]).shape, len(cp.models_)
    ((2, 2), 100)
    """

    def __init__(self, model: Any, *, alpha: float = 0.1, method: str = "cv+", cv: int = 5,
                 random_state: int | None = None) -> None:
        self.model = model
        self.alpha = alpha
        self.method = method
        self.cv = cv
        self.random_state = random_state

    def _splitter(self) -> KFold | LeaveOneOut:
        if self.method not in METHODS:
            raise ParameterError("method", expected=f"one of {list(METHODS)}",
                                 got=repr(self.method), fix="pass method='cv+' or 'jackknife+'")
        if self.method == "jackknife+":
            return LeaveOneOut()
        if isinstance(self.cv, bool) or not isinstance(self.cv, (int, np.integer)) or self.cv < 2:
            raise ParameterError("cv", expected="an integer >= 2", got=repr(self.cv),
                                 fix="pass cv=5, or method='jackknife+' for leave-one-out")
        return KFold(n_splits=int(self.cv), shuffle=True, random_state=self.random_state)

    def fit_conformalize(self, X: Any, y: Any) -> CrossConformalRegressor:
        """Train one model per fold and record each point's out-of-fold residual."""
        alpha = check_alpha(self.alpha)
        splitter = self._splitter()
        yy = np.asarray(y, dtype=float)
        quantile_rank(yy.size, alpha)  # refuse too few points before training anything
        # keep data frames as frames so the fold models learn (and later check) column names
        Xa = X if hasattr(X, "iloc") else np.asarray(X)
        rows = (lambda idx: Xa.iloc[idx]) if hasattr(Xa, "iloc") else (lambda idx: Xa[idx])
        fold = np.empty(yy.size, dtype=int)
        residuals = np.empty(yy.size)
        models = []
        for k, (train, held) in enumerate(splitter.split(np.empty((yy.size, 1)))):
            model = wrap_for_task(fit_clone(self.model, rows(train), yy[train]), "regression")
            models.append(model)
            fold[held] = k
            residuals[held] = np.abs(yy[held] - np.asarray(model.predict(rows(held)), float))
        self.models_ = models
        self.fold_ = fold
        self.residuals_ = residuals
        return self

    def _fold_predictions(self, X: Any) -> np.ndarray:
        models = require_stage(self, "models_", stage="fit_conformalize",
                               before="predict_interval")
        return np.vstack([np.asarray(m.predict(X), dtype=float) for m in models])

    def predict(self, X: Any) -> np.ndarray:
        """Mean prediction of the fold models."""
        return self._fold_predictions(X).mean(axis=0)

    def predict_interval(self, X: Any) -> np.ndarray:
        """(n, 2) intervals ``[lower, upper]``."""
        per_fold = self._fold_predictions(X)
        return cv_plus_intervals(per_fold[self.fold_], self.residuals_, alpha=self.alpha)

    def evaluate(self, X: Any, y: Any, *, groups: Any = None) -> ConformalResult:
        return evaluate_intervals(self.predict_interval(X), np.asarray(y, dtype=float),
                                  alpha=self.alpha, groups=groups, method=self.method)
