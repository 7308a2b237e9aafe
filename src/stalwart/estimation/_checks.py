"""Parameter checks and chunking shared by the label-free performance estimators.

>>> chunk_bounds(10, 4)
[(0, 4), (4, 8), (8, 10)]
>>> chunk_bounds(10, None)
[(0, 10)]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..exceptions import ParameterError

__all__ = ["check_confidence", "check_metrics", "check_positive_int", "chunk_bounds",
           "percentile_interval"]


def check_confidence(confidence: Any) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.floating)) \
            or not 0 < confidence < 1:
        raise ParameterError("confidence", expected="a number strictly between 0 and 1",
                             got=repr(confidence), fix="use e.g. confidence=0.95")
    return float(confidence)


def check_positive_int(name: str, value: Any, *, minimum: int = 1, example: int = 100) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ParameterError(name, expected=f"an integer >= {minimum}", got=repr(value),
                             fix=f"use e.g. {name}={example}")
    return int(value)


def check_metrics(metrics: Any, supported: Sequence[str]) -> tuple[str, ...]:
    names = (metrics,) if isinstance(metrics, str) else tuple(metrics)
    bad = [m for m in names if m not in supported]
    if not names or bad or len(set(names)) != len(names):
        raise ParameterError("metrics", expected=f"distinct names among {list(supported)}",
                             got=repr(metrics), fix=f"use e.g. metrics={tuple(supported)}")
    return names


def chunk_bounds(n_rows: int, chunks: Any) -> list[tuple[int, int]]:
    """Consecutive (start, stop) row ranges of ``chunks`` rows each; the last holds the rest.

    ``chunks=None`` gives one chunk of all rows.
    """
    if chunks is None:
        return [(0, n_rows)]
    size = check_positive_int("chunks", chunks, example=500)
    return [(s, min(s + size, n_rows)) for s in range(0, n_rows, size)]


def percentile_interval(draws: np.ndarray, confidence: float) -> tuple[float, float]:
    """Central percentile interval of the finite draws (NaN, NaN when there are none)."""
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return float("nan"), float("nan")
    tail = 100 * (1 - confidence) / 2
    lo, hi = np.percentile(finite, [tail, 100 - tail])
    return float(lo), float(hi)
