"""Univariate drift: per-column tests and distances, exact on raw data or approximate from
profiles, with an explicit automatic choice, effect sizes and multiple-testing control."""

from .detect import UnivariateDrift, detect_drift
from .registry import DRIFT_METHODS, DriftMethod
from .report import ColumnDrift, DriftReport

__all__ = ["ColumnDrift", "DRIFT_METHODS", "DriftMethod", "DriftReport", "UnivariateDrift",
           "detect_drift"]
