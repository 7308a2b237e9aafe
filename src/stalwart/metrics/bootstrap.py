"""Percentile bootstrap: seeded, vectorised index resampling, undefined resamples skipped.

One matrix of resampled row indices (drawn in chunks so memory stays near a few million
integers) is shared by every metric of an evaluation, which makes model-versus-baseline
differences paired. A resample on which a metric is undefined (scikit-learn raises or warns,
for example ROC AUC with one class only, or the value is NaN) is skipped and counted.

>>> import numpy as np
>>> values = np.array([0.2, 0.4, np.nan, 0.6])
>>> iv = percentile_interval(0.4, values, confidence=0.5)
>>> iv.n_skipped, iv.n_boot, (round(iv.low, 12), iv.high)
(1, 4, (0.3, 0.5))
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._json import jsonable
from ..exceptions import ParameterError
from .registry import MetricSpec

__all__ = ["BootstrapInterval", "check_bootstrap_options", "fix_seed", "metric_replicates",
           "percentile_interval", "resample_indices"]

#: at most this many indices are held at once (8 bytes each: about 32 MB)
_CHUNK_CELLS = 4_000_000


@dataclass(frozen=True)
class BootstrapInterval:
    """A point estimate (the statistic on the full data) with its percentile interval."""

    estimate: float
    low: float
    high: float
    confidence: float
    n_boot: int
    n_skipped: int

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"estimate": self.estimate, "low": self.low, "high": self.high,
                         "confidence": self.confidence, "n_boot": self.n_boot,
                         "n_skipped": self.n_skipped})


def check_bootstrap_options(n_boot: int, confidence: float) -> None:
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 0:
        raise ParameterError("n_boot", expected="an integer >= 0 (0 turns the bootstrap off)",
                             got=repr(n_boot), fix="pass for example n_boot=1000")
    if not 0.0 < confidence < 1.0:
        raise ParameterError("confidence", expected="a level in (0, 1)", got=repr(confidence),
                             fix="pass for example confidence=0.95")


def fix_seed(random_state: Any) -> int:
    """One integer seed, so that every statistic of a run sees the same resamples.

    A Generator or None would give each statistic different resamples (breaking paired
    differences) and leave nothing to record; the integer drawn here is recorded instead.
    """
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return int(random_state)
    if random_state is None or isinstance(random_state, np.random.Generator):
        return int(np.random.default_rng(random_state).integers(2**32))  # scikit-learn: < 2**32
    raise ParameterError("random_state", expected="an int, a numpy Generator or None",
                         got=type(random_state).__name__, fix="pass for example random_state=0")


def resample_indices(n: int, *, n_boot: int, random_state: Any) -> Iterator[np.ndarray]:
    """Yield (chunk, n) matrices of indices drawn with replacement; n_boot rows in total."""
    rng = np.random.default_rng(random_state)
    step = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, n_boot, step):
        yield rng.integers(0, n, size=(min(step, n_boot - start), n))


def _safe(fn: Callable[[], Any]) -> Any:
    """``fn()`` or NaN when the statistic is undefined on this resample."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return fn()
        except (ValueError, ZeroDivisionError, Warning):
            return np.nan


def metric_replicates(spec: MetricSpec, idx: np.ndarray, y_true: np.ndarray, y_pred: Any,
                      proba: Any, classes: Any) -> np.ndarray:
    """The metric on each row of ``idx``: shape (len(idx),), NaN where undefined."""
    if spec.batch is not None:
        return np.asarray(spec.batch(y_true, y_pred, proba, classes, idx), dtype=float)
    out = np.empty(len(idx))
    for b, rows in enumerate(idx):
        out[b] = _safe(lambda rows=rows: spec(
            y_true[rows], None if y_pred is None else y_pred[rows],
            None if proba is None else proba[rows], classes))
    return out


def percentile_interval(estimate: float, values: np.ndarray, *,
                        confidence: float) -> BootstrapInterval:
    """Percentile interval of the finite ``values``; NaN ones count as skipped resamples."""
    values = np.asarray(values, dtype=float)
    ok = values[np.isfinite(values)]
    if ok.size:
        tail = (1.0 - confidence) / 2.0
        low, high = (float(v) for v in np.quantile(ok, [tail, 1.0 - tail]))
    else:
        low = high = math.nan
    return BootstrapInterval(float(estimate), low, high, float(confidence), int(values.size),
                    int(values.size - ok.size))
