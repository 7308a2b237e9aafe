"""EDDM: early drift detection from the distance between errors (Baena-Garcia et al. 2006).

Each value is 1 for an error and 0 for a correct prediction. EDDM follows the number of
steps between consecutive errors: with ``p'`` their mean and ``s'`` their standard deviation
(sample, ``ddof=1``), it remembers the largest ``p' + 2 s'`` seen and, once more than
``warm_start`` errors were seen, warns when ``(p' + 2 s') / max < alpha`` and reports drift
when it falls below ``beta``: errors are coming closer together. It sees gradual error-rate
rises earlier than :class:`~stalwart.drift.stream.DDM`. Same algorithm as river's ``EDDM``
(the reference in the tests).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> errors = rng.random(2000) < np.r_[np.full(1000, 0.05), np.full(1000, 0.3)]
>>> EDDM().update_many(errors.astype(int)).detections[:3]  # quick, but it also cries wolf
(744, 1041, 1162)
"""

from __future__ import annotations

import math

from ...exceptions import ParameterError
from .base import StreamDetector, check_int, check_real
from .registry import STREAM_DETECTORS

__all__ = ["EDDM"]


class EDDM(StreamDetector):
    """Early drift detection method for a 0/1 error stream."""

    input_kind = "binary"

    def __init__(self, *, warm_start: int = 30, alpha: float = 0.95,
                 beta: float = 0.9) -> None:
        self.warm_start = warm_start
        self.alpha = alpha
        self.beta = beta

    def _check_params(self) -> None:
        check_int("warm_start", self.warm_start, low=0)
        check_real("alpha", self.alpha, low=0.0, high=1.0, low_open=True)
        check_real("beta", self.beta, low=0.0, high=1.0, low_open=True)
        if self.alpha < self.beta:
            raise ParameterError("alpha", expected=f">= beta ({self.beta})",
                                 got=repr(self.alpha), fix="the warning level alpha must be "
                                                            "at least the drift level beta")

    def _init_state(self) -> None:
        self.n_ = 0
        self.n_errors_ = 0
        self.last_error_ = 0
        self.dist_mean_ = 0.0
        self.dist_ssd_ = 0.0  # Welford sum of squared deviations of the distances
        self.max_level_ = -1.0
        self.warning_detected_ = False

    @property
    def warning_detected(self) -> bool:
        """Whether the last error put the stream in the warning zone."""
        return getattr(self, "warning_detected_", False)

    def _step(self, x: float) -> bool:
        self.n_ += 1
        if x != 1.0:
            return False
        self.n_errors_ += 1
        dist = self.n_ - self.last_error_
        self.last_error_ = self.n_
        old_mean = self.dist_mean_
        self.dist_mean_ += (dist - old_mean) / self.n_errors_
        self.dist_ssd_ += (dist - old_mean) * (dist - self.dist_mean_)
        if self.n_ <= self.warm_start:
            return False
        sd = math.sqrt(self.dist_ssd_ / (self.n_errors_ - 1)) if self.n_errors_ > 1 else 0.0
        level = self.dist_mean_ + 2.0 * sd
        if level > self.max_level_:
            self.max_level_ = level
            return False
        if self.n_errors_ <= self.warm_start:
            return False
        ratio = level / self.max_level_
        if ratio < self.beta:
            self.warning_detected_ = False
            return True
        self.warning_detected_ = ratio < self.alpha
        return False


STREAM_DETECTORS.register("eddm", EDDM, input="binary", change="error rate increase",
                          warning=True, reference="river.drift.binary.EDDM")
