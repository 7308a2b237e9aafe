"""G-test (log-likelihood ratio) of homogeneity on the 2 x k table of category counts.

:func:`scipy.stats.chi2_contingency` with ``lambda_="log-likelihood"``; from profiles as for
the chi-square test (exact while both profiles keep exact counts).

>>> from stalwart.drift.univariate.samples import CountsPair
>>> out = raw(CountsPair.from_mappings({"a": 50, "b": 50}, {"a": 70, "b": 30}))
>>> round(out.statistic, 3), round(out.p_value, 4)
(7.577, 0.0059)
"""

from __future__ import annotations

from typing import Any

from .chi_square import contingency
from .profiles import profile_counts
from .samples import CountsPair, Outcome

__all__ = ["from_profile", "raw"]


def raw(pair: CountsPair) -> Outcome:
    return contingency(pair, "log-likelihood")


def from_profile(ref: Any, cur: Any) -> Outcome:
    pair, exact = profile_counts(ref, cur)
    out = contingency(pair, "log-likelihood")
    if exact:
        return Outcome(out.statistic, out.p_value, error_bound=0.0, note=out.note)
    return Outcome(out.statistic, out.p_value, note="counts from frequent-item estimates")
