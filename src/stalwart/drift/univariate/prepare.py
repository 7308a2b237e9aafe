"""Turn one column of raw data (or of a profile) into a drift method's input, and chart data.

Numeric and datetime columns become sorted float arrays (datetimes as nanoseconds since the
epoch); categorical and boolean columns become counts keyed by ``str(value)``, as profiles
key them. Values that do not fit the reference's kind are reported, never coerced silently.

>>> import pandas as pd
>>> values(pd.Series([2.0, None, 1.0]), "numeric").tolist()
[1.0, 2.0]
>>> values(pd.Series(["a", "b", "a", None]), "categorical")
{'a': 2, 'b': 1}
>>> values(pd.Series(["1", "x"]), "numeric")
Traceback (most recent call last):
...
TypeError: values of type ... that are not numbers
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .samples import CountsPair, NumericPair, sort_finite, sorted_quantile

__all__ = ["TOP_CATEGORIES", "histograms", "profile_histograms", "values"]

#: categories drawn in the charts; the rest are summed into "other"
TOP_CATEGORIES = 10
#: numeric chart: 20 bins between the reference's 1 % and 99 % quantiles plus the two tails
_CHART_Q = np.linspace(0.01, 0.99, 19)


def values(s: pd.Series, kind: str) -> np.ndarray | dict[str, int]:
    """Sorted non-missing numbers (numeric, datetime) or category counts (others)."""
    if kind == "numeric":
        if pd.api.types.is_bool_dtype(s.dtype):
            return sort_finite(s.to_numpy(dtype=np.float64))
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_complex_dtype(s.dtype):
            return sort_finite(s.to_numpy(dtype=np.float64, na_value=np.nan))
        coerced = pd.to_numeric(s, errors="coerce")
        if int(coerced.notna().sum()) != int(s.notna().sum()):
            raise TypeError(f"values of type {s.dtype} that are not numbers")
        return sort_finite(coerced.to_numpy(dtype=np.float64, na_value=np.nan))
    if kind == "datetime":
        try:
            dt = pd.to_datetime(s)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"values of type {s.dtype} that are not dates") from exc
        if getattr(dt.dt, "tz", None) is not None:
            dt = dt.dt.tz_convert("UTC").dt.tz_localize(None)
        arr = dt.to_numpy(dtype="datetime64[ns]")
        out = arr.astype(np.int64).astype(np.float64)
        out[np.isnat(arr)] = np.nan
        return sort_finite(out)
    counts = s.value_counts(dropna=True, sort=True)
    return {str(k): int(v) for k, v in counts.items() if v > 0}


def _numeric_hist(pair: NumericPair) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    lo = min(pair.ref[0], pair.cur[0])
    hi = max(pair.ref[-1], pair.cur[-1])
    inner = sorted_quantile(pair.ref, _CHART_Q)
    edges = np.unique(np.concatenate([[lo], inner, [hi]]))
    return _cut(pair.ref, edges), _cut(pair.cur, edges)


def _cut(sorted_values: np.ndarray, edges: np.ndarray) -> dict[str, list[Any]]:
    # bins (e0, e1] ... with the first bin closed on the left: counts from one searchsorted
    cum = np.searchsorted(sorted_values, edges[1:-1], side="right")
    counts = np.diff(np.concatenate([[0], cum, [sorted_values.size]]))
    return {"edges": edges.tolist(), "counts": counts.tolist()}


def _count_hist(pair: CountsPair) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    order = np.argsort(-(pair.ref + pair.cur), kind="stable")
    top = order[:TOP_CATEGORIES]
    cats = [pair.categories[i] for i in top]
    ref, cur = pair.ref[top].tolist(), pair.cur[top].tolist()
    if len(order) > TOP_CATEGORIES:
        cats.append("other")
        ref.append(int(pair.ref.sum() - sum(ref)))
        cur.append(int(pair.cur.sum() - sum(cur)))
    return {"categories": cats, "counts": ref}, {"categories": list(cats), "counts": cur}


def histograms(pair: NumericPair | CountsPair) -> tuple[dict[str, list[Any]],
                                                         dict[str, list[Any]]]:
    """Reference and current chart data on shared bins (or the same categories)."""
    if isinstance(pair, CountsPair):
        return _count_hist(pair)
    return _numeric_hist(pair)


def profile_histograms(ref: Any, cur: Any) -> tuple[dict[str, list[Any]],
                                                    dict[str, list[Any]]]:
    """The same chart data from two profiles (numeric counts estimated from the KLL CDFs)."""
    if ref.kind in ("numeric", "datetime"):
        lo = float(min(ref.quantiles([0.0])[0], cur.quantiles([0.0])[0]))
        hi = float(max(ref.quantiles([1.0])[0], cur.quantiles([1.0])[0]))
        edges = np.unique(np.concatenate([[lo], ref.quantiles(_CHART_Q), [hi]]))
        out = []
        for prof in (ref, cur):
            cdf = np.maximum.accumulate(np.clip(prof.cdf(edges[1:-1]), 0.0, 1.0))
            shares = np.diff(np.concatenate([[0.0], cdf, [1.0]]))
            out.append({"edges": edges.tolist(),
                        "counts": np.rint(shares * int(prof.count)).astype(int).tolist()})
        return out[0], out[1]
    from .profiles import profile_counts
    pair, _ = profile_counts(ref, cur)
    return _count_hist(pair)
