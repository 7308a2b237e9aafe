"""Population stability index: ``sum((cur - ref) * ln(cur / ref))`` over bins or categories.

Numeric columns are cut at the reference's deciles; shares below ``EPS`` are raised to it
(an empty bin would make the index infinite). Rule of thumb: < 0.1 stable, 0.1-0.2
moderate, >= 0.2 a significant shift (the default threshold).

>>> import numpy as np
>>> round(index(np.array([0.5, 0.5]), np.array([0.7, 0.3])), 4)
0.1695
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .profiles import profile_probabilities
from .samples import CountsPair, NumericPair, Outcome, binned_probabilities

__all__ = ["EPS", "from_profile", "index", "raw"]

EPS = 1e-4


def index(p_ref: np.ndarray, p_cur: np.ndarray) -> float:
    p, q = np.clip(p_ref, EPS, None), np.clip(p_cur, EPS, None)
    return float(np.sum((q - p) * np.log(q / p)))


def raw(pair: NumericPair | CountsPair) -> Outcome:
    return Outcome(index(*binned_probabilities(pair)))


def from_profile(ref: Any, cur: Any) -> Outcome:
    return Outcome(index(*profile_probabilities(ref, cur)))
