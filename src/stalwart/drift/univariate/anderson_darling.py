"""k-sample Anderson-Darling test (here k = 2): a CDF-gap statistic that weights the tails.

Raw data only; statistic and p-value are :func:`scipy.stats.anderson_ksamp` with
``variant="midrank"``. scipy interpolates the p-value from a table and clips it to
[0.001, 0.25]; when that happens the result says so in its note.

>>> import numpy as np
>>> from stalwart.drift.univariate.samples import NumericPair
>>> rng = np.random.default_rng(0)
>>> out = raw(NumericPair.from_values(rng.normal(size=200), rng.normal(0.5, 1, 200)))
>>> out.p_value, out.note
(0.001, 'p-value clipped to [0.001, 0.25] by scipy (table interpolation)')
"""

from __future__ import annotations

import warnings

from scipy import stats

from .samples import NumericPair, Outcome

__all__ = ["raw"]


def raw(pair: NumericPair) -> Outcome:
    with warnings.catch_warnings(record=True) as caught:
        # scipy warns when it clips the p-value: stated in the result's note instead
        warnings.simplefilter("always")
        res = stats.anderson_ksamp([pair.ref, pair.cur], variant="midrank")
    clipped = any("capped" in str(w.message) or "floored" in str(w.message) for w in caught)
    note = "p-value clipped to [0.001, 0.25] by scipy (table interpolation)" if clipped else ""
    return Outcome(float(res.statistic), float(res.pvalue), note=note)
