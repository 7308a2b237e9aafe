"""Split conformal classification: prediction sets with a finite-sample coverage guarantee.

Array level: :func:`calibrate_threshold` and :func:`conformal_sets` work on probabilities.
Model level: :class:`SplitConformalClassifier` runs ``fit -> conformalize -> predict_set``
on any classifier that :func:`stalwart.models.wrap` accepts. ``mondrian=True`` calibrates
one threshold per class, so that coverage holds within every class (Vovk 2003).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...exceptions import DataError
from .quantile import check_alpha, conformal_quantile
from .results import ConformalResult, evaluate_sets
from .scores import check_proba, label_scores, prediction_sets
from ._stages import (encode_labels, fit_clone, refuse_fit_when_prefit, require_stage,
                      wrap_for_task)

__all__ = ["SplitConformalClassifier", "calibrate_threshold", "conformal_sets"]


def _draws(rng: np.random.Generator, n: int, randomized: bool) -> np.ndarray | None:
    return rng.uniform(size=n) if randomized else None


def calibrate_threshold(proba: np.ndarray, y_index: np.ndarray, *, alpha: float = 0.1,
                        score: str = "lac", randomized: bool = False, k_reg: int = 1,
                        lam: float = 0.0, mondrian: bool = False,
                        u: np.ndarray | None = None) -> float | np.ndarray:
    """Conformal threshold from calibration probabilities and true class positions.

    Returns one number, or one per class when ``mondrian`` (each from that class's rows).

    >>> proba = np.tile([[0.7, 0.3], [0.4, 0.6]], (10, 1))
    >>> calibrate_threshold(proba, np.tile([0, 0], 10), alpha=0.2)
    0.6
    """
    p = check_proba(proba)
    y = np.asarray(y_index)
    if y.shape != (p.shape[0],) or not np.issubdtype(y.dtype, np.integer) \
            or (y.size > 0 and (y.min() < 0 or y.max() >= p.shape[1])):
        raise DataError("y_index", expected=f"{p.shape[0]} integer class positions in "
                        f"[0, {p.shape[1] - 1}]", got=f"shape {y.shape}, dtype {y.dtype}",
                        fix="encode labels as column positions of proba")
    s = label_scores(p, score=score, randomized=randomized, k_reg=k_reg, lam=lam,
                     u=u)[np.arange(p.shape[0]), y]
    if not mondrian:
        return conformal_quantile(s, alpha)
    out = np.empty(p.shape[1])
    for k in range(p.shape[1]):
        try:
            out[k] = conformal_quantile(s[y == k], alpha)
        except DataError as err:
            raise DataError(f"calibration rows of class position {k} (Mondrian)",
                            expected=err.expected, got=err.got,
                            fix=err.fix + ", or mondrian=False") from None
    return out


def conformal_sets(cal_proba: np.ndarray, cal_y_index: np.ndarray, test_proba: np.ndarray, *,
                   alpha: float = 0.1, score: str = "lac", randomized: bool = False,
                   k_reg: int = 1, lam: float = 0.0, mondrian: bool = False,
                   include_last: bool = False, random_state: int | None = None) -> np.ndarray:
    """Boolean (n_test, n_classes) prediction sets from calibration and test probabilities.

    >>> rng = np.random.default_rng(0)
    >>> cal = rng.dirichlet([1, 1, 1], size=200)
    >>> y = np.array([rng.choice(3, p=row) for row in cal])
    >>> sets = conformal_sets(cal, y, cal[:4], alpha=0.1)
    >>> sets.shape, sets.dtype
    ((4, 3), dtype('bool'))
    """
    rng = np.random.default_rng(random_state)
    cal = check_proba(cal_proba, what="cal_proba")
    test = check_proba(test_proba, what="test_proba")
    if test.shape[1] != cal.shape[1]:
        raise DataError("test_proba", expected=f"{cal.shape[1]} columns like cal_proba",
                        got=f"{test.shape[1]} columns", fix="use the same model for both")
    t = calibrate_threshold(cal, cal_y_index, alpha=alpha, score=score, randomized=randomized,
                            k_reg=k_reg, lam=lam, mondrian=mondrian,
                            u=_draws(rng, cal.shape[0], randomized))
    return prediction_sets(test, t, score=score, randomized=randomized, k_reg=k_reg, lam=lam,
                           u=_draws(rng, test.shape[0], randomized), include_last=include_last)


class SplitConformalClassifier:
    """Prediction sets around a classifier, covering the true label with prob. >= 1 - alpha.

    ``score`` is "lac", "aps" or "raps" (RAPS uses ``k_reg`` and ``lam``); ``randomized``
    and ``include_last`` (keep the label crossing the threshold) apply to APS/RAPS.
    ``random_state`` seeds the uniform draws of the randomised scores; each
    ``predict_set`` call draws afresh.

    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(n_samples=600, n_classes=3, n_informative=4, random_state=0)
    >>> cp = SplitConformalClassifier(LogisticRegression(), alpha=0.1, prefit=False)
    >>> cp = cp.fit(X[:300], y[:300]).conformalize(X[300:500], y[300:500])
    >>> cp.predict_set(X[500:]).shape
    (100, 3)
    >>> cp.evaluate(X[500:], y[500:]).coverage >= 0.8
    True
    """

    def __init__(self, model: Any, *, alpha: float = 0.1, score: str = "lac",
                 randomized: bool = False, k_reg: int = 1, lam: float = 0.0,
                 mondrian: bool = False, include_last: bool = False, prefit: bool = True,
                 random_state: int | None = None) -> None:
        self.model = model
        self.alpha = alpha
        self.score = score
        self.randomized = randomized
        self.k_reg = k_reg
        self.lam = lam
        self.mondrian = mondrian
        self.include_last = include_last
        self.prefit = prefit
        self.random_state = random_state

    def _options(self) -> dict[str, Any]:
        return {"score": self.score, "randomized": self.randomized, "k_reg": self.k_reg,
                "lam": self.lam}

    def fit(self, X: Any, y: Any) -> SplitConformalClassifier:
        """Train a copy of the model (only with ``prefit=False``)."""
        if self.prefit:
            refuse_fit_when_prefit(self)
        self.model_ = wrap_for_task(fit_clone(self.model, X, y), "classification")
        self.threshold_ = None
        return self

    def conformalize(self, X: Any, y: Any) -> SplitConformalClassifier:
        """Compute the threshold(s) on a calibration split the model never saw."""
        alpha = check_alpha(self.alpha)
        if self.prefit:
            self.model_ = wrap_for_task(self.model, "classification")
        model = require_stage(self, "model_", stage="fit", before="conformalize")
        self.classes_ = np.asarray(model.classes_)
        y_index = encode_labels(y, self.classes_)
        proba = model.predict_proba(X)
        self.rng_ = np.random.default_rng(self.random_state)
        self.threshold_ = calibrate_threshold(
            proba, y_index, alpha=alpha, mondrian=self.mondrian,
            u=_draws(self.rng_, proba.shape[0], self.randomized), **self._options())
        self.n_calibration_ = int(proba.shape[0])
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Point predictions of the underlying model."""
        return require_stage(self, "model_", stage="fit", before="predict").predict(X)

    def predict_set(self, X: Any) -> np.ndarray:
        """Boolean (n, n_classes) prediction sets, columns in ``classes_`` order."""
        threshold = require_stage(self, "threshold_", stage="conformalize",
                                  before="predict_set")
        proba = self.model_.predict_proba(X)
        return prediction_sets(proba, threshold,
                               u=_draws(self.rng_, proba.shape[0], self.randomized),
                               include_last=self.include_last, **self._options())

    def evaluate(self, X: Any, y: Any, *, groups: Any = None) -> ConformalResult:
        """Empirical coverage and mean set size on labelled data, overall and per group."""
        sets = self.predict_set(X)
        name = self.score + ("-randomized" if self.randomized and self.score != "lac" else "")
        name += "-mondrian" if self.mondrian else ""
        return evaluate_sets(sets, encode_labels(y, self.classes_), alpha=self.alpha,
                             groups=groups, method=name)
