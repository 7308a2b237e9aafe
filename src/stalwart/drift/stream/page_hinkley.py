"""Page-Hinkley test: cumulative deviation from the running mean (Page 1954).

With ``m_t`` the mean of the values so far, the test keeps two cumulative sums of deviations
(with a forgetting factor ``alpha``, as river does)

    U_t = alpha * U_{t-1} + (x_t - m_t - delta)    (an increase pushes U up)
    D_t = alpha * D_{t-1} + (x_t - m_t + delta)    (a decrease pushes D down)

and reports a change when ``U_t - min U`` (``mode="up"``) or ``max D - D_t``
(``mode="down"``), or either (``"both"``), exceeds ``threshold``; ``delta`` is the size of a
change that is tolerated, and no change is reported before ``min_instances`` values. Ten
lines of arithmetic, so written here; river's ``PageHinkley`` is the reference in the tests.

>>> det = PageHinkley()
>>> _ = det.update_many([0.0, 1.0] * 100 + [3.0, 4.0] * 50)
>>> det.detections
(217,)
"""

from __future__ import annotations

import math

from ...exceptions import ParameterError
from .base import StreamDetector, check_int, check_real
from .registry import STREAM_DETECTORS

__all__ = ["PageHinkley"]

_MODES = ("both", "down", "up")


class PageHinkley(StreamDetector):
    """Page-Hinkley change detector for the mean of a real-valued stream."""

    input_kind = "real"

    def __init__(self, *, min_instances: int = 30, delta: float = 0.005,
                 threshold: float = 50.0, alpha: float = 1 - 0.0001,
                 mode: str = "both") -> None:
        self.min_instances = min_instances
        self.delta = delta
        self.threshold = threshold
        self.alpha = alpha
        self.mode = mode

    def _check_params(self) -> None:
        check_int("min_instances", self.min_instances, low=1)
        check_real("delta", self.delta, low=0.0)
        check_real("threshold", self.threshold, low=0.0, low_open=True)
        check_real("alpha", self.alpha, low=0.0, high=1.0, low_open=True)
        if self.mode not in _MODES:
            raise ParameterError("mode", expected=f"one of {list(_MODES)}", got=repr(self.mode),
                                 fix="pass mode='both' to see increases and decreases")

    def _init_state(self) -> None:
        self.n_ = 0
        self.mean_ = 0.0
        self.sum_up_ = 0.0
        self.sum_down_ = 0.0
        self.min_up_ = math.inf
        self.max_down_ = -math.inf

    def _step(self, x: float) -> bool:
        self.n_ += 1
        self.mean_ += (x - self.mean_) / self.n_
        dev = x - self.mean_
        self.sum_up_ = self.alpha * self.sum_up_ + dev - self.delta
        self.sum_down_ = self.alpha * self.sum_down_ + dev + self.delta
        self.min_up_ = min(self.min_up_, self.sum_up_)
        self.max_down_ = max(self.max_down_, self.sum_down_)
        if self.n_ < self.min_instances:
            return False
        up = self.sum_up_ - self.min_up_ > self.threshold
        down = self.max_down_ - self.sum_down_ > self.threshold
        return {"up": up, "down": down, "both": up or down}[self.mode]


STREAM_DETECTORS.register("page_hinkley", PageHinkley, input="real", change="mean",
                          warning=False, reference="river.drift.PageHinkley")
