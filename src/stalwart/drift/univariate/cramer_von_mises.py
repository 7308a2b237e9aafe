"""Two-sample Cramér-von Mises test: the integrated squared gap between the two CDFs.

More sensitive than KS to changes spread over the whole range. Raw data only (its rank
statistic needs every value); statistic and p-value are :func:`scipy.stats.cramervonmises_2samp`.

>>> import numpy as np
>>> from stalwart.drift.univariate.samples import NumericPair
>>> rng = np.random.default_rng(0)
>>> out = raw(NumericPair.from_values(rng.normal(size=200), rng.normal(0.5, 1, 200)))
>>> out.p_value < 0.01
True
"""

from __future__ import annotations

from scipy import stats

from .samples import NumericPair, Outcome

__all__ = ["raw"]


def raw(pair: NumericPair) -> Outcome:
    res = stats.cramervonmises_2samp(pair.ref, pair.cur)
    return Outcome(float(res.statistic), float(res.pvalue))
