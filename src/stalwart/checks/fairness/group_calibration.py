"""Check: calibration by sensitive group (the gap between groups' calibration errors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...fairness import FairnessAudit
from ..check import CheckContext, register_check
from ..condition import Condition
from ._base import FairnessCheck

__all__ = ["GroupCalibration"]


@register_check
class GroupCalibration(FairnessCheck):
    """Expected calibration error of the positive class's probability in every group (10
    equal-width bins), its mean probability and observed rate; warns when the largest
    minus the smallest group ECE exceeds ``max_gap`` (0.05 by default). Small groups have
    an upward-biased ECE (few rows per bin): they are flagged unstable.
    """

    name = "group_calibration"
    title = "Calibration by group"
    measure = "calibration"
    rates = ("ece", "mean_proba", "observed_rate")

    def __init__(self, *, max_gap: float = 0.05, sensitive: Sequence[str] | None = None,
                 pos_label: Any = None, min_group_size: int = 30, n_boot: int = 200,
                 intersections: bool = True,
                 conditions: Sequence[Condition] | None = None) -> None:
        super().__init__(sensitive=sensitive, pos_label=pos_label,
                         min_group_size=min_group_size, n_boot=n_boot,
                         intersections=intersections, conditions=conditions)
        self.max_gap = max_gap

    def default_conditions(self) -> list[Condition]:
        return [Condition("stable_difference", "le", self.max_gap, severity="warn",
                          name=f"calibration gap between groups at most {self.max_gap:g}")]

    def missing_needs(self, ctx: CheckContext) -> list[str]:
        missing = super().missing_needs(ctx)
        if not missing and not ctx.model.can("predict_proba"):
            missing.append("a classifier with predict_proba (calibration is about "
                           "probabilities)")
        return missing

    def extra_metrics(self, audit: FairnessAudit) -> dict[str, Any]:
        return {"overall_ece": audit.overall.get("ece")}
