"""New and vanished categories of the categorical and boolean columns both sides hold.

Categories are compared as strings (the profile's keys). As in
:func:`stalwart.quality.invalid_values`, new categories are looked for only where the
reference defines a domain: at most ``max_categories`` distinct values, each seen twice on
average (in a free-text or e-mail column every fresh value would be "new"). A category is
*vanished* when the reference held it at a share ``p`` that makes its absence from ``n``
current rows unlikely: ``(1 - p) ** n < alpha``.

>>> import pandas as pd
>>> from stalwart.drift.diagnosis.summary import ColumnView
>>> ref = {"c": ColumnView.from_series(pd.Series(list("aabb" * 50), name="c"), "categorical")}
>>> cur = {"c": ColumnView.from_series(pd.Series(list("aaz" * 60), name="c"), "categorical")}
>>> [(f.kind, f.evidence["categories"]) for f in category_changes(ref, cur, ["c"])]
[('new_categories', {'z': 60}), ('vanished_categories', {'b': 100})]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .result import Finding
from .summary import ColumnView

__all__ = ["category_changes"]

_KINDS = ("categorical", "boolean")
_SHOWN = 20


def category_changes(ref: Mapping[str, ColumnView], cur: Mapping[str, ColumnView],
                     shared: Sequence[str], *, max_categories: int = 1000,
                     alpha: float = 0.001, warn_share: float = 0.01) -> list[Finding]:
    out: list[Finding] = []
    for name in shared:
        r, c = ref[name], cur[name]
        if r.kind not in _KINDS or c.kind not in _KINDS:
            continue
        if not r.counts or c.counts is None:
            continue
        n_ref, n_cur = sum(r.counts.values()), sum(c.counts.values())
        if not (r.counts_exact and c.counts_exact):
            out.append(Finding("not_examined", (name,), "info",
                               f"column {name!r}: categories not compared (too many to count "
                               "exactly; the profiles keep only the most frequent)",
                               {"check": "categories", "reference_exact": r.counts_exact,
                                "current_exact": c.counts_exact}))
            continue
        if len(r.counts) > max_categories or 2 * len(r.counts) > n_ref:
            out.append(Finding("not_examined", (name,), "info",
                               f"column {name!r}: new categories not checked: the reference's "
                               f"{len(r.counts):,} distinct values in {n_ref:,} rows do not "
                               "define a domain", {"check": "categories"}))
            continue
        new = {k: v for k, v in sorted(c.counts.items(), key=lambda kv: -kv[1])
               if k not in r.counts}
        if new and n_cur:
            share = sum(new.values()) / c.n_rows
            shown = dict(list(new.items())[:_SHOWN])
            out.append(Finding(
                "new_categories", (name,), "warn" if share >= warn_share else "info",
                f"column {name!r}: {len(new)} categories never seen in the reference "
                f"({share:.1%} of rows), e.g. {', '.join(map(repr, list(shown)[:3]))}",
                {"categories": shown, "shares": {k: v / c.n_rows for k, v in shown.items()},
                 "n_new": len(new), "share": share, "count": sum(new.values())}))
        vanished = {k: v for k, v in sorted(r.counts.items(), key=lambda kv: -kv[1])
                    if k not in c.counts and (1 - v / n_ref) ** n_cur < alpha}
        if vanished:
            share = sum(vanished.values()) / n_ref
            shown = dict(list(vanished.items())[:_SHOWN])
            out.append(Finding(
                "vanished_categories", (name,), "warn" if share >= warn_share else "info",
                f"column {name!r}: {len(vanished)} reference categories absent from current "
                f"data (they held {share:.1%} of reference values), e.g. "
                f"{', '.join(map(repr, list(shown)[:3]))}",
                {"categories": shown, "reference_shares": {k: v / n_ref for k, v in shown.items()},
                 "n_vanished": len(vanished), "reference_share": share,
                 "chance_of_absence": float(np.max([(1 - v / n_ref) ** n_cur
                                                    for v in vanished.values()]))}))
    return out
