"""Performance without labels: CBPE for classifiers, DLE for regressors."""

from .cbpe import CBPE, CBPE_METRICS
from .expected import expected_confusion_matrix, expected_metrics
from .result import ChunkEstimate, MetricEstimate, PerformanceEstimate

__all__ = [
    "CBPE",
    "CBPE_METRICS",
    "ChunkEstimate",
    "MetricEstimate",
    "PerformanceEstimate",
    "expected_confusion_matrix",
    "expected_metrics",
]
