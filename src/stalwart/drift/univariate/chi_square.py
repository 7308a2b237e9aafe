"""Pearson's chi-square test of homogeneity on the 2 x k table of category counts.

Statistic and p-value are :func:`scipy.stats.chi2_contingency` with its defaults (Yates'
continuity correction when there is one degree of freedom, as for a boolean column).
From profiles the counts are exact while both profiles keep exact counts (``counts_exact``);
otherwise they are frequent-item estimates plus an ``"(other)"`` cell, and approximate.

>>> from stalwart.drift.univariate.samples import CountsPair
>>> out = raw(CountsPair.from_mappings({"a": 50, "b": 50}, {"a": 70, "b": 30}))
>>> round(out.statistic, 3), round(out.p_value, 4)
(7.521, 0.0061)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from .profiles import profile_counts
from .samples import CountsPair, Outcome

__all__ = ["contingency", "from_profile", "raw"]


def contingency(pair: CountsPair, lambda_: str | None = None) -> Outcome:
    table = np.vstack([pair.ref, pair.cur])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return Outcome(0.0, 1.0, note="a single category on both sides: nothing to compare")
    res = stats.chi2_contingency(table, lambda_=lambda_)
    return Outcome(float(res.statistic), float(res.pvalue))


def raw(pair: CountsPair) -> Outcome:
    return contingency(pair)


def from_profile(ref: Any, cur: Any) -> Outcome:
    pair, exact = profile_counts(ref, cur)
    out = contingency(pair)
    if exact:
        return Outcome(out.statistic, out.p_value, error_bound=0.0, note=out.note)
    return Outcome(out.statistic, out.p_value, note="counts from frequent-item estimates")
