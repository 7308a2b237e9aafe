"""Check: did the label distribution move (label shift, or prior shift)?"""

from __future__ import annotations

from collections.abc import Sequence

from ...drift.multivariate import label_drift
from ..check import Check, CheckContext, register_check
from ..condition import Condition
from ..result import Evidence
from ._inputs import needs_raw_rows
from .feature_drift import distribution_chart

__all__ = ["LabelDrift"]


@register_check
class LabelDrift(Check):
    """The target's distribution in current data (once labels arrive) against the
    reference, with the drift engine's automatic test and effect size (class shares for a
    classification target, the distribution for a regression target; see
    :func:`stalwart.drift.multivariate.label_drift`). Warns when the labels drifted."""

    name = "label_drift"
    title = "Label drift"
    category = "drift"
    needs = frozenset({"reference", "target"})

    def __init__(self, *, method: str = "auto", alpha: float = 0.05,
                 conditions: Sequence[Condition] | None = None) -> None:
        self.method = method
        self.alpha = alpha
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition("drifted", "eq", 0, severity="warn", name="labels did not drift")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx) or needs_raw_rows(ctx)
        target = ctx.data.target
        if not missing and ctx.reference is not None and target not in ctx.reference.frame:
            missing.append(f"the target {target!r} in the reference data")
        return missing

    def compute(self, ctx: CheckContext) -> Evidence:
        assert ctx.reference is not None and ctx.data.target is not None
        target = ctx.data.target
        kind = ctx.data.schema[target].kind.value
        task = "classification" if kind in ("categorical", "boolean") else "regression"
        result = label_drift(ctx.reference.frame[target].dropna().to_numpy(),
                             ctx.data.frame[target].dropna().to_numpy(), task=task,
                             method=self.method, alpha=self.alpha)
        column = result.details["report"]["columns"][0]
        if not column.get("tested", column.get("statistic") is not None):
            return Evidence({"drifted": None}, f"label drift not tested: {column.get('note')}")
        chart = distribution_chart(target, result.drifted, column.get("reference_hist"),
                                   column.get("current_hist"))
        metrics = {"drifted": int(result.drifted), "statistic": result.statistic,
                   "p_value": result.p_value, "effect_size": column.get("effect_size")}
        summary = (f"labels {'drifted' if result.drifted else 'did not drift'} ({task}): "
                   f"{column['method']} statistic {result.statistic:.4g}"
                   + (f", p = {result.p_value:.3g}" if result.p_value is not None else "")
                   + f", {column['effect_name']} {column['effect_size']:.3f} (threshold "
                   f"{column['effect_threshold']:g})")
        return Evidence(metrics, summary, (), (chart,) if chart else ())
