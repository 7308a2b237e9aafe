"""Check: can a classifier tell current rows from reference rows, and thanks to what?

Univariate tests miss changes in how features move together; a domain classifier (see
:class:`stalwart.drift.multivariate.DomainClassifierDrift`) sees them, and its shuffled-feature
AUC drops say which features drive the difference.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...drift.multivariate import DomainClassifierDrift
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Chart, Evidence, Table
from ._inputs import needs_raw_rows, numeric_as_in_reference
from ._sample import sample_rows
from .feature_drift import MODEL_INPUTS

__all__ = ["MultivariateDrift"]


@register_check
class MultivariateDrift(Check):
    """Domain-classifier two-sample test on the features both sides share.

    Warns when the classifier separates the sides better than chance (p-value below
    ``alpha``); fails when its out-of-fold AUC reaches ``max_auc`` (the sides are easy to
    tell apart: the model now works on data it was not trained for).
    """

    name = "multivariate_drift"
    title = "Multivariate drift"
    category = "drift"
    needs = frozenset({"reference"})

    # AUC 0.7: a classifier that ranks a current row above a reference row 70% of the time
    # is the usual line for "clearly separable" in adversarial validation; 5,000 rows a
    # side and 3 folds keep the forest (and its per-feature shuffles) to a few seconds on
    # two cores, and already detect an AUC of 0.55 (its standard error there is ~0.006)
    def __init__(self, *, columns: Sequence[str] | None = None, alpha: float = 0.05,
                 max_auc: float = 0.7, cv: int = 3, max_rows: int = 5_000,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.columns = columns
        self.alpha = alpha
        self.max_auc = max_auc
        self.cv = cv
        self.max_rows = max_rows
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("auc", "lt", self.max_auc,
                          name=f"domain classifier AUC below {self.max_auc:g}"),
                Condition("p_value", "ge", self.alpha, severity="warn",
                          name="current rows not separable from reference rows")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        return super().missing_needs(ctx) or needs_raw_rows(ctx)

    def compute(self, ctx: CheckContext) -> Evidence:
        assert ctx.reference is not None
        columns = (ctx.columns(self.columns, default=())
                   if self.columns is not None else
                   [c for c in ctx.reference.schema.with_role(*MODEL_INPUTS)
                    if c in ctx.data.schema])
        if not columns:
            return Evidence({"auc": None, "p_value": None},
                            "no feature shared by reference and current data to compare")
        ref, ref_note = sample_rows(ctx.reference.frame[columns], self.max_rows,
                                    ctx.random_state)
        cur, cur_note = sample_rows(ctx.data.frame[columns], self.max_rows, ctx.random_state)
        cur, coerced = numeric_as_in_reference(ctx, cur, drop_rows=False)
        result = DomainClassifierDrift(cv=self.cv, alpha=self.alpha,
                                       random_state=ctx.random_state).fit(ref).detect(cur)
        top = result.feature_contributions
        table = Table("What lets the classifier tell the sides apart",
                      ("feature", "AUC drop when shuffled"),
                      tuple((name, round(drop, 6)) for name, drop in top))
        chart = Chart("bar", "Drift drivers (AUC drop when the feature is shuffled)",
                      {"labels": [n for n, _ in top[:15]],
                       "values": [round(d, 6) for _, d in top[:15]]},
                      x_label="feature", y_label="AUC drop")
        drivers = ", ".join(n for n, d in top[:3] if d > 0.005)
        notes = "; ".join(n for n in (ref_note and f"reference: {ref_note}",
                                      cur_note and f"current: {cur_note}", *coerced,
                                      *result.notes) if n)
        summary = (f"domain classifier AUC {result.statistic:.3f} (p = {result.p_value:.3g}) "
                   f"over {len(columns)} features"
                   + (f"; driven by {drivers}" if result.drifted and drivers else "")
                   + (f" ({notes})" if notes else ""))
        return Evidence({"auc": result.statistic, "p_value": result.p_value,
                         "n_features": len(columns)}, summary, (table,), (chart,))
