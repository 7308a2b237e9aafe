"""ColumnProfile: one column's mergeable summary (exact counts and moments, DataSketches).

A profile holds, for one column:

* exact integers: ``n_rows``, ``n_missing``, ``count``, python ``type_counts``;
* numeric columns: exact ``min``, ``max``, ``sum``, ``mean`` and population ``variance``
  (merged by Chan's formula), ``n_zero``, ``n_negative``, ``n_integer_valued``, and a KLL
  quantile sketch (``quantiles``, ``cdf``, within ``rank_error``), and a distinct count
  (exact up to 16,384 values, then HyperLogLog); datetime columns keep the
  KLL sketch, ``min`` and ``max`` of nanoseconds since the epoch (UTC);
* categorical, text and boolean columns: exact category counts while there are at most
  ``max_exact_categories`` distinct values, a frequent-items sketch for the heavy hitters
  beyond that, a HyperLogLog distinct count, and KLL sketches of string lengths (characters
  and words).

Values whose Python type does not fit the column's kind (a string in a numeric column) are
tallied in ``type_counts`` and counted in ``n_invalid``; they are not missing, and they are
kept out of the numeric summaries.

>>> import pandas as pd
>>> from stalwart.stats.profile import profile
>>> col = profile(pd.DataFrame({"x": [1.0, 2.0, None, 4.0]}))["x"]
>>> col.kind, col.n_rows, col.n_missing, col.count, col.mean, col.max
('numeric', 4, 1, 3, 2.333..., 4.0)
>>> col.quantiles([0.5]).tolist()
[2.0]
"""

from __future__ import annotations

from typing import Any

import datasketches as ds
import numpy as np

from ..._json import jsonable
from ._distinct import Distinct
from ._moments import Moments

__all__ = ["KINDS", "ColumnProfile"]

KINDS = ("numeric", "categorical", "boolean", "datetime", "text", "other")
_SKETCH_KINDS = ("numeric", "datetime")  # KLL of values
_COUNT_KINDS = ("categorical", "text", "boolean")  # category counts, HLL, lengths
_SUMMARY_Q = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)
_TOP = 20  # categories listed in to_dict()


class ColumnProfile:
    """Mergeable summary of one column; built by :func:`~stalwart.stats.profile.profile`.

    Treat instances as read-only: :meth:`merge` returns a new object and never changes its
    operands.
    """

    def __init__(self, name: str, *, kind: str | None = None, kll_k: int = 200,
                 max_exact_categories: int = 1000, hll_lg_k: int = 12,
                 frequent_lg_k: int = 10) -> None:
        self.name = str(name)
        self.kind_: str | None = kind  # None until a chunk with values decides it
        self.kind_reason = "declared" if kind else ""
        self.kll_k = int(kll_k)
        self.max_exact_categories = int(max_exact_categories)
        self.hll_lg_k = int(hll_lg_k)
        self.frequent_lg_k = int(frequent_lg_k)
        self.note = ""
        self.n_rows = 0
        self.n_missing = 0
        self.n_invalid = 0
        self.n_infinite = 0
        self.type_counts: dict[str, int] = {}
        # numeric state
        self.moments = Moments()
        self.sum_ = 0.0
        self.min_ = float("nan")
        self.max_ = float("nan")
        self.n_zero_ = 0
        self.n_negative_ = 0
        self.n_integer_valued_ = 0
        # sketches, created lazily by the kind that needs them
        self.kll: Any = None
        self.distinct_: Distinct | None = None
        self.freq: Any = None
        self.freq_extra_error = 0  # undercount bound from per-chunk pre-aggregation
        self.exact: dict[str, int] | None = {}
        self.len_kll: Any = None
        self.words_kll: Any = None
        if kind is not None:
            self.set_kind(kind, "declared")

    # -- kind and sketches ---------------------------------------------------------------
    @property
    def kind(self) -> str:
        """One of :data:`KINDS`; "other" when no chunk ever had a non-missing value."""
        return self.kind_ or "other"

    def set_kind(self, kind: str, reason: str) -> None:
        self.kind_, self.kind_reason = kind, reason
        if kind in _SKETCH_KINDS or kind in _COUNT_KINDS:
            self.distinct_ = Distinct.empty(self.hll_lg_k)
        if kind in _SKETCH_KINDS:
            self.kll = ds.kll_doubles_sketch(self.kll_k)
        if kind in _COUNT_KINDS:
            self.freq = ds.frequent_strings_sketch(self.frequent_lg_k)
        if kind in ("categorical", "text"):
            self.len_kll = ds.kll_doubles_sketch(self.kll_k)
            self.words_kll = ds.kll_doubles_sketch(self.kll_k)

    # -- exact fields --------------------------------------------------------------------
    @property
    def count(self) -> int:
        """Non-missing cells (including ``n_invalid`` values of another type)."""
        return self.n_rows - self.n_missing

    @property
    def missing_share(self) -> float:
        return self.n_missing / self.n_rows if self.n_rows else float("nan")

    def _numeric(self, value: float) -> float | None:
        if self.kind != "numeric" or self.moments.n == 0:
            return None
        return value

    @property
    def min(self) -> float | None:
        """Smallest finite value (numeric; datetime: nanoseconds since the epoch, UTC)."""
        if self.kind not in _SKETCH_KINDS or self.moments.n == 0:
            return None
        return self.min_

    @property
    def max(self) -> float | None:
        if self.kind not in _SKETCH_KINDS or self.moments.n == 0:
            return None
        return self.max_

    @property
    def mean(self) -> float | None:
        return self._numeric(self.moments.mean)

    @property
    def variance(self) -> float | None:
        """Population variance (``ddof=0``) of the finite values."""
        return self._numeric(self.moments.variance)

    @property
    def sum(self) -> float | None:
        return self._numeric(self.sum_)

    @property
    def n_values(self) -> int:
        """Finite values of the column's kind in the numeric summaries (numeric, datetime)."""
        return self.moments.n

    @property
    def n_zero(self) -> int | None:
        return self.n_zero_ if self.kind == "numeric" else None

    @property
    def n_negative(self) -> int | None:
        return self.n_negative_ if self.kind == "numeric" else None

    @property
    def n_integer_valued(self) -> int | None:
        return self.n_integer_valued_ if self.kind == "numeric" else None

    # -- KLL queries ---------------------------------------------------------------------
    @property
    def rank_error(self) -> float:
        """KLL normalised rank error (99% confidence) of ``quantiles``/``cdf``.

        ``datasketches``' single-sided bound for rank queries; 0.0 while the sketch still
        holds every value (exact); NaN for kinds without a value sketch (categorical, text,
        boolean, other: see ``length_rank_error`` for string lengths).
        """
        return _rank_error(self.kll, pmf=False)

    @property
    def length_rank_error(self) -> float:
        """KLL rank error of ``length_quantiles`` (categorical and text columns)."""
        return _rank_error(self.len_kll, pmf=False)

    @property
    def pmf_rank_error(self) -> float:
        """Double-sided KLL bound for the mass between two points (histogram bins)."""
        return _rank_error(self.kll, pmf=True)

    def quantiles(self, q: Any) -> np.ndarray:
        """Approximate quantiles of the values (datetime: ns since the epoch) at ranks ``q``."""
        return _kll_quantiles(self.kll, q, self.name)

    def cdf(self, x: Any) -> np.ndarray:
        """Fraction of the values ``<= x`` (KLL estimate, within ``rank_error``)."""
        return _kll_cdf(self.kll, x)

    def length_quantiles(self, q: Any, *, unit: str = "chars") -> np.ndarray:
        """Quantiles of string lengths in characters (``unit="chars"``) or words."""
        if unit not in ("chars", "words"):
            from ...exceptions import ParameterError
            raise ParameterError("unit", expected="'chars' or 'words'", got=repr(unit),
                                 fix="use unit='chars' or unit='words'")
        return _kll_quantiles(self.len_kll if unit == "chars" else self.words_kll, q, self.name)

    # -- categories ----------------------------------------------------------------------
    @property
    def counts_exact(self) -> bool:
        """True while every category's count is kept exactly."""
        return self.kind in _COUNT_KINDS and self.exact is not None

    def counts(self) -> dict[str, int]:
        """Category -> count, largest first: exact, or the frequent items' heavy hitters."""
        if self.kind not in _COUNT_KINDS:
            return {}
        if self.exact is not None:
            return dict(sorted(self.exact.items(), key=lambda kv: (-kv[1], kv[0])))
        # heavy hitters: items whose lower bound exceeds the error bound (no false positives)
        rows = self.freq.get_frequent_items(ds.frequent_items_error_type.NO_FALSE_POSITIVES,
                                            int(self.counts_error))
        return dict(sorted(((item, int(est)) for item, est, _lo, _hi in rows),
                           key=lambda kv: (-kv[1], kv[0])))

    @property
    def counts_error(self) -> float:
        """Upper bound on the error of any count in :meth:`counts` (0 when exact)."""
        if self.counts_exact or self.freq is None:
            return 0.0
        # the sketch's a-priori error over every counted value, plus the undercount bound of
        # values left out of a chunk's pre-aggregated update (see _update._update_frequent)
        n_counted = self.count - self.n_invalid
        return float(self.freq.epsilon * n_counted + self.freq_extra_error)

    @property
    def distinct(self) -> float:
        """Distinct non-missing values: exact when ``counts_exact`` or while at most 16,384,
        else a HyperLogLog estimate (see ``distinct_rel_error``)."""
        if self.counts_exact:
            return float(len(self.exact))
        if self.distinct_ is None:
            return float("nan")
        return self.distinct_.estimate

    @property
    def distinct_rel_error(self) -> float:
        """Relative error bound of ``distinct`` at 2 standard deviations; 0 when exact."""
        if self.counts_exact:
            return 0.0
        if self.distinct_ is None:
            return float("nan")
        return self.distinct_.rel_error

    # -- merging -------------------------------------------------------------------------
    def merge(self, other: ColumnProfile) -> ColumnProfile:
        """A new profile of both parts' rows (exact fields exact, sketches merged)."""
        from ._merge import merge_columns
        return merge_columns(self, other)

    # -- reporting -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON summary for reports: counts, moments, a few quantiles, top categories."""
        out: dict[str, Any] = {
            "name": self.name, "kind": self.kind, "kind_reason": self.kind_reason,
            "n_rows": self.n_rows, "n_missing": self.n_missing,
            "missing_share": self.missing_share, "count": self.count,
            "n_invalid": self.n_invalid, "type_counts": dict(self.type_counts),
            "distinct": self.distinct, "distinct_rel_error": self.distinct_rel_error,
            "note": self.note,
        }
        if self.kind in _SKETCH_KINDS:
            qs = self.quantiles(_SUMMARY_Q) if self.moments.n else [None] * len(_SUMMARY_Q)
            out.update(min=self.min, max=self.max, n_infinite=self.n_infinite,
                       quantiles={str(q): v for q, v in zip(_SUMMARY_Q, qs)},
                       rank_error=self.rank_error, n_values=self.n_values)
        if self.kind == "datetime" and self.moments.n:
            import pandas as pd
            out.update(min_time=pd.Timestamp(int(self.min_), tz="UTC").isoformat(),
                       max_time=pd.Timestamp(int(self.max_), tz="UTC").isoformat())
        if self.kind == "numeric":
            out.update(mean=self.mean, variance=self.variance, sum=self.sum,
                       n_zero=self.n_zero, n_negative=self.n_negative,
                       n_integer_valued=self.n_integer_valued)
        if self.kind in _COUNT_KINDS:
            top = list(self.counts().items())[:_TOP]
            out.update(counts_exact=self.counts_exact, counts_error=self.counts_error,
                       top_categories=[{"value": k, "count": v} for k, v in top])
            if self.len_kll is not None and not self.len_kll.is_empty():
                out["length_quantiles"] = {
                    str(q): v for q, v in zip((0.5, 0.95, 1.0),
                                              self.length_quantiles([0.5, 0.95, 1.0]))}
        return jsonable(out)

    def __repr__(self) -> str:
        return (f"ColumnProfile({self.name!r}, kind={self.kind!r}, n_rows={self.n_rows}, "
                f"n_missing={self.n_missing})")


def _rank_error(sk: Any, *, pmf: bool) -> float:
    if sk is None:
        return float("nan")
    if not sk.is_estimation_mode():
        return 0.0
    return float(ds.kll_doubles_sketch.get_normalized_rank_error(sk.k, pmf))


def _kll_quantiles(sk: Any, q: Any, name: str) -> np.ndarray:
    ranks = np.atleast_1d(np.asarray(q, dtype=np.float64))
    if ranks.size and (np.any(ranks < 0) or np.any(ranks > 1) or np.any(np.isnan(ranks))):
        from ...exceptions import ParameterError
        raise ParameterError(f"quantile ranks of column {name!r}", expected="values in [0, 1]",
                             got=f"{ranks.min()} .. {ranks.max()}", fix="pass q in [0, 1]")
    if sk is None or sk.is_empty():
        return np.full(ranks.shape, np.nan)
    out = np.asarray(sk.get_quantiles(ranks.tolist(), True), dtype=np.float64)
    # KLL answers with retained items only; its exact min and max are the 0 and 1 quantiles
    out[ranks == 0] = sk.get_min_value()
    out[ranks == 1] = sk.get_max_value()
    return out.reshape(ranks.shape)


def _kll_cdf(sk: Any, x: Any) -> np.ndarray:
    points = np.atleast_1d(np.asarray(x, dtype=np.float64))
    if sk is None or sk.is_empty():
        return np.full(points.shape, np.nan)
    out = np.full(points.shape, np.nan)
    ok = ~np.isnan(points)
    if ok.any():
        uniq, inverse = np.unique(points[ok], return_inverse=True)
        ranks = np.asarray(sk.get_cdf(uniq.tolist(), True), dtype=np.float64)[:-1]
        out[ok] = ranks[inverse]
    return out

