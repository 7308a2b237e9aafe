"""Sentinel values: a point mass in the current data that the reference lacks.

Systems write ``-1``, ``0``, ``999``, ``9999`` or ``1970-01-01`` (0 in epoch time) where a
value is unknown; a model then reads them as real measurements. Candidates are the
:data:`KNOWN_SENTINELS` plus the current column's most frequent values. A candidate ``v`` is
reported when it holds at least ``min_share`` of the current values (and at least
``min_count`` of them) while the reference's count at ``v`` is implausibly low for that rate:
a one-sided test that the current share exceeds the reference's is significant at ``alpha``
divided by the number of candidates examined in the call (Bonferroni: a table has many
columns and each column many candidates): Fisher's exact test on raw counts, and
``P(Binomial(n_ref, current share - error) <= reference count)`` on profiles. A value that is not a
known sentinel must also hold ``min_share_other`` of the current values: repeated rows (a
retried upload) and rounding leave small point masses at ordinary values, which are not
placeholders. On raw data the masses are
exact counts; on profiles they are read from the KLL CDF (``cdf(v) - cdf(v-)``), off by at
most twice the rank error, which is added to the evidence.

>>> import numpy as np, pandas as pd
>>> from stalwart.drift.diagnosis.summary import ColumnView
>>> rng = np.random.default_rng(0)
>>> ref = {"x": ColumnView.from_series(pd.Series(rng.normal(50, 5, 500), name="x"), "numeric")}
>>> cur_x = np.where(rng.random(500) < 0.1, 999.0, rng.normal(50, 5, 500))
>>> cur = {"x": ColumnView.from_series(pd.Series(cur_x, name="x"), "numeric")}
>>> [(f.evidence["value"], f.evidence["known_sentinel"]) for f in sentinel_values(ref, cur, ["x"])]
[(999.0, True)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from scipy import stats

from .result import Finding
from .summary import ColumnView

__all__ = ["KNOWN_SENTINELS", "sentinel_values"]

#: values commonly written for "unknown" (0 is also 1970-01-01 in epoch time)
KNOWN_SENTINELS: tuple[float, ...] = (-1.0, 0.0, -9.0, 9.0, -99.0, 99.0, -999.0, 999.0,
                                      -9999.0, 9999.0, -99999.0, 99999.0, 999999.0, -999999.0)


def _shown(v: float, kind: str) -> str:
    if kind == "datetime":
        # raw views hold nanoseconds; a profile's unit is its own, but 0 is the epoch in any
        return str(pd.Timestamp(int(v))) if v == 0 or abs(v) > 1e15 else repr(v)
    return f"{v:g}"


def sentinel_values(ref: Mapping[str, ColumnView], cur: Mapping[str, ColumnView],
                    shared: Sequence[str], *, min_share: float = 0.005, min_count: int = 5,
                    min_share_other: float = 0.05, alpha: float = 0.001) -> list[Finding]:
    out: list[Finding] = []
    plans = []
    for name in shared:
        r, c = ref[name], cur[name]
        if not (r.numeric and c.numeric) or r.kind != c.kind:
            continue
        plans.append((name, r, c, list(dict.fromkeys([*c.top_values(), *KNOWN_SENTINELS]))))
    level = alpha / max(1, sum(len(p[3]) for p in plans))
    for name, r, c, candidates in plans:
        slack = 2 * (r.rank_error + c.rank_error)
        for v in candidates:
            cur_mass = c.mass(v)
            cur_count = int(round(cur_mass * c.count))
            known = v in KNOWN_SENTINELS or (c.kind == "datetime" and v == 0)
            floor = min_share if known else min_share_other
            if cur_mass < max(floor, slack) or cur_count < min_count:
                continue
            ref_mass = r.mass(v)
            ref_count = int(round(ref_mass * r.count))
            if r.exact and c.exact:
                p = float(stats.fisher_exact([[cur_count, c.count - cur_count],
                                              [ref_count, r.count - ref_count]],
                                             alternative="greater").pvalue)
            else:
                p = float(stats.binom.cdf(ref_count, r.count, max(cur_mass - slack, 0.0)))
            if p >= level or ref_mass > cur_mass / 5:
                continue
            share = cur_count / c.n_rows
            out.append(Finding(
                "sentinel_value", (name,), "warn" if share >= 0.01 else "info",
                f"column {name!r}: {share:.1%} of current rows hold {_shown(v, c.kind)}"
                + (" (a common placeholder)" if known else "")
                + f", against {ref_mass:.2%} of reference values",
                {"value": v, "shown": _shown(v, c.kind), "known_sentinel": bool(known),
                 "current_share": share, "current_count": cur_count,
                 "current_share_of_values": cur_mass, "reference_share_of_values": ref_mass,
                 "reference_count": ref_count, "p_value": p,
                 "approximate": not (r.exact and c.exact), "mass_error_bound": slack}))
    return out
