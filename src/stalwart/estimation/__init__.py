"""Performance without labels: CBPE for classifiers, DLE for regressors."""

from .cbpe import CBPE, CBPE_METRICS
from .dle import DLE, DLE_METRICS, default_loss_model
from .expected import expected_confusion_matrix, expected_metrics
from .result import ChunkEstimate, MetricEstimate, PerformanceEstimate

__all__ = [
    "CBPE",
    "CBPE_METRICS",
    "ChunkEstimate",
    "DLE",
    "DLE_METRICS",
    "MetricEstimate",
    "PerformanceEstimate",
    "default_loss_model",
    "expected_confusion_matrix",
    "expected_metrics",
]
