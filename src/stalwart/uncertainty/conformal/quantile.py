"""The finite-sample conformal quantile and the checks that guard it.

Split conformal prediction with ``n`` calibration scores covers a new point with
probability at least ``1 - alpha`` when the threshold is the ``ceil((n + 1)(1 - alpha))``-th
smallest score, i.e. the empirical quantile at level ``ceil((n + 1)(1 - alpha)) / n``
(Vovk et al. 2005; Angelopoulos and Bates 2021, section 1). That order statistic exists
only when ``n >= 1/alpha - 1``; smaller calibration splits cannot give the guarantee and
raise :class:`~stalwart.exceptions.DataError` naming the minimum size.
"""

from __future__ import annotations

import math

import numpy as np

from ...exceptions import DataError, ParameterError

__all__ = ["check_alpha", "conformal_quantile", "min_calibration_size", "quantile_rank"]

# (n + 1)(1 - alpha) is often an integer in exact arithmetic (n = 99, alpha = 0.1 gives 90)
# but lands just above it in floating point; without this slack ceil would add one.
_SLACK = 1e-9


def check_alpha(alpha: float) -> float:
    """Return ``alpha`` as a float, or raise ParameterError unless 0 < alpha < 1."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.number)):
        raise ParameterError("alpha", expected="a number strictly between 0 and 1",
                             got=repr(alpha), fix="pass alpha=0.1 for 90% coverage")
    value = float(alpha)
    if not 0.0 < value < 1.0:
        raise ParameterError("alpha", expected="a number strictly between 0 and 1",
                             got=repr(alpha), fix="pass alpha=0.1 for 90% coverage")
    return value


def min_calibration_size(alpha: float) -> int:
    """Smallest calibration size ``n`` with ``n >= 1/alpha - 1``.

    >>> min_calibration_size(0.1), min_calibration_size(0.05), min_calibration_size(0.3)
    (9, 19, 3)
    """
    return max(1, math.ceil(1.0 / check_alpha(alpha) - 1.0 - _SLACK))


def quantile_rank(n: int, alpha: float) -> int:
    """1-based rank ``ceil((n + 1)(1 - alpha))`` of the conformal threshold among n scores.

    >>> quantile_rank(99, 0.1), quantile_rank(100, 0.1), quantile_rank(9, 0.1)
    (90, 91, 9)
    """
    alpha = check_alpha(alpha)
    need = min_calibration_size(alpha)
    if n < need:
        raise DataError(
            "calibration split",
            expected=f"at least {need} points for alpha={alpha:g} (n >= 1/alpha - 1)",
            got=f"{n} points",
            fix=f"use a calibration split of at least {need} points, or a larger alpha",
        )
    return min(n, math.ceil((n + 1) * (1.0 - alpha) - _SLACK))


def conformal_quantile(scores: np.ndarray, alpha: float) -> float:
    """The conformal threshold: the ``ceil((n + 1)(1 - alpha))``-th smallest score.

    Equal to ``np.quantile(scores, ceil((n + 1)(1 - alpha)) / n, method="lower")`` (as in MAPIE).

    >>> conformal_quantile(np.arange(1.0, 21.0), alpha=0.1)
    19.0
    """
    s = np.asarray(scores, dtype=float).ravel()
    if s.size and not np.all(np.isfinite(s[~np.isposinf(s)])):
        raise DataError("conformity scores", expected="numbers (NaN is not allowed)",
                        got="NaN values", fix="check the model outputs for NaN")
    k = quantile_rank(s.size, alpha)
    return float(np.partition(s, k - 1)[k - 1])
