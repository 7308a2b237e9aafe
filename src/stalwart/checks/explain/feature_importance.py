"""Check: which features the model rests on (permutation importance with intervals)."""

from __future__ import annotations

from collections.abc import Sequence

from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence
from ._common import importance_chart, importance_of, importance_table

__all__ = ["FeatureImportanceCheck"]


@register_check
class FeatureImportanceCheck(Check):
    """Permutation importance of every feature on the labelled data, ranked, with Student t
    intervals over ``n_repeats`` shuffles (:func:`stalwart.explain.permutation_importance`).

    Warns when one feature carries more than ``max_share`` of the total positive
    importance (a leakage or shortcut smell: a model that is one column) and fails when a
    feature listed in ``forbidden`` (an identifier, a proxy of a protected attribute, a
    column not available at prediction time) is among the top ``top_k`` with a positive
    importance (a column the model ignores ranks anywhere among the zeros, and does not
    count). Forbidden names that are not features of the model are listed in the summary.
    """

    name = "feature_importance"
    title = "Feature importance"
    category = "model"
    needs = frozenset({"model", "target"})

    # 0.8: a model whose single feature does four fifths of the work is rarely what the
    # data owner meant; five repeats keep the check affordable in a suite
    def __init__(self, *, scoring: str | None = None, n_repeats: int = 5, top_k: int = 10,
                 max_share: float = 0.8, forbidden: Sequence[str] = (),
                 max_rows: int = 5000, conditions: Sequence[Condition] | None = None) -> None:
        self.scoring = scoring
        self.n_repeats = n_repeats
        self.top_k = top_k
        self.max_share = max_share
        self.forbidden = forbidden
        self.max_rows = max_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        out = [Condition("top_share", "le", self.max_share, severity="warn",
                         name=f"no single feature carries more than {self.max_share:g} of "
                              "the total importance")]
        if self.forbidden:
            out.append(Condition("n_forbidden_in_top_k", "eq", 0,
                                 name=f"no forbidden feature among the top {self.top_k}"))
        return out

    def compute(self, ctx: CheckContext) -> Evidence:
        r = importance_of(ctx, "data", scoring=self.scoring, n_repeats=self.n_repeats,
                          max_rows=self.max_rows)
        banned = [self.forbidden] if isinstance(self.forbidden, str) else list(self.forbidden)
        forbidden = [f.name for f in r.features[:self.top_k]
                     if f.name in set(banned) and f.mean > 0]
        unknown = [b for b in banned if b not in {f.name for f in r.features}]
        share = r.share_of_top()
        lead = r.features[0]
        metrics = {"top_share": share, "n_forbidden_in_top_k": len(forbidden),
                   "n_features": len(r.features),
                   "n_important": sum(1 for f in r.features if f.ci_low > 0),
                   "baseline_score": r.details["baseline_score"],
                   "top_importance": lead.mean}
        part = "no feature has a positive importance" if share != share \
            else f"{share:.0%} of the total"  # NaN: nothing to share
        summary = (f"{lead.name!r} leads ({lead.mean:.4f} drop in {r.options['scoring']}, "
                   f"{part}); {metrics['n_important']} of "
                   f"{len(r.features)} features have an interval above 0")
        if forbidden:
            summary += f"; forbidden features in the top {self.top_k}: {forbidden}"
        if unknown:
            summary += f"; forbidden names that are not features of the model: {unknown}"
        if r.warnings:
            summary += "; " + "; ".join(r.warnings)
        return Evidence(metrics, summary,
                        (importance_table(r, "Permutation importance (ranked)"),),
                        (importance_chart(r, "Permutation importance"),))
