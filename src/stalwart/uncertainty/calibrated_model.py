"""CalibratedModel: a trained classifier whose ``predict_proba`` goes through a calibrator.

The model is reached through :func:`stalwart.models.wrap`, so any adapter with
``predict_proba`` works. The result is itself usable where a model is (``predict``,
``predict_proba``, ``classes_``), including ``wrap(calibrated_model)``.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> X = np.array([[0.0], [1.0], [2.0], [3.0], [0.5], [2.5]])
>>> y = np.array(["a", "a", "b", "b", "a", "b"])
>>> base = LogisticRegression().fit(X, y)
>>> model = CalibratedModel(base, calibrator=TemperatureScaling()).fit(X, y)
>>> model.predict(np.array([[0.1], [2.9]])).tolist(), model.classes_.tolist()
(['a', 'b'], ['a', 'b'])
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from ..exceptions import ModelError, ParameterError, StageError
from ..models import wrap
from .calibration import encode_targets
from .calibrators import TemperatureScaling, _Calibrator

__all__ = ["CalibratedModel"]


class CalibratedModel(ClassifierMixin, BaseEstimator):
    """Wrap a trained classifier and calibrate its probabilities on a calibration split.

    ``fit(X_cal, y_cal)`` does not retrain the model: it fits a copy of ``calibrator``
    (default :class:`TemperatureScaling`) on the model's probabilities for the calibration
    rows. Labels in ``y_cal`` must be among the model's classes.
    """

    def __init__(self, model: Any, *, calibrator: Any = None) -> None:
        self.model = model
        self.calibrator = calibrator

    def fit(self, X: Any, y: Any) -> CalibratedModel:
        calibrator = TemperatureScaling() if self.calibrator is None else self.calibrator
        if not isinstance(calibrator, _Calibrator):
            raise ParameterError("calibrator", expected="a stalwart calibrator "
                                 "(TemperatureScaling, PlattScaling, IsotonicCalibrator, "
                                 "HistogramBinning)", got=type(calibrator).__name__,
                                 fix="pass e.g. calibrator=IsotonicCalibrator()")
        adapter = wrap(self.model)
        if adapter.task != "classification" or not adapter.can("predict_proba"):
            raise ModelError("model", expected="a classifier with predict_proba",
                             got=f"a {adapter.task} model with "
                                 f"{sorted(adapter.capabilities)}",
                             fix="calibrate a probabilistic classifier")
        classes = np.asarray(adapter.classes_)
        codes = encode_targets(y, classes.size, classes)
        if getattr(calibrator, "inputs", "proba") != "proba":
            raise ParameterError("calibrator.inputs", expected="'proba'",
                                 got=repr(calibrator.inputs),
                                 fix="a wrapped model gives probabilities: use inputs='proba'")
        self.adapter_ = adapter
        self.classes_ = classes
        self.calibrator_ = clone(calibrator).fit(adapter.predict_proba(X), codes)
        return self

    def _fitted(self) -> None:
        if getattr(self, "calibrator_", None) is None:
            raise StageError("CalibratedModel was used before fit(); call "
                             "fit(X_cal, y_cal) on a calibration split first")

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities, columns in ``classes_`` order."""
        self._fitted()
        return self.calibrator_.transform(self.adapter_.predict_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """The class with the highest calibrated probability."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
