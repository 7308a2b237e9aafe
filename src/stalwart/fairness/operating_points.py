"""Operating points of one group's score thresholds, and their upper concave hull.

A threshold ``c`` turns scores into decisions (positive when ``score >= c``) and gives a
point: selection rate, TPR, FPR, and the group's share of an objective (correct decisions
for accuracy). Choosing between two thresholds at random, with probability ``p`` for the
looser one, reaches every point on the segment between their points (Hardt et al. 2016,
section 4), so the achievable set is the convex hull and the best achievable objective at
a given rate is the upper concave hull: :func:`upper_hull` computes it (Andrew's monotone
chain, written here because neither numpy nor scipy offers an upper hull of a 1-D curve
with the vertex order we need) and :func:`on_hull` finds the two vertices and the mixing
probability that reach a given rate.

>>> import numpy as np
>>> x = np.array([0.0, 0.2, 0.5, 1.0]); v = np.array([0.0, 0.5, 0.6, 1.0])
>>> upper_hull(x, v).tolist()
[0, 1, 3]
>>> j, p, value = on_hull(x, v, upper_hull(x, v), 0.6)
>>> int(j), round(p, 3), round(value, 3)
(1, 0.5, 0.75)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import ParameterError

__all__ = ["candidate_cuts", "on_hull", "threshold_counts", "upper_hull"]


def candidate_cuts(scores: np.ndarray, grid: Any) -> np.ndarray:
    """Thresholds to try, descending, from ``+inf`` (nobody selected) to ``-inf`` (all):
    every distinct score (``grid=None``), ``grid`` score quantiles (an int), or the given
    thresholds (an array)."""
    if grid is None:
        inner = np.unique(scores)
    elif isinstance(grid, (int, np.integer)) and not isinstance(grid, bool):
        if grid < 2:
            raise ParameterError("grid", expected="None, an integer >= 2 or an array of "
                                 "thresholds", got=repr(grid), fix="pass grid=None (every score)")
        inner = np.unique(np.quantile(scores, np.linspace(0.0, 1.0, int(grid))))
    else:
        inner = np.unique(np.asarray(grid, dtype=float))
        if inner.ndim != 1 or inner.size == 0 or not np.all(np.isfinite(inner)):
            raise ParameterError("grid", expected="None, an integer >= 2 or a 1-D array of "
                                 "finite thresholds", got=repr(grid),
                                 fix="pass grid=np.linspace(0, 1, 101) for probabilities")
    return np.concatenate([[np.inf], inner[::-1], [-np.inf]])


def threshold_counts(scores: np.ndarray, y: np.ndarray,
                     cuts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cut: how many rows are selected (``score >= cut``), and how many of them are
    positive."""
    order = np.argsort(-scores, kind="stable")
    s, pos = scores[order], np.concatenate([[0], np.cumsum(y[order])])
    # rows with score >= cut: the position of the first score below the cut (s descending)
    selected = np.searchsorted(-s, -cuts, side="right")
    return selected.astype(float), pos[selected].astype(float)


def upper_hull(x: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Indices of the upper concave hull of the points ``(x, v)``, by increasing ``x``
    (of points with equal ``x``, the highest)."""
    order = np.lexsort((-v, x))
    hull: list[int] = []
    for i in order:
        if hull and x[hull[-1]] == x[i]:
            continue  # same x, lower or equal value
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            cross = (x[b] - x[a]) * (v[i] - v[a]) - (v[b] - v[a]) * (x[i] - x[a])
            if cross >= 0:  # b lies on or under the chord from a to i
                hull.pop()
            else:
                break
        hull.append(int(i))
    return np.asarray(hull, dtype=int)


def on_hull(x: np.ndarray, v: np.ndarray, hull: np.ndarray,
            at: float) -> tuple[int, float, float]:
    """``(j, p, value)``: hull vertices ``hull[j]`` and ``hull[j + 1]`` mixed with
    probability ``p`` for the second reach ``x = at`` with objective ``value``."""
    hx, hv = x[hull], v[hull]
    if hull.size == 1 or at <= hx[0]:
        return 0, 0.0, float(hv[0])
    if at >= hx[-1]:
        return int(hull.size - 2), 1.0, float(hv[-1])
    j = int(np.searchsorted(hx, at, side="right") - 1)
    p = float((at - hx[j]) / (hx[j + 1] - hx[j]))
    return j, p, float(hv[j] + p * (hv[j + 1] - hv[j]))
