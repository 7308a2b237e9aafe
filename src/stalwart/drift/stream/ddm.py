"""DDM: the drift detection method for a classifier's error stream (Gama et al. 2004).

Each value is 1 for an error and 0 for a correct prediction. With ``p_t`` the error rate so
far and ``s_t = sqrt(p_t (1 - p_t) / t)``, DDM remembers the point where ``p_t + s_t`` was
lowest (``p_min``, ``s_min``) and warns when ``p_t + s_t > p_min + warning_threshold * s_min``
and reports drift when ``p_t + s_t > p_min + drift_threshold * s_min``; nothing is decided
in the first ``warm_start`` values. The statistic restarts after a drift.

One difference from river's ``DDM`` (the reference in the tests): the minimum is only
recorded once an error has been seen (``s_t > 0``). With a low error rate the first values
are often all correct; river then records ``p_min = s_min = 0`` and the very first error is
reported as a drift, a false alarm. Here the first error only starts the estimate.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> errors = rng.random(2000) < np.r_[np.full(1000, 0.05), np.full(1000, 0.3)]
>>> DDM().update_many(errors.astype(int)).detections
(1017,)
"""

from __future__ import annotations

import math

from .base import StreamDetector, check_int, check_real
from .registry import STREAM_DETECTORS

__all__ = ["DDM"]


class DDM(StreamDetector):
    """Drift detection method (error-rate rise) for a 0/1 error stream."""

    input_kind = "binary"

    def __init__(self, *, warm_start: int = 30, warning_threshold: float = 2.0,
                 drift_threshold: float = 3.0) -> None:
        self.warm_start = warm_start
        self.warning_threshold = warning_threshold
        self.drift_threshold = drift_threshold

    def _check_params(self) -> None:
        check_int("warm_start", self.warm_start, low=0)
        check_real("warning_threshold", self.warning_threshold, low=0.0, low_open=True)
        check_real("drift_threshold", self.drift_threshold, low=self.warning_threshold
                   if isinstance(self.warning_threshold, (int, float)) else 0.0)

    def _init_state(self) -> None:
        self.n_ = 0
        self.n_errors_ = 0
        self.p_min_ = math.inf
        self.s_min_ = math.inf
        self.warning_detected_ = False

    @property
    def warning_detected(self) -> bool:
        """Whether the last value is in the warning zone (never on a drift step)."""
        return getattr(self, "warning_detected_", False)

    def _step(self, x: float) -> bool:
        self.n_ += 1
        self.n_errors_ += int(x)
        p = self.n_errors_ / self.n_
        s = math.sqrt(p * (1.0 - p) / self.n_)
        self.warning_detected_ = False
        if self.n_ <= self.warm_start or s == 0.0:
            return False
        if p + s <= self.p_min_ + self.s_min_:
            self.p_min_, self.s_min_ = p, s
        if p + s > self.p_min_ + self.drift_threshold * self.s_min_:
            return True
        self.warning_detected_ = p + s > self.p_min_ + self.warning_threshold * self.s_min_
        return False


STREAM_DETECTORS.register("ddm", DDM, input="binary", change="error rate increase",
                          warning=True, reference="river.drift.binary.DDM")
