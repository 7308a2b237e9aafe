"""Exact count, mean and sum of squared deviations of a stream, merged by Chan's formula.

numpy, scipy and datasketches have no mergeable mean/variance accumulator (``np.var`` needs
all values at once), so the pairwise update of Chan, Golub & LeVeque (1979) is written here:
it is five lines and numerically stable (no catastrophic ``E[x^2] - E[x]^2`` cancellation).

>>> import numpy as np
>>> x = np.arange(10.0)
>>> a, b = Moments.of(x[:3]), Moments.of(x[3:])
>>> m = a.merge(b)
>>> (m.n, m.mean, m.variance) == (10, float(np.mean(x)), float(np.var(x)))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Moments"]


@dataclass(frozen=True)
class Moments:
    """``n`` values, their ``mean`` and ``m2`` = sum of squared deviations from the mean."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0

    @classmethod
    def of(cls, x: np.ndarray) -> Moments:
        """Two-pass moments of one chunk (exact up to float rounding)."""
        if x.size == 0:
            return cls()
        mean = float(np.mean(x))
        d = x - mean
        return cls(int(x.size), mean, float(np.vdot(d, d)))  # vdot: no BLAS thread spin-up

    def merge(self, other: Moments) -> Moments:
        """Chan et al.'s parallel update: combine two disjoint parts' moments."""
        if other.n == 0:
            return self
        if self.n == 0:
            return other
        n = self.n + other.n
        delta = other.mean - self.mean
        mean = self.mean + delta * other.n / n
        m2 = self.m2 + other.m2 + delta * delta * self.n * other.n / n
        return Moments(n, mean, m2)

    @property
    def variance(self) -> float:
        """Population variance (``ddof=0``); NaN when empty."""
        return self.m2 / self.n if self.n else float("nan")
