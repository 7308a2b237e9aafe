"""Multiple-testing corrections shared by every method that tests many hypotheses at once.

>>> adjust_p_values([0.01, 0.04, 0.03], "holm").round(3).tolist()
[0.03, 0.06, 0.06]
>>> adjust_p_values([0.01, 0.04, 0.03], "bonferroni").round(3).tolist()
[0.03, 0.12, 0.09]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from ..exceptions import ParameterError

__all__ = ["CORRECTIONS", "adjust_p_values"]

#: ``bonferroni`` and ``holm`` control the family-wise error rate (Holm is uniformly more
#: powerful), ``bh`` the false discovery rate
CORRECTIONS = ("holm", "bh", "bonferroni", "none")


def adjust_p_values(p_values: Sequence[float] | np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjusted p-values: Holm's step-down, Benjamini-Hochberg (scipy), Bonferroni or none."""
    p = np.asarray(p_values, dtype=np.float64)
    if method not in CORRECTIONS:
        raise ParameterError("correction", expected=f"one of {CORRECTIONS}", got=repr(method),
                             fix="use 'holm' (few false findings) or 'bh' (more power)")
    if p.size == 0 or method == "none":
        return p.copy()
    if method == "bh":
        return stats.false_discovery_control(p, method="bh")
    if method == "bonferroni":
        return np.minimum(p * p.size, 1.0)
    # Holm's step-down: scipy has none (only BH/BY), and it is three vectorised lines
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((p.size - np.arange(p.size)) * p[order])
    out = np.empty_like(p)
    out[order] = np.minimum(stepped, 1.0)
    return out
