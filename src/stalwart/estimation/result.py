"""Result of a label-free performance estimate: per metric and per chunk, value and interval.

A :class:`PerformanceEstimate` holds one :class:`ChunkEstimate` for all current rows
(``overall``) and one per chunk of consecutive rows (``chunks``); each chunk holds one
:class:`MetricEstimate` per metric: the estimated value, its interval at ``confidence``, and
the realised value of the same metric on the reference data (where labels were known).

>>> m = MetricEstimate("accuracy", 0.8, 0.75, 0.85, 0.9, "poisson_binomial_normal")
>>> m.contains(0.77), m.contains(0.9)
(True, False)
>>> c = ChunkEstimate(0, 0, 100, 100, (m,))
>>> c["accuracy"].value
0.8
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._json import jsonable
from ..exceptions import ParameterError

__all__ = ["ChunkEstimate", "MetricEstimate", "PerformanceEstimate"]


@dataclass(frozen=True)
class MetricEstimate:
    """One metric on one chunk: estimate, interval and the realised reference value.

    ``value`` is NaN (``None`` in ``to_dict``) when the metric is undefined on the chunk;
    ``note`` then says why.
    """

    metric: str
    value: float
    lower: float
    upper: float
    reference_value: float
    interval_method: str
    note: str = ""

    @property
    def width(self) -> float:
        return float(self.upper - self.lower)

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies inside the interval (False when the interval is undefined)."""
        return bool(self.lower <= x <= self.upper)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"metric": self.metric, "value": self.value, "lower": self.lower,
                         "upper": self.upper, "reference_value": self.reference_value,
                         "interval_method": self.interval_method, "note": self.note})


@dataclass(frozen=True)
class ChunkEstimate:
    """Rows ``start:stop`` of the current data (``index`` -1 for all rows)."""

    index: int
    start: int
    stop: int
    n_rows: int
    metrics: tuple[MetricEstimate, ...]
    note: str = ""

    def __getitem__(self, metric: str) -> MetricEstimate:
        for m in self.metrics:
            if m.metric == metric:
                return m
        raise ParameterError("metric", expected=f"one of {[m.metric for m in self.metrics]}",
                             got=repr(metric), fix="ask for a metric the estimator computed")

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "stop": self.stop,
                "n_rows": self.n_rows, "metrics": [m.to_dict() for m in self.metrics],
                "note": self.note}


@dataclass(frozen=True)
class PerformanceEstimate:
    """Estimated performance of a model on unlabelled current data.

    ``method`` is "cbpe" or "dle"; ``reference`` maps each metric to its realised value on
    the reference data; ``details`` records the choices made (calibration used and why,
    decision threshold, averaging, bootstrap size and seed, loss model).
    """

    method: str
    task: str
    metrics: tuple[str, ...]
    confidence: float
    n_rows: int
    overall: ChunkEstimate
    chunks: tuple[ChunkEstimate, ...]
    reference: dict[str, float]
    details: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    schema_version: str = "1.0"

    def __getitem__(self, metric: str) -> MetricEstimate:
        """The estimate of ``metric`` over all current rows."""
        return self.overall[metric]

    def values(self, metric: str) -> np.ndarray:
        """Estimated ``metric`` per chunk, in chunk order."""
        return np.array([c[metric].value for c in self.chunks], dtype=float)

    def intervals(self, metric: str) -> np.ndarray:
        """(n_chunks, 2) lower and upper bounds of ``metric`` per chunk."""
        return np.array([[c[metric].lower, c[metric].upper] for c in self.chunks], dtype=float)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({
            "schema_version": self.schema_version,
            "method": self.method,
            "task": self.task,
            "metrics": list(self.metrics),
            "confidence": self.confidence,
            "n_rows": self.n_rows,
            "reference": self.reference,
            "overall": self.overall.to_dict(),
            "chunks": [c.to_dict() for c in self.chunks],
            "details": self.details,
            "notes": list(self.notes),
        })
