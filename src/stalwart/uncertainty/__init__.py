"""Uncertainty: calibration, conformal prediction, uncertainty scores and abstention."""

from .abstention import (AbstentionResult, AbstentionRule, RiskCoverageCurve,
                         clopper_pearson_upper, risk_coverage_curve)
from .calibrated_model import CalibratedModel
from .calibration import expected_calibration_error, maximum_calibration_error
from .comparison import CalibrationComparison, compare_calibration
from .calibrators import (CALIBRATORS, HistogramBinning, IsotonicCalibrator, PlattScaling,
                          TemperatureScaling)
from .conformal import (ConformalizedQuantileRegressor, ConformalResult,
                        CrossConformalRegressor, SplitConformalClassifier,
                        SplitConformalRegressor, conformal_intervals, conformal_sets,
                        cqr_intervals, cv_plus_intervals)
from .reliability import (BrierDecomposition, GroupCalibration, ReliabilityDiagram,
                          brier_decomposition, calibration_by_group, reliability_diagram)
from .scores import (SCORES, ensemble_spread, least_confidence, margin_uncertainty,
                     predictive_entropy, uncertainty_score)

__all__ = [
    "CALIBRATORS",
    "SCORES",
    "AbstentionResult",
    "AbstentionRule",
    "BrierDecomposition",
    "CalibratedModel",
    "CalibrationComparison",
    "ConformalResult",
    "ConformalizedQuantileRegressor",
    "CrossConformalRegressor",
    "GroupCalibration",
    "HistogramBinning",
    "IsotonicCalibrator",
    "PlattScaling",
    "ReliabilityDiagram",
    "RiskCoverageCurve",
    "SplitConformalClassifier",
    "SplitConformalRegressor",
    "TemperatureScaling",
    "brier_decomposition",
    "calibration_by_group",
    "clopper_pearson_upper",
    "compare_calibration",
    "conformal_intervals",
    "conformal_sets",
    "cqr_intervals",
    "cv_plus_intervals",
    "ensemble_spread",
    "expected_calibration_error",
    "least_confidence",
    "margin_uncertainty",
    "maximum_calibration_error",
    "predictive_entropy",
    "reliability_diagram",
    "risk_coverage_curve",
    "uncertainty_score",
]
