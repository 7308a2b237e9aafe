"""The two-sample inputs every drift method reads, prepared once per column.

A numeric column becomes two sorted arrays of its non-missing values (:class:`NumericPair`):
sorting once serves the Kolmogorov-Smirnov statistic, the Wasserstein distance, the binned
divergences and the chart data. A categorical column becomes aligned counts
(:class:`CountsPair`). A method returns an :class:`Outcome`.

>>> pair = NumericPair.from_values(np.array([3.0, 1.0, np.nan]), np.array([2.0, 4.0]))
>>> pair.ref.tolist(), pair.n_ref, pair.n_cur
([1.0, 3.0], 2, 2)
>>> counts = CountsPair.from_mappings({"a": 3, "b": 1}, {"b": 2, "c": 2})
>>> counts.categories, counts.ref.tolist(), counts.cur.tolist()
(('a', 'b', 'c'), [3, 1, 0], [0, 2, 2])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

__all__ = ["BINS", "CountsPair", "NumericPair", "Outcome", "binned_probabilities",
           "reference_edges", "sort_finite", "sorted_quantile", "split_infinite"]

#: reference-quantile bins of the binned divergences (PSI, Jensen-Shannon, Hellinger, KL)
BINS = 10


@dataclass(frozen=True)
class Outcome:
    """What one method computes on one column."""

    statistic: float
    p_value: float | None = None
    error_bound: float | None = None
    note: str = ""


@dataclass
class NumericPair:
    """Sorted non-missing reference and current values of one numeric column."""

    ref: np.ndarray
    cur: np.ndarray
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_values(cls, ref: np.ndarray, cur: np.ndarray) -> NumericPair:
        return cls(sort_finite(ref), sort_finite(cur))

    @property
    def n_ref(self) -> int:
        return int(self.ref.size)

    @property
    def n_cur(self) -> int:
        return int(self.cur.size)

    @cached_property
    def ref_std(self) -> float:
        return float(np.std(self.ref)) if self.ref.size else float("nan")

    @cached_property
    def steps(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Both empirical CDFs at each distinct merged value but the last, and the gap to the
        next distinct value: all that the KS statistic and the W1 distance need.

        Computed as scipy's ``wasserstein_distance`` does, but without its re-sort and its two
        binary searches per value: a stable argsort of the two sorted runs is a linear merge
        (timsort finds the runs), and a running count of reference values gives both CDFs.
        Ties are handled by reading the counts at the last copy of each distinct value.
        """
        data = np.concatenate([self.ref, self.cur])
        order = np.argsort(data, kind="stable")
        merged = data[order]
        cum_ref = np.cumsum(order < self.ref.size)
        ends = np.flatnonzero(merged[1:] != merged[:-1])
        f_ref = cum_ref[ends] / self.ref.size
        f_cur = (ends + 1 - cum_ref[ends]) / self.cur.size
        return merged[ends + 1] - merged[ends], f_ref, f_cur


def sort_finite(values: np.ndarray) -> np.ndarray:
    """Sorted values without NaN (infinities kept at the ends: see :func:`split_infinite`)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[~np.isnan(v)]
    v.sort()
    return v


def split_infinite(sorted_values: np.ndarray) -> tuple[np.ndarray, int]:
    """The finite part of a sorted array and how many infinities were cut from its ends."""
    lo = int(np.searchsorted(sorted_values, -np.inf, side="right"))
    hi = int(np.searchsorted(sorted_values, np.inf, side="left"))
    return sorted_values[lo:hi], sorted_values.size - (hi - lo)


@dataclass(frozen=True)
class CountsPair:
    """Counts of each category (union of both sides, reference order first)."""

    categories: tuple[str, ...]
    ref: np.ndarray
    cur: np.ndarray

    @classmethod
    def from_mappings(cls, ref: Mapping[str, int], cur: Mapping[str, int]) -> CountsPair:
        cats = list(ref) + [c for c in cur if c not in ref]
        return cls(tuple(cats), np.array([ref.get(c, 0) for c in cats], dtype=np.int64),
                   np.array([cur.get(c, 0) for c in cats], dtype=np.int64))

    @property
    def n_ref(self) -> int:
        return int(self.ref.sum())

    @property
    def n_cur(self) -> int:
        return int(self.cur.sum())

    def min_expected(self) -> float:
        """Smallest expected count of the 2 x k table under no change (Cochran's rule)."""
        col = self.ref + self.cur
        col = col[col > 0]
        total = col.sum()
        if total == 0:
            return 0.0
        return float(min(self.ref.sum(), self.cur.sum()) * col.min() / total)


def sorted_quantile(sorted_values: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``np.quantile(values, q)`` (linear method) read off an already sorted array.

    numpy would partition the array again for every call; on sorted data the quantile is
    two look-ups and a linear interpolation.
    """
    pos = np.asarray(q, dtype=np.float64) * (sorted_values.size - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, sorted_values.size - 1)
    a, b = sorted_values[lo], sorted_values[hi]
    return a + (b - a) * (pos - lo)


def reference_edges(ref_sorted: np.ndarray, bins: int = BINS) -> np.ndarray:
    """Interior bin edges at the reference's quantiles (ties merged)."""
    return np.unique(sorted_quantile(ref_sorted, np.linspace(0, 1, bins + 1)[1:-1]))


def _shares(sorted_values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Shares of the bins (-inf, e1], (e1, e2], ..., (ek, inf) of sorted values."""
    cum = np.searchsorted(sorted_values, edges, side="right")
    counts = np.diff(np.concatenate([[0], cum, [sorted_values.size]]))
    return counts / sorted_values.size


def binned_probabilities(pair: NumericPair | CountsPair) -> tuple[np.ndarray, np.ndarray]:
    """Reference and current probabilities: of each category, or of reference-quantile bins."""
    if isinstance(pair, CountsPair):
        return pair.ref / max(pair.n_ref, 1), pair.cur / max(pair.n_cur, 1)
    if "bins" not in pair._cache:
        edges = reference_edges(pair.ref)
        pair._cache["bins"] = (_shares(pair.ref, edges), _shares(pair.cur, edges))
    return pair._cache["bins"]
