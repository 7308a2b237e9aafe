"""Jensen-Shannon distance (:func:`scipy.spatial.distance.jensenshannon`, natural log, so it
lies in [0, sqrt(ln 2) = 0.833]) between the reference and current shares of categories, or
of the reference's decile bins for a numeric column. Default threshold 0.1.

>>> import numpy as np
>>> round(distance(np.array([0.4, 0.3, 0.2, 0.1]), np.full(4, 0.25)), 4)
0.1669
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.spatial.distance import jensenshannon

from .profiles import profile_probabilities
from .samples import CountsPair, NumericPair, Outcome, binned_probabilities

__all__ = ["distance", "from_profile", "raw"]


def distance(p_ref: np.ndarray, p_cur: np.ndarray) -> float:
    return float(jensenshannon(p_ref, p_cur))


def raw(pair: NumericPair | CountsPair) -> Outcome:
    return Outcome(distance(*binned_probabilities(pair)))


def from_profile(ref: Any, cur: Any) -> Outcome:
    return Outcome(distance(*profile_probabilities(ref, cur)))
