"""Performance without labels: CBPE for classifiers, DLE for regressors.

Both follow scikit-learn: ``fit`` on labelled reference data, ``estimate`` on unlabelled
current data, returning a :class:`PerformanceEstimate` per metric and per chunk.
"""

from .cbpe import CBPE, CBPE_METRICS
from .dle import DLE, DLE_METRICS, default_loss_model
from .expected import expected_confusion_matrix, expected_metrics
from .registry import ESTIMATION_METHODS
from .result import ChunkEstimate, MetricEstimate, PerformanceEstimate

__all__ = [
    "CBPE",
    "CBPE_METRICS",
    "ChunkEstimate",
    "DLE",
    "DLE_METRICS",
    "ESTIMATION_METHODS",
    "MetricEstimate",
    "PerformanceEstimate",
    "default_loss_model",
    "expected_confusion_matrix",
    "expected_metrics",
]
