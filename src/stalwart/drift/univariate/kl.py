"""Kullback-Leibler divergence ``KL(current || reference)`` (:func:`scipy.stats.entropy`,
natural log) between the shares of categories or of the reference's decile bins; shares
below ``EPS`` are raised to it so that a bin empty on one side stays finite. Default
threshold 0.1.

>>> import numpy as np
>>> round(divergence(np.array([0.5, 0.5]), np.array([0.7, 0.3])), 4)
0.0823
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from .profiles import profile_probabilities
from .samples import CountsPair, NumericPair, Outcome, binned_probabilities

__all__ = ["EPS", "divergence", "from_profile", "raw"]

EPS = 1e-4


def divergence(p_ref: np.ndarray, p_cur: np.ndarray) -> float:
    return float(stats.entropy(np.clip(p_cur, EPS, None), np.clip(p_ref, EPS, None)))


def raw(pair: NumericPair | CountsPair) -> Outcome:
    return Outcome(divergence(*binned_probabilities(pair)))


def from_profile(ref: Any, cur: Any) -> Outcome:
    return Outcome(divergence(*profile_probabilities(ref, cur)))
