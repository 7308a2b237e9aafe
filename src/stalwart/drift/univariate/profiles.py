"""Inputs of the drift methods read from two column profiles instead of raw data.

Numeric: the KLL sketches give each side's CDF and quantiles, within their rank error.
Categorical: the category counts (exact while ``counts_exact``; otherwise the frequent items
plus one ``"(other)"`` cell holding the rest of the count).

>>> import pandas as pd
>>> from stalwart.stats.profile import profile
>>> a = profile(pd.DataFrame({"c": ["x", "y", "y"]}))["c"]
>>> b = profile(pd.DataFrame({"c": ["y", "z"]}))["c"]
>>> pair, exact = profile_counts(a, b)
>>> pair.categories, pair.ref.tolist(), pair.cur.tolist(), exact
(('y', 'x', 'z'), [2, 1, 0], [1, 0, 1], True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .samples import BINS, CountsPair

__all__ = ["OTHER", "profile_counts", "profile_probabilities", "rank_error"]

OTHER = "(other)"


def rank_error(prof: Any) -> float:
    err = float(prof.rank_error)
    return 0.0 if np.isnan(err) else err


def profile_counts(ref: Any, cur: Any) -> tuple[CountsPair, bool]:
    """Aligned counts of two categorical profiles, and whether they are exact."""
    exact = bool(ref.counts_exact and cur.counts_exact)
    sides = []
    for prof in (ref, cur):
        counts = dict(prof.counts())
        rest = int(prof.count) - sum(counts.values())
        if rest > 0:
            counts[OTHER] = counts.get(OTHER, 0) + rest
        sides.append(counts)
    return CountsPair.from_mappings(sides[0], sides[1]), exact


def profile_edges(ref: Any, bins: int = BINS) -> np.ndarray:
    q = np.linspace(0, 1, bins + 1)[1:-1]
    return np.unique(np.asarray(ref.quantiles(q), dtype=np.float64))


def profile_probabilities(ref: Any, cur: Any) -> tuple[np.ndarray, np.ndarray]:
    """Bin shares at the reference's quantile edges (numeric) or category shares."""
    if ref.kind in ("numeric", "datetime"):
        edges = profile_edges(ref)
        out = []
        for prof in (ref, cur):
            cdf = np.clip(np.asarray(prof.cdf(edges), dtype=np.float64), 0.0, 1.0)
            cdf = np.maximum.accumulate(cdf)
            out.append(np.diff(np.concatenate([[0.0], cdf, [1.0]])))
        return out[0], out[1]
    pair, _ = profile_counts(ref, cur)
    return pair.ref / max(pair.n_ref, 1), pair.cur / max(pair.n_cur, 1)
