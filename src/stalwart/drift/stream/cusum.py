"""Two-sided tabular CUSUM on standardised values (Page 1954; Montgomery, SQC ch. 9).

Values are standardised, ``z = (x - mean) / std``, with ``mean`` and ``std`` given or
estimated from the first ``warm_start`` values (again after every detection). Two sums

    S+_t = max(0, S+_{t-1} + z_t - allowance),   S-_t = max(0, S-_{t-1} - z_t - allowance)

grow while values sit above (below) the mean by more than ``allowance`` standard deviations;
a change is reported when either exceeds ``threshold``. ``allowance=0.5`` is tuned to a
shift of one standard deviation. With known ``mean``/``std`` the in-control average run
length has Siegmund's approximation, per side
``ARL0 = (exp(2 k b) - 2 k b - 1) / (2 k^2)`` with ``b = threshold + 1.166``, ``k = allowance``,
and two-sided ``1 / (1/ARL0+ + 1/ARL0-)``: about 9,500 steps at the default
``threshold=8`` (one false alarm per 10k steps), against ~470 at the textbook ``h=5``. The
delay for a one-sd shift is about 16 steps. (river has no CUSUM; its PageHinkley is a
CUSUM of deviations from the running mean.) Estimating ``mean``/``std`` from ``warm_start``
values adds false alarms; keep ``warm_start`` at 100 or more. After a detection both sums
restart, and so does the estimate (a given ``mean``/``std`` is kept, so a lasting shift is
reported again every few steps: pass ``mean``/``std`` only for a fixed target).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> det = CUSUM(mean=0.0, std=1.0).update_many(np.r_[rng.normal(0, 1, 500),
...                                                    rng.normal(1, 1, 100)])
>>> det.detections[:2]  # with a known mean, every restart sees the new level again
(514, 526)
>>> round(siegmund_arl(8.0, 0.5))
9556
"""

from __future__ import annotations

import math

from ...exceptions import ParameterError
from .base import StreamDetector, check_int, check_real
from .registry import STREAM_DETECTORS

__all__ = ["CUSUM", "siegmund_arl"]


def siegmund_arl(threshold: float, allowance: float, *, two_sided: bool = True) -> float:
    """Siegmund's approximation of the in-control average run length of a standard CUSUM."""
    b = threshold + 1.166
    two_kb = 2.0 * allowance * b
    one = (math.exp(two_kb) - two_kb - 1.0) / (2.0 * allowance ** 2)
    return one / 2.0 if two_sided else one


class CUSUM(StreamDetector):
    """Two-sided standardised CUSUM change detector for the mean of a real-valued stream."""

    input_kind = "real"

    def __init__(self, *, allowance: float = 0.5, threshold: float = 8.0,
                 warm_start: int = 100, mean: float | None = None,
                 std: float | None = None) -> None:
        self.allowance = allowance
        self.threshold = threshold
        self.warm_start = warm_start
        self.mean = mean
        self.std = std

    def _check_params(self) -> None:
        check_real("allowance", self.allowance, low=0.0, low_open=True)
        check_real("threshold", self.threshold, low=0.0, low_open=True)
        check_int("warm_start", self.warm_start, low=2)
        if self.mean is not None:
            check_real("mean", self.mean)
        if self.std is not None:
            check_real("std", self.std, low=0.0, low_open=True)
        if (self.mean is None) != (self.std is None) and self.std is None:
            raise ParameterError("std", expected="a standard deviation when mean is given",
                                 got="None", fix="pass both mean= and std=, or neither")

    def _init_state(self) -> None:
        self.n_ = 0
        self.est_mean_ = 0.0
        self.est_ssd_ = 0.0
        self.center_ = self.mean
        self.scale_ = self.std
        self.s_up_ = 0.0
        self.s_down_ = 0.0

    @property
    def statistic(self) -> tuple[float, float]:
        """The current ``(S+, S-)``."""
        return getattr(self, "s_up_", 0.0), getattr(self, "s_down_", 0.0)

    def _learn(self, x: float) -> None:
        # Welford's running mean and variance over the warm-up values
        self.n_ += 1
        d = x - self.est_mean_
        self.est_mean_ += d / self.n_
        self.est_ssd_ += d * (x - self.est_mean_)
        if self.n_ == self.warm_start:
            if self.center_ is None:
                self.center_ = self.est_mean_
            if self.scale_ is None:
                sd = math.sqrt(self.est_ssd_ / (self.n_ - 1))
                self.scale_ = sd if sd > 0 else 1.0  # a constant warm-up: unit scale

    def _step(self, x: float) -> bool:
        if self.center_ is None or self.scale_ is None or (
                self.mean is None and self.n_ < self.warm_start):
            self._learn(x)
            return False
        z = (x - self.center_) / self.scale_
        self.s_up_ = max(0.0, self.s_up_ + z - self.allowance)
        self.s_down_ = max(0.0, self.s_down_ - z - self.allowance)
        return self.s_up_ > self.threshold or self.s_down_ > self.threshold


STREAM_DETECTORS.register("cusum", CUSUM, input="real", change="mean", warning=False,
                          reference=None)
