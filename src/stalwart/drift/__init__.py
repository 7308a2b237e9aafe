"""Drift and unusual-input detection: what changed between reference and current data.

- :mod:`~stalwart.drift.univariate`: per-column tests and distances with effect sizes,
  exact on raw data or approximate from profiles (:func:`detect_drift`);
- :mod:`~stalwart.drift.multivariate`: MMD, domain classifier, PCA reconstruction, BBSD,
  prediction and label drift;
- :mod:`~stalwart.drift.diagnosis`: schema, type, category, sentinel, range and unit changes
  (:func:`diagnose`);
- :mod:`~stalwart.drift.stream`: streaming detectors with river's contract;
- :mod:`~stalwart.drift.sequential`: a false-alarm budget for monitors that test every window.
"""

from .diagnosis import Diagnosis, Finding, UnitChange, diagnose, fit_unit_change
from .multivariate import (MULTIVARIATE_METHODS, BBSDDrift, DomainClassifierDrift, MMDDrift,
                           MultivariateDriftResult, PCAReconstructionDrift, label_drift,
                           prediction_drift)
from .sequential import AlarmBudget, AlarmHistory, WindowDecision
from .stream import ADWIN, CUSUM, DDM, EDDM, KSWIN, STREAM_DETECTORS, PageHinkley
from .univariate import DRIFT_METHODS, ColumnDrift, DriftReport, UnivariateDrift, detect_drift

__all__ = [
    "ADWIN",
    "AlarmBudget",
    "AlarmHistory",
    "BBSDDrift",
    "CUSUM",
    "ColumnDrift",
    "DDM",
    "DRIFT_METHODS",
    "Diagnosis",
    "DomainClassifierDrift",
    "DriftReport",
    "EDDM",
    "Finding",
    "KSWIN",
    "MMDDrift",
    "MULTIVARIATE_METHODS",
    "MultivariateDriftResult",
    "PCAReconstructionDrift",
    "PageHinkley",
    "STREAM_DETECTORS",
    "UnitChange",
    "UnivariateDrift",
    "WindowDecision",
    "detect_drift",
    "diagnose",
    "fit_unit_change",
    "label_drift",
    "prediction_drift",
]
