"""Merge two column profiles into a new one (the operands are left unchanged).

Exact fields add (counts, tallies) or combine exactly (min, max; mean and variance by Chan's
formula); sketches merge with their own ``merge``/union. Two kinds that cannot share
sketches (numeric and categorical, say) give kind "other" with a ``note`` naming both: the
type tallies still show what changed.

>>> import pandas as pd
>>> from stalwart.stats.profile import profile
>>> a = profile(pd.DataFrame({"x": [1.0, 2.0]}))["x"]
>>> b = profile(pd.DataFrame({"x": [3.0, None]}))["x"]
>>> m = a.merge(b)
>>> (m.n_rows, m.n_missing, m.mean, m.max, a.n_rows)
(4, 1, 2.0, 3.0, 2)
"""

from __future__ import annotations

from typing import Any

import datasketches as ds

from ._distinct import Distinct
from .column import ColumnProfile

__all__ = ["merge_columns"]

_COMPATIBLE = {frozenset({"categorical", "text"}): "text",
               frozenset({"categorical", "boolean"}): "categorical"}


def _merged_kind(a: ColumnProfile, b: ColumnProfile) -> tuple[str | None, str, str]:
    """(kind, reason, note) of the merge of ``a`` and ``b``."""
    if a.kind_ is None or b.kind_ is None or a.kind_ == b.kind_:
        src = a if a.kind_ is not None else b
        return src.kind_, src.kind_reason, ""
    pair = frozenset({a.kind_, b.kind_})
    if pair in _COMPATIBLE:
        kind = _COMPATIBLE[pair]
        return kind, f"merge of {a.kind_} and {b.kind_}", ""
    kinds = " and ".join(sorted(pair))
    return "other", f"merge of {kinds}", (f"kinds differ between the merged profiles "
                                          f"({kinds}): only counts and type tallies kept")


def _merge_sketch(x: Any, y: Any, make: Any) -> Any:
    if x is None and y is None:
        return None
    out = make()
    for sk in (x, y):
        if sk is not None:
            out.merge(sk)
    return out


def merge_columns(a: ColumnProfile, b: ColumnProfile) -> ColumnProfile:
    """New profile of the rows of ``a`` and ``b`` (same column name expected)."""
    kind, reason, note = _merged_kind(a, b)
    out = ColumnProfile(a.name, kll_k=min(a.kll_k, b.kll_k),
                        max_exact_categories=min(a.max_exact_categories,
                                                 b.max_exact_categories),
                        hll_lg_k=max(a.hll_lg_k, b.hll_lg_k),
                        frequent_lg_k=max(a.frequent_lg_k, b.frequent_lg_k))
    out.kind_, out.kind_reason = kind, reason
    out.note = "; ".join(n for n in (a.note, b.note, note) if n)
    out.n_rows = a.n_rows + b.n_rows
    out.n_missing = a.n_missing + b.n_missing
    out.n_invalid = a.n_invalid + b.n_invalid
    out.n_infinite = a.n_infinite + b.n_infinite
    tc = dict(a.type_counts)
    for key, value in b.type_counts.items():
        tc[key] = tc.get(key, 0) + value
    out.type_counts = dict(sorted(tc.items()))
    if note:  # incompatible kinds: exact counts and tallies only
        return out
    out.moments = a.moments.merge(b.moments)
    out.sum_ = a.sum_ + b.sum_
    lows = [v for v in (a.min_, b.min_) if v == v]
    highs = [v for v in (a.max_, b.max_) if v == v]
    out.min_ = min(lows) if lows else float("nan")
    out.max_ = max(highs) if highs else float("nan")
    out.n_zero_ = a.n_zero_ + b.n_zero_
    out.n_negative_ = a.n_negative_ + b.n_negative_
    out.n_integer_valued_ = a.n_integer_valued_ + b.n_integer_valued_
    kll = lambda: ds.kll_doubles_sketch(out.kll_k)  # noqa: E731
    out.kll = _merge_sketch(a.kll, b.kll, kll)
    out.len_kll = _merge_sketch(a.len_kll, b.len_kll, kll)
    out.words_kll = _merge_sketch(a.words_kll, b.words_kll, kll)
    out.freq = _merge_sketch(a.freq, b.freq,
                             lambda: ds.frequent_strings_sketch(out.frequent_lg_k))
    out.freq_extra_error = a.freq_extra_error + b.freq_extra_error
    if a.distinct_ is not None and b.distinct_ is not None:
        out.distinct_ = a.distinct_.merge(b.distinct_)
    elif a.distinct_ is not None or b.distinct_ is not None:
        only = a.distinct_ if a.distinct_ is not None else b.distinct_
        out.distinct_ = only.merge(Distinct.empty(out.hll_lg_k))
    out.exact = _merge_exact(a, b, out.max_exact_categories)
    return out


def _merge_exact(a: ColumnProfile, b: ColumnProfile, limit: int) -> dict[str, int] | None:
    if a.exact is None or b.exact is None:
        return None
    merged = dict(a.exact)
    for key, value in b.exact.items():
        merged[key] = merged.get(key, 0) + value
    return merged if len(merged) <= limit else None
