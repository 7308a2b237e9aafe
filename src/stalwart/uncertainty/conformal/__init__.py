"""Conformal prediction: distribution-free prediction sets and intervals.

Split conformal classification (LAC, APS, RAPS; Mondrian per-class coverage), split
conformal regression (absolute and normalised residuals, CQR) and cross-conformal
regression (CV+, jackknife+). Estimators follow MAPIE's stages
``fit -> conformalize -> predict_set / predict_interval``; array-level functions take
probabilities or predictions so that monitoring can reuse them.
"""

from .classification import SplitConformalClassifier, calibrate_threshold, conformal_sets
from .regression import (ConformalizedQuantileRegressor, SplitConformalRegressor,
                         conformal_intervals, cqr_intervals)
from .cross import CrossConformalRegressor, cv_plus_intervals
from .quantile import conformal_quantile, min_calibration_size
from .results import ConformalResult, SliceCoverage, evaluate_intervals, evaluate_sets, \
    set_labels, set_sizes
from .scores import label_scores, prediction_sets

__all__ = [
    "ConformalResult",
    "ConformalizedQuantileRegressor",
    "CrossConformalRegressor",
    "SliceCoverage",
    "SplitConformalClassifier",
    "SplitConformalRegressor",
    "calibrate_threshold",
    "conformal_intervals",
    "conformal_quantile",
    "conformal_sets",
    "cqr_intervals",
    "cv_plus_intervals",
    "evaluate_intervals",
    "evaluate_sets",
    "label_scores",
    "min_calibration_size",
    "prediction_sets",
    "set_labels",
    "set_sizes",
]
