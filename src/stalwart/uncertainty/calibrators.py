"""Post-hoc calibrators fitted on a calibration split: temperature, Platt, isotonic, histogram.

Each follows scikit-learn: the constructor stores options, ``fit(proba, y) -> self`` learns
state ending in ``_``, ``transform(proba)`` returns calibrated probabilities of the same
shape (a 1-D binary input gives a 1-D output). ``y`` holds column positions 0..k-1 (or
labels whose sorted distinct values number k). Multiclass Platt, isotonic and histogram
binning calibrate each class one-vs-rest and renormalise the rows; for two classes only the
positive column is calibrated and the other is its complement.

>>> import numpy as np
>>> p = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
>>> cal = TemperatureScaling().fit(p, [0, 1, 1, 0])
>>> cal.transform(p).sum(axis=1).round(6).tolist()
[1.0, 1.0, 1.0, 1.0]
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit, log_softmax, logit, softmax
from sklearn.base import BaseEstimator
from sklearn.isotonic import IsotonicRegression

from ..exceptions import DataError, ParameterError, StageError
from .calibration import as_proba, encode_targets

__all__ = [
    "CALIBRATORS",
    "HistogramBinning",
    "IsotonicCalibrator",
    "PlattScaling",
    "TemperatureScaling",
]

_EPS = 1e-12


class _Calibrator(BaseEstimator):
    """Shared validation, stage checks and output shape."""

    def _inputs(self, proba: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        p = self._matrix(proba)
        codes = encode_targets(y, p.shape[1])
        if codes.size != p.shape[0]:
            raise DataError("y", expected=f"{p.shape[0]} labels (one per row)",
                            got=f"{codes.size}", fix="pass labels of the calibration rows")
        if p.shape[0] < 2:
            raise DataError("calibration split", expected="at least 2 rows", got="1 row",
                            fix="hold out a larger calibration split")
        self.n_classes_ = p.shape[1]
        return p, codes

    def _matrix(self, proba: Any) -> np.ndarray:
        return as_proba(proba)

    def _check_fitted(self, proba: Any) -> np.ndarray:
        if getattr(self, "n_classes_", None) is None:
            raise StageError(f"{type(self).__name__}.transform() was called before fit(); "
                             "call fit(proba_cal, y_cal) on a calibration split first")
        p = self._matrix(proba)
        if p.shape[1] != self.n_classes_:
            raise DataError("proba", expected=f"{self.n_classes_} columns (as at fit)",
                            got=f"{p.shape[1]}", fix="pass the same model's predict_proba")
        return p

    @staticmethod
    def _shape_like(out: np.ndarray, proba: Any) -> np.ndarray:
        return out[:, 1] if np.ndim(proba) == 1 else out


class TemperatureScaling(_Calibrator):
    """Divide logits by one temperature T fitted by minimising the NLL (bounded search).

    ``inputs="proba"`` takes probabilities and uses their logarithms as logits (softmax is
    unchanged by a per-row shift, so log-probabilities act as logits); ``inputs="logits"``
    takes raw logits (n, k). T > 1 softens overconfident predictions. The search is
    bounded to ``bounds`` and done on log T with scipy's bounded Brent method.
    """

    def __init__(self, *, inputs: str = "proba", bounds: tuple[float, float] = (0.05, 20.0)):
        self.inputs = inputs
        self.bounds = bounds

    def _matrix(self, proba: Any) -> np.ndarray:
        if self.inputs == "proba":
            return as_proba(proba)
        if self.inputs != "logits":
            raise ParameterError("inputs", expected="'proba' or 'logits'",
                                 got=repr(self.inputs), fix="use inputs='logits' for logits")
        z = np.asarray(proba, dtype=float)
        if z.ndim != 2 or z.shape[1] < 2 or not np.all(np.isfinite(z)):
            raise DataError("logits", expected="a finite (n_rows, n_classes) matrix",
                            got=f"shape {z.shape}", fix="pass one logit per class")
        return z

    def _logits(self, m: np.ndarray) -> np.ndarray:
        return np.log(np.clip(m, _EPS, 1.0)) if self.inputs == "proba" else m

    def fit(self, proba: Any, y: Any) -> TemperatureScaling:
        lo, hi = self.bounds
        if not 0 < lo < 1 < hi:
            raise ParameterError("bounds", expected="(low, high) with 0 < low < 1 < high",
                                 got=repr(self.bounds), fix="use e.g. bounds=(0.05, 20)")
        m, codes = self._inputs(proba, y)
        z = self._logits(m)
        rows = np.arange(codes.size)

        def nll(log_t: float) -> float:
            return float(-np.mean(log_softmax(z / np.exp(log_t), axis=1)[rows, codes]))

        found = minimize_scalar(nll, bounds=(np.log(lo), np.log(hi)), method="bounded",
                                options={"xatol": 1e-6})
        self.temperature_ = float(np.exp(found.x))
        self.nll_before_ = nll(0.0)
        self.nll_after_ = float(found.fun)
        return self

    def transform(self, proba: Any) -> np.ndarray:
        m = self._check_fitted(proba)
        out = softmax(self._logits(m) / self.temperature_, axis=1)
        return self._shape_like(out, proba) if self.inputs == "proba" else out


class _OneVsRest(_Calibrator):
    """Calibrate each scored column against "the label is this class", then renormalise."""

    def fit(self, proba: Any, y: Any) -> _OneVsRest:
        p, codes = self._inputs(proba, y)
        columns = [1] if p.shape[1] == 2 else range(p.shape[1])
        self.maps_ = {k: self._fit_column(p[:, k], (codes == k).astype(float))
                      for k in columns}
        return self

    def transform(self, proba: Any) -> np.ndarray:
        p = self._check_fitted(proba)
        out = np.empty_like(p)
        for k, fitted in self.maps_.items():
            out[:, k] = np.clip(self._apply_column(fitted, p[:, k]), 0.0, 1.0)
        if p.shape[1] == 2:
            out[:, 0] = 1.0 - out[:, 1]
        else:
            total = out.sum(axis=1, keepdims=True)
            uniform = np.full_like(out, 1.0 / p.shape[1])
            out = np.divide(out, total, out=uniform, where=total > 0)
        return self._shape_like(out, proba)

    @abstractmethod
    def _fit_column(self, score: np.ndarray, target: np.ndarray) -> Any:
        """The fitted map of one column's probabilities."""

    @abstractmethod
    def _apply_column(self, fitted: Any, score: np.ndarray) -> np.ndarray:
        """Apply a fitted map to one column's probabilities."""


class PlattScaling(_OneVsRest):
    """Sigmoid of an affine map of each class's logit, fitted by log loss (Platt, 1999).

    Uses Platt's smoothed targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2), as scikit-learn's
    ``CalibratedClassifierCV(method="sigmoid")`` does; that fit is private in scikit-learn,
    so the two-parameter log-loss minimisation is written here with scipy.
    """

    def _fit_column(self, score: np.ndarray, target: np.ndarray) -> tuple[float, float]:
        x = logit(np.clip(score, 1e-7, 1 - 1e-7))
        n_pos = target.sum()
        n_neg = target.size - n_pos
        t = np.where(target > 0, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))

        def loss(ab: np.ndarray) -> tuple[float, np.ndarray]:
            s = ab[0] * x + ab[1]
            q = expit(s)
            value = np.sum(np.logaddexp(0, s) - t * s)
            grad = q - t
            return float(value), np.array([np.dot(grad, x), grad.sum()])

        found = minimize(loss, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B")
        return float(found.x[0]), float(found.x[1])

    def _apply_column(self, fitted: tuple[float, float], score: np.ndarray) -> np.ndarray:
        return expit(fitted[0] * logit(np.clip(score, 1e-7, 1 - 1e-7)) + fitted[1])


class IsotonicCalibrator(_OneVsRest):
    """scikit-learn's IsotonicRegression per class (increasing, clipped to [0, 1])."""

    def _fit_column(self, score: np.ndarray, target: np.ndarray) -> IsotonicRegression:
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
        return iso.fit(score, target)

    def _apply_column(self, fitted: IsotonicRegression, score: np.ndarray) -> np.ndarray:
        return fitted.predict(score)


class HistogramBinning(_OneVsRest):
    """Replace each probability by the observed frequency of its equal-width bin.

    An empty calibration bin keeps the identity map (the bin's mid-point is not used: the
    input itself is returned), so unseen regions are left uncalibrated rather than guessed.
    """

    def __init__(self, *, n_bins: int = 10):
        self.n_bins = n_bins

    def _fit_column(self, score: np.ndarray, target: np.ndarray) -> np.ndarray:
        if isinstance(self.n_bins, bool) or not isinstance(self.n_bins, (int, np.integer)) \
                or self.n_bins < 1:
            raise ParameterError("n_bins", expected="an integer >= 1", got=repr(self.n_bins),
                                 fix="use e.g. n_bins=10")
        ids = self._ids(score)
        count = np.bincount(ids, minlength=self.n_bins)
        hits = np.bincount(ids, weights=target, minlength=self.n_bins)
        return np.where(count > 0, hits / np.maximum(count, 1), np.nan)

    def _ids(self, score: np.ndarray) -> np.ndarray:
        return np.searchsorted(np.linspace(0, 1, self.n_bins + 1)[1:-1], score)

    def _apply_column(self, fitted: np.ndarray, score: np.ndarray) -> np.ndarray:
        mapped = fitted[self._ids(score)]
        return np.where(np.isnan(mapped), score, mapped)


#: name -> calibrator class, for configuration files and the later CLI
CALIBRATORS: dict[str, type[_Calibrator]] = {
    "temperature": TemperatureScaling,
    "platt": PlattScaling,
    "isotonic": IsotonicCalibrator,
    "histogram": HistogramBinning,
}
