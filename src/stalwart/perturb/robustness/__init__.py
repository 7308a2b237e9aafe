"""Robustness metrics: a model's metric, flip rate and confidence under each perturbation
and severity (degradation curves), and the worst case per feature."""

from ._metrics import METRICS, Metric, resolve_metric
from .result import FeatureImpact, StressCell, StressResult
from .runner import stress_test
from .shift_impact import ShiftImpact, ShiftImpactResult, shift_impact

__all__ = ["METRICS", "FeatureImpact", "Metric", "ShiftImpact", "ShiftImpactResult",
           "StressCell", "StressResult", "resolve_metric", "shift_impact", "stress_test"]
