"""Check: does the model rest on the same features in the reference and in the data?"""

from __future__ import annotations

from collections.abc import Sequence

from ...explain import importance_drift
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence, Table
from ._common import importance_chart, importance_of

__all__ = ["ImportanceStability"]


@register_check
class ImportanceStability(Check):
    """Permutation importance of the model on the reference (training or an earlier window)
    and on the data, compared by :func:`stalwart.explain.importance_drift`: Spearman and
    Kendall rank correlation, top-``top_k`` Jaccard overlap, the features that entered or
    left the top, and per feature whether the two intervals overlap. Fails when Spearman
    is below ``min_spearman``.
    """

    name = "importance_stability"
    title = "Importance stability"
    category = "model"
    needs = frozenset({"model", "target", "reference"})

    # 0.6: a moderate-to-strong rank agreement; below it the model leans on other features
    def __init__(self, *, scoring: str | None = None, n_repeats: int = 5, top_k: int = 10,
                 min_spearman: float = 0.6, max_rows: int = 5000,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.scoring = scoring
        self.n_repeats = n_repeats
        self.top_k = top_k
        self.min_spearman = min_spearman
        self.max_rows = max_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("spearman", "ge", self.min_spearman,
                          name=f"Spearman rank correlation at least {self.min_spearman:g}")]

    def compute(self, ctx: CheckContext) -> Evidence:
        opts = {"scoring": self.scoring, "n_repeats": self.n_repeats, "max_rows": self.max_rows}
        ref = importance_of(ctx, "reference", **opts)
        cur = importance_of(ctx, "data", **opts)
        d = importance_drift(ref, cur, top_k=self.top_k, labels=("reference", "data"))
        metrics = {"spearman": d.spearman, "kendall": d.kendall, "jaccard": d.jaccard,
                   "n_entered": len(d.entered), "n_left": len(d.left),
                   "n_disjoint_intervals": d.n_disjoint_intervals}
        rho = "undefined" if d.spearman is None else f"{d.spearman:.3f}"
        summary = (f"Spearman {rho}, top-{d.top_k} overlap {d.jaccard:.2f}; "
                   f"entered {d.entered or 'none'}, left {d.left or 'none'}")
        notes = list(d.warnings) + [f"{side}: {w}" for side, res in (("reference", ref),
                                                                         ("data", cur))
                                    for w in res.warnings]
        if notes:
            summary += "; " + "; ".join(notes)
        rows = tuple((c["feature"], round(c["a"], 6), round(c["b"], 6), round(c["change"], 6),
                      c["rank_a"], c["rank_b"], c["intervals_overlap"]) for c in d.changes[:20])
        table = Table("Importance change (largest first)",
                      ("feature", "reference", "data", "change", "rank ref", "rank data",
                       "intervals overlap"), rows, total_rows=len(d.changes))
        return Evidence(metrics, summary, (table,),
                        (importance_chart(ref, "Importance on the reference"),
                         importance_chart(cur, "Importance on the data")))
