"""ADWIN: adaptive windowing with an exponential histogram of buckets (Bifet & Gavalda 2007).

ADWIN keeps a window ``W`` of recent values that it believes come from one distribution.
Every ``clock`` steps it looks at every split of ``W`` into an older part ``W0`` and a newer
part ``W1`` (both at least ``min_window_length`` long); when the means differ by more than

    eps = sqrt(2 * m * var(W) * d) + 2/3 * d * m,
    m = 1/(n0 - L + 1) + 1/(n1 - L + 1),  d = ln(2 ln|W| / delta),  L = min_window_length

it reports a change and drops the oldest bucket, again until no split is significant (the
ADWIN2 bound with the window variance, as in MOA and river). ``delta`` bounds the false-alarm
probability of one check.

Memory is logarithmic: the window is stored as an *exponential histogram* (ADWIN2), where
level ``i`` holds up to ``max_buckets`` buckets that each summarise ``2**i`` consecutive
values by their sum and their sum of squared deviations; when a level overflows, its two
oldest buckets merge into one bucket of the next level (Chan's formula for the variance).
Splits are only checked at bucket borders. Written by hand: neither scipy nor scikit-learn
has it, and river is a dev-only reference here (it is checked against river in the tests).

After a detection the window restarts empty, as in river. (The paper keeps the newer part
``W1``; its coarse bucket borders then leave old values in it, and one change is reported
several times in a row.)

>>> import numpy as np
>>> rng = np.random.default_rng(1)
>>> stream = np.r_[rng.normal(0, 1, 1000), rng.normal(1.5, 1, 1000)]
>>> det = ADWIN().update_many(stream)
>>> det.detections
(1023,)
>>> det.width, round(det.mean, 1)
(976, 1.5)
"""

from __future__ import annotations

import math

from .base import StreamDetector, check_int, check_real
from .registry import STREAM_DETECTORS

__all__ = ["ADWIN"]


class ADWIN(StreamDetector):
    """Adaptive windowing change detector for a real-valued stream (mean changes).

    Parameters: ``delta`` (confidence of each check), ``clock`` (check every ``clock`` steps),
    ``max_buckets`` (buckets per level before merging), ``min_window_length`` (shortest
    ``W0``/``W1``), ``grace_period`` (no check until the window is longer).
    """

    input_kind = "real"

    def __init__(self, *, delta: float = 0.002, clock: int = 32, max_buckets: int = 5,
                 min_window_length: int = 5, grace_period: int = 10) -> None:
        self.delta = delta
        self.clock = clock
        self.max_buckets = max_buckets
        self.min_window_length = min_window_length
        self.grace_period = grace_period

    def _check_params(self) -> None:
        check_real("delta", self.delta, low=0.0, high=1.0, low_open=True, high_open=True)
        check_int("clock", self.clock, low=1)
        check_int("max_buckets", self.max_buckets, low=2)
        check_int("min_window_length", self.min_window_length, low=1)
        check_int("grace_period", self.grace_period, low=0)

    def _init_state(self) -> None:
        # levels_[i]: list of [sum, sum of squared deviations] of buckets of 2**i values,
        # oldest first; the oldest data sit in the highest level
        self.levels_: list[list[list[float]]] = [[]]
        self.width_ = 0
        self.total_ = 0.0
        self.ssd_ = 0.0  # sum of squared deviations from the window mean
        self.tick_ = 0

    @property
    def width(self) -> int:
        """Number of values in the current window."""
        return getattr(self, "width_", 0)

    @property
    def mean(self) -> float:
        """Mean of the current window (0.0 when empty)."""
        return self.total_ / self.width_ if self.width else 0.0

    @property
    def variance(self) -> float:
        """Population variance of the current window (0.0 when empty)."""
        return self.ssd_ / self.width_ if self.width else 0.0

    # -- the exponential histogram --------------------------------------------------------
    def _insert(self, x: float) -> None:
        self.levels_[0].append([x, 0.0])
        self.width_ += 1
        if self.width_ > 1:  # Welford's update of the sum of squared deviations
            d = x - self.total_ / (self.width_ - 1)
            self.ssd_ += (self.width_ - 1) * d * d / self.width_
        self.total_ += x
        level = 0
        while len(self.levels_[level]) > self.max_buckets:
            (t0, v0), (t1, v1) = self.levels_[level][0], self.levels_[level][1]
            size = float(2 ** level)
            gap = t0 / size - t1 / size
            merged = [t0 + t1, v0 + v1 + size * 0.5 * gap * gap]  # Chan: n*n/(n+n) = n/2
            del self.levels_[level][:2]
            if level + 1 == len(self.levels_):
                self.levels_.append([])
            self.levels_[level + 1].append(merged)
            level += 1

    def _drop_oldest(self) -> None:
        top = len(self.levels_) - 1
        n = float(2 ** top)
        u, v = self.levels_[top].pop(0)
        self.width_ -= int(n)
        self.total_ -= u
        mu_rest = self.total_ / self.width_
        self.ssd_ -= v + n * self.width_ * (u / n - mu_rest) ** 2 / (n + self.width_)
        if not self.levels_[top] and top > 0:
            self.levels_.pop()

    def _cut_is_significant(self, n0: float, n1: float, gap: float) -> bool:
        d = math.log(2.0 * math.log(self.width_) / self.delta)
        lo = self.min_window_length - 1.0
        m = 1.0 / (n0 - lo) + 1.0 / (n1 - lo)
        eps = math.sqrt(2.0 * m * (self.ssd_ / self.width_) * d) + 2.0 / 3.0 * d * m
        return abs(gap) > eps

    def _scan(self) -> bool:
        """Check every bucket border once; drop the oldest bucket at the first significant one."""
        n0, u0, n1, u1 = 0.0, 0.0, float(self.width_), self.total_
        for level in range(len(self.levels_) - 1, -1, -1):
            size = float(2 ** level)
            buckets = self.levels_[level]
            for k, (t, _v) in enumerate(buckets):
                n0 += size
                n1 -= size
                u0 += t
                u1 -= t
                if level == 0 and k == len(buckets) - 1:
                    return False  # W1 would be empty
                if (n0 >= self.min_window_length and n1 >= self.min_window_length
                        and self._cut_is_significant(n0, n1, u0 / n0 - u1 / n1)):
                    self._drop_oldest()
                    return True
        return False

    def _step(self, x: float) -> bool:
        self._insert(x)
        self.tick_ += 1
        if self.tick_ % self.clock or self.width_ <= self.grace_period:
            return False
        detected = False
        while self.width_ > 0 and self._scan():
            detected = True
        return detected


STREAM_DETECTORS.register("adwin", ADWIN, input="real", change="mean", warning=False,
                          reference="river.drift.ADWIN")
