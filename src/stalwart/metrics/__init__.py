"""Metrics with bootstrap intervals, baselines to beat, and validation that mirrors production.

Every metric value equals scikit-learn's on the same inputs; :data:`METRICS` says for each
name its task, whether it needs probabilities and which direction is better.
"""

from .baseline import BaselineComparison, baseline_predictions, compare_to_baseline
from .bootstrap import BootstrapInterval
from .evaluate import EvaluationResult, evaluate, evaluate_model
from .probabilities import check_proba
from .registry import METRICS, MetricSpec, metric_names, register_metric
from .regression import pinball_metric
from .validation import STRATEGIES, ValidationResult, validate

__all__ = [
    "check_proba",
    "BaselineComparison",
    "BootstrapInterval",
    "EvaluationResult",
    "METRICS",
    "MetricSpec",
    "STRATEGIES",
    "ValidationResult",
    "baseline_predictions",
    "compare_to_baseline",
    "evaluate",
    "evaluate_model",
    "metric_names",
    "pinball_metric",
    "register_metric",
    "validate",
]
