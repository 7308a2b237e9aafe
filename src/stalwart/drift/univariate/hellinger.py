"""Hellinger distance ``sqrt(sum((sqrt(p) - sqrt(q))**2) / 2)``, in [0, 1], between the
shares of categories or of the reference's decile bins. Default threshold 0.1.

Written by hand: neither scipy nor scikit-learn has it, and it is one vectorised line.

>>> import numpy as np
>>> round(distance(np.array([0.5, 0.5]), np.array([0.7, 0.3])), 4)
0.1452
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .profiles import profile_probabilities
from .samples import CountsPair, NumericPair, Outcome, binned_probabilities

__all__ = ["distance", "from_profile", "raw"]


def distance(p_ref: np.ndarray, p_cur: np.ndarray) -> float:
    return float(np.sqrt(0.5 * np.sum((np.sqrt(p_ref) - np.sqrt(p_cur)) ** 2)))


def raw(pair: NumericPair | CountsPair) -> Outcome:
    return Outcome(distance(*binned_probabilities(pair)))


def from_profile(ref: Any, cur: Any) -> Outcome:
    return Outcome(distance(*profile_probabilities(ref, cur)))
