"""Calibrate a trained classifier on one split and measure the change on another.

>>> from sklearn.datasets import load_breast_cancer
>>> from sklearn.naive_bayes import GaussianNB
>>> X, y = load_breast_cancer(return_X_y=True)
>>> out = compare_calibration(GaussianNB().fit(X[:200], y[:200]), X[200:], y[200:])
>>> out.ece_after < out.ece_before
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from .._json import jsonable
from ..exceptions import ParameterError
from ..models import wrap
from .calibrated_model import CalibratedModel
from .calibration import encode_targets, expected_calibration_error
from .calibrators import CALIBRATORS
from .reliability import brier_decomposition

__all__ = ["CalibrationComparison", "compare_calibration"]


@dataclass(frozen=True)
class CalibrationComparison:
    """ECE and Brier score (scikit-learn's convention) before and after calibration, on
    held-out rows."""

    method: str
    n_calibration: int
    n_test: int
    n_bins: int
    ece_before: float
    ece_after: float
    brier_before: float
    brier_after: float
    calibrated: CalibratedModel

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"method": self.method, "n_calibration": self.n_calibration,
                         "n_test": self.n_test, "n_bins": self.n_bins,
                         "ece_before": self.ece_before, "ece_after": self.ece_after,
                         "brier_before": self.brier_before, "brier_after": self.brier_after,
                         "calibrator": self.calibrated.calibrator_.get_params()})


def compare_calibration(model: Any, X: Any, y: Any, *, method: str = "temperature",
                        test_size: float = 0.5, n_bins: int = 15,
                        random_state: int = 0) -> CalibrationComparison:
    """Fit ``method`` on a stratified part of (X, y), measure ECE/Brier on the rest."""
    if method not in CALIBRATORS:
        raise ParameterError("method", expected=f"one of {list(CALIBRATORS)}", got=repr(method),
                             fix="pick a calibration method from the list")
    adapter = wrap(model)
    y = np.asarray(y)
    X_cal, X_test, y_cal, y_test = train_test_split(X, y, test_size=test_size, stratify=y,
                                                    random_state=random_state)
    calibrated = CalibratedModel(adapter, calibrator=CALIBRATORS[method]()).fit(X_cal, y_cal)
    before, after = adapter.predict_proba(X_test), calibrated.predict_proba(X_test)
    codes = encode_targets(y_test, before.shape[1], adapter.classes_)
    return CalibrationComparison(
        method=method, n_calibration=len(y_cal), n_test=len(y_test), n_bins=n_bins,
        ece_before=expected_calibration_error(codes, before, n_bins=n_bins),
        ece_after=expected_calibration_error(codes, after, n_bins=n_bins),
        brier_before=brier_decomposition(codes, before).brier,
        brier_after=brier_decomposition(codes, after).brier,
        calibrated=calibrated)
