"""Two-sample KS p-values of many windows against one reference, in one vectorised pass.

A monitor tests every window against the same reference, so the work is one KS test per
window. The KS distance ``D = max |F_window - F_reference|`` of every window is computed at
once (sort the pooled values, cumulative counts, maximum over the ends of tie groups: the
points where scipy evaluates both empirical CDFs). The p-value of the two-sided KS test
depends only on ``D`` and the two sample sizes (scipy's exact and asymptotic methods, chosen
by the sizes, take nothing else), so :func:`scipy.stats.ks_2samp` is called once per distinct
``(D, window size, reference size)`` on a window that has it, and that p-value is kept (in a
bounded module cache) for every window with the same distance: exactly scipy's p-values,
for a few scipy calls. (scipy broadcasts ``ks_2samp`` over an axis too, but with one
Python-level test per window: ~0.3 ms each.)

>>> import numpy as np
>>> from scipy import stats
>>> rng = np.random.default_rng(0)
>>> ref = rng.normal(size=300)
>>> windows = rng.normal(size=(40, 50))
>>> p = ks_window_pvalues(ref, windows)
>>> bool(np.allclose(p, [stats.ks_2samp(w, ref).pvalue for w in windows]))
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from ...exceptions import DataError

__all__ = ["ks_window_pvalues"]

_CACHE: dict[tuple[int, int, int], float] = {}  # (D * n * m, n, m) -> scipy's p-value
_CACHE_MAX = 200_000


def _as_finite(values: object, what: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        raise DataError(what, expected="at least one finite value", got="none",
                        fix="pass non-empty numeric data (missing values are dropped)")
    return arr


def _distance_keys(ref: np.ndarray, block: np.ndarray) -> np.ndarray:
    """``D * n * m`` (an exact integer) for each row of ``block`` against ``ref``."""
    n_w, n = block.shape
    m = ref.size
    pooled = np.concatenate([block, np.broadcast_to(ref, (n_w, m))], axis=1)
    order = np.argsort(pooled, axis=1, kind="stable")
    vals = np.take_along_axis(pooled, order, axis=1)
    in_window = order < n
    gap = np.cumsum(in_window, axis=1) * m - np.cumsum(~in_window, axis=1) * n
    ends = np.ones_like(in_window)
    ends[:, :-1] = vals[:, 1:] != vals[:, :-1]  # only after the last of a run of ties
    return np.where(ends, np.abs(gap), 0).max(axis=1)


def ks_window_pvalues(reference: object, windows: Sequence[object] | np.ndarray
                      ) -> np.ndarray:
    """scipy's two-sided two-sample KS p-value of each window against ``reference``.

    ``windows`` is a 2-D array (one window per row) or a sequence of 1-D arrays (any sizes);
    missing values are dropped. An empty window gets NaN (it cannot be tested).
    """
    ref = np.sort(_as_finite(reference, "reference"))
    if isinstance(windows, np.ndarray) and windows.ndim == 2:
        rows = list(windows.astype(float))
    else:
        rows = [np.asarray(w, dtype=float).ravel() for w in windows]
    rows = [w[np.isfinite(w)] for w in rows]
    out = np.full(len(rows), np.nan)
    by_size: dict[int, list[int]] = {}
    for i, w in enumerate(rows):
        if w.size:
            by_size.setdefault(w.size, []).append(i)
    for size, idx in by_size.items():
        keys = np.empty(len(idx), dtype=np.int64)
        for start in range(0, len(idx), 2048):  # bounded memory per block
            part = idx[start:start + 2048]
            keys[start:start + len(part)] = _distance_keys(ref, np.stack([rows[i]
                                                                          for i in part]))
        uniq, first = np.unique(keys, return_index=True)
        if len(_CACHE) > _CACHE_MAX:
            _CACHE.clear()
        for k, j in zip(uniq.tolist(), first.tolist()):
            if (k, size, ref.size) not in _CACHE:
                _CACHE[k, size, ref.size] = float(stats.ks_2samp(rows[idx[j]], ref).pvalue)
        out[idx] = [_CACHE[k, size, ref.size] for k in keys.tolist()]
    return out
