"""Normalised Wasserstein (earth mover's) distance: W1 divided by the reference's standard
deviation, so 0.1 means "the mass moved a tenth of a standard deviation on average".

On raw data W1 equals :func:`scipy.stats.wasserstein_distance`, computed from the column's
sorted arrays (shared with the KS statistic). From profiles, W1 is the mean of
``|Q_ref(q) - Q_cur(q)|`` over a fine grid of ranks (midpoint rule on the KLL quantiles),
leaving out the ranks within the sketches' rank error of 0 and 1 (where a sketch cannot
place a quantile), divided by the exact standard deviation the profile keeps; its
``error_bound`` comes from the sketches' rank error (see :func:`_interval_bounds`).

>>> import numpy as np
>>> from stalwart.drift.univariate.samples import NumericPair
>>> rng = np.random.default_rng(0)
>>> out = raw(NumericPair.from_values(rng.normal(size=5000), rng.normal(0.5, 1, 5000)))
>>> round(out.statistic, 1)
0.5
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .profiles import rank_error
from .samples import NumericPair, Outcome

__all__ = ["GRID", "distance", "from_profile", "raw"]

#: ranks at which the profile-based distance evaluates both quantile functions
GRID = 2000


def distance(pair: NumericPair) -> float:
    """Unnormalised W1, as scipy computes it (its own sort replaced by a linear merge)."""
    gaps, f_ref, f_cur = pair.steps
    return float(np.sum(np.multiply(np.abs(f_ref - f_cur), gaps)))


def _normalise(w: float, scale: float, fallback: float) -> tuple[float, str]:
    if scale > 0:
        return w / scale, ""
    if fallback > 0:
        return w / fallback, "the reference is constant: divided by the pooled standard deviation"
    return 0.0, "both samples are the same constant"


def raw(pair: NumericPair) -> Outcome:
    w = distance(pair)
    pooled = float(np.std(np.concatenate([pair.ref, pair.cur]))) if pair.ref_std == 0 else 0.0
    value, note = _normalise(w, pair.ref_std, pooled)
    return Outcome(value, note=note)


def _interval_bounds(ref: Any, cur: Any, q: np.ndarray, trim: float = 0.0
                     ) -> tuple[float, float]:
    """Lower and upper W1 over every pair of quantile functions the sketches allow.

    Within a rank cell [q_i, q_i+1] the true quantile lies between the sketch's quantiles at
    q_i - eps and q_i+1 + eps (eps: the sketch's rank error); the smallest and largest gap
    between those two intervals, summed over the cells, bound the true W1 (sketch and grid
    error together).
    """
    cells = np.linspace(trim, 1.0 - trim, GRID + 1)
    sides = []
    for prof in (ref, cur):
        eps = rank_error(prof)
        lo = np.asarray(prof.quantiles(np.clip(cells[:-1] - eps, 0, 1)), dtype=np.float64)
        hi = np.asarray(prof.quantiles(np.clip(cells[1:] + eps, 0, 1)), dtype=np.float64)
        sides.append((lo, hi))
    (lo_r, hi_r), (lo_c, hi_c) = sides
    upper = np.maximum(np.abs(hi_r - lo_c), np.abs(hi_c - lo_r))
    lower = np.maximum(0.0, np.maximum(lo_r - hi_c, lo_c - hi_r))
    return float(np.mean(lower)), float(np.mean(upper))


def _moments(prof: Any, q_values: np.ndarray) -> tuple[float, float, str]:
    """Exact mean and standard deviation from the profile, or estimated from its quantiles
    (datetime profiles keep no moments)."""
    if prof.mean is not None and prof.variance is not None:
        return float(prof.mean), float(np.sqrt(max(prof.variance, 0.0))), ""
    return (float(np.mean(q_values)), float(np.std(q_values)),
            "standard deviation estimated from the sketch's quantiles")


def from_profile(ref: Any, cur: Any) -> Outcome:
    # ranks closer to 0 or 1 than the two sketches' rank error are left out: there a sketch
    # cannot place a quantile at all, and on heavy tails (Student t, 3 degrees of freedom)
    # those few extreme values moved the estimate by 0.1 between two profiles of the same
    # data (benchmarks/drift.py); the distance is the mean over the ranks kept
    trim = min(float(rank_error(ref) + rank_error(cur)), 0.1)
    q = trim + (1.0 - 2 * trim) * (np.arange(GRID) + 0.5) / GRID
    q_ref = np.asarray(ref.quantiles(q), dtype=np.float64)
    q_cur = np.asarray(cur.quantiles(q), dtype=np.float64)
    w = float(np.mean(np.abs(q_ref - q_cur)))
    w_lo, w_hi = _interval_bounds(ref, cur, q, trim)
    mean_r, sd_ref, how = _moments(ref, q_ref)
    pooled = 0.0
    if sd_ref == 0:
        mean_c, sd_cur, _ = _moments(cur, q_cur)
        n1, n2 = int(ref.count), int(cur.count)
        mean = (n1 * mean_r + n2 * mean_c) / (n1 + n2)
        pooled = float(np.sqrt((n1 * (sd_ref ** 2 + (mean_r - mean) ** 2)
                                + n2 * (sd_cur ** 2 + (mean_c - mean) ** 2)) / (n1 + n2)))
    value, note = _normalise(w, sd_ref, pooled)
    scale = sd_ref if sd_ref > 0 else pooled
    bound = max(w_hi - w, w - w_lo) / scale if scale > 0 else 0.0
    trimmed = (f"ranks below {trim:.2%} and above {1 - trim:.2%} left out (beyond the "
               "sketches' resolution)") if trim > 0 else ""
    return Outcome(value, error_bound=bound, note="; ".join(filter(None, [how, note, trimmed])))
