"""Robustness metrics: a model's metric, flip rate and confidence under each perturbation
and severity (degradation curves), and the worst case per feature."""

from ._metrics import METRICS, Metric, resolve_metric
from .result import FeatureImpact, StressCell, StressResult
from .runner import stress_test

__all__ = ["METRICS", "FeatureImpact", "Metric", "StressCell", "StressResult",
           "resolve_metric", "stress_test"]
