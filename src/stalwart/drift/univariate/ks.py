"""Two-sample Kolmogorov-Smirnov test: the largest gap between the two empirical CDFs.

On raw data the statistic and p-value equal :func:`scipy.stats.ks_2samp` (``method="auto"``):
below 10 000 values per side scipy itself runs (exact p-value); above, the statistic comes
from the column's sorted arrays (shared with the Wasserstein distance) and the p-value from
the same asymptotic distribution scipy uses there (``kstwo.sf(D, round(n*m/(n+m)))``).

From profiles the two KLL CDFs are compared on the union of both quantile grids; the
statistic is within ``rank_error_ref + rank_error_cur + 1/GRID`` of the sketched data's, and
the p-value comes from Kolmogorov's limiting distribution (:func:`limit_p_value`).

>>> import numpy as np
>>> from stalwart.drift.univariate.samples import NumericPair
>>> rng = np.random.default_rng(0)
>>> out = raw(NumericPair.from_values(rng.normal(size=300), rng.normal(0.5, 1, 300)))
>>> round(out.statistic, 3), out.p_value < 1e-6
(0.253, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from .profiles import rank_error
from .samples import NumericPair, Outcome

__all__ = ["GRID", "SCIPY_EXACT_MAX_N", "critical_d", "from_profile", "limit_p_value",
           "p_value", "raw"]

#: scipy's ``ks_2samp(method="auto")`` is exact up to this many values per side
SCIPY_EXACT_MAX_N = 10_000
#: quantile grid points per profile for the profile-based statistic
GRID = 2001


def p_value(d: float, n_ref: int, n_cur: int) -> float:
    """scipy's asymptotic two-sided p-value of ``ks_2samp``."""
    m, n = sorted([float(n_ref), float(n_cur)], reverse=True)
    en = m * n / (m + n)
    return float(np.clip(stats.kstwo.sf(d, np.round(en)), 0.0, 1.0))


def critical_d(alpha: float, n_ref: int, n_cur: int) -> float:
    """Smallest D the asymptotic test calls significant at ``alpha`` (detectable effect)."""
    return float(np.sqrt(-np.log(alpha / 2) / 2) * np.sqrt((n_ref + n_cur) / (n_ref * n_cur)))


def raw(pair: NumericPair) -> Outcome:
    if max(pair.n_ref, pair.n_cur) <= SCIPY_EXACT_MAX_N:
        res = stats.ks_2samp(pair.ref, pair.cur)
        return Outcome(float(res.statistic), float(res.pvalue))
    _, f_ref, f_cur = pair.steps
    # at the largest value both CDFs are 1: the gap there is 0 and cannot be the maximum
    d = float(np.max(np.abs(f_ref - f_cur))) if f_ref.size else 0.0
    return Outcome(d, p_value(d, pair.n_ref, pair.n_cur))


def from_profile(ref: Any, cur: Any) -> Outcome:
    q = np.linspace(0.0, 1.0, GRID)
    grid = np.unique(np.concatenate([np.asarray(ref.quantiles(q), dtype=np.float64),
                                     np.asarray(cur.quantiles(q), dtype=np.float64)]))
    d = float(np.max(np.abs(np.asarray(ref.cdf(grid)) - np.asarray(cur.cdf(grid)))))
    bound = rank_error(ref) + rank_error(cur) + 1.0 / (GRID - 1)
    return Outcome(d, limit_p_value(d, int(ref.count), int(cur.count)), error_bound=bound)


def limit_p_value(d: float, n_ref: int, n_cur: int) -> float:
    """Kolmogorov's limiting distribution, ``kstwobign.sf(D * sqrt(n m / (n + m)))``.

    Used on profiles, whose D is approximate anyway: scipy's finite-n ``kstwo.sf`` can take
    seconds per call at n of a few hundred thousand, the limit takes microseconds.
    """
    en = n_ref * n_cur / (n_ref + n_cur)
    return float(np.clip(stats.kstwobign.sf(d * np.sqrt(en)), 0.0, 1.0))
