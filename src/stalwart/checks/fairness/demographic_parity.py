"""Check: demographic parity, disparate impact and the four-fifths rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...fairness import FOUR_FIFTHS, FairnessAudit
from ..check import register_check
from ..condition import Condition
from ._base import FairnessCheck

__all__ = ["DemographicParity"]


@register_check
class DemographicParity(FairnessCheck):
    """Selection rate by sensitive group (each column and their intersection): the ratio of
    the lowest to the highest group (fails under ``min_ratio``, 0.8 by default: the
    four-fifths rule) and the difference, with bootstrap intervals; each group's disparate
    impact (its rate over the most-favoured group's) in the table.
    """

    name = "demographic_parity"
    title = "Demographic parity"
    measure = "demographic_parity"
    rates = ("selection_rate",)
    worst = "ratio"

    def __init__(self, *, min_ratio: float = FOUR_FIFTHS, sensitive: Sequence[str] | None = None,
                 pos_label: Any = None, min_group_size: int = 30, n_boot: int = 200,
                 intersections: bool = True,
                 conditions: Sequence[Condition] | None = None) -> None:
        super().__init__(sensitive=sensitive, pos_label=pos_label,
                         min_group_size=min_group_size, n_boot=n_boot,
                         intersections=intersections, conditions=conditions)
        self.min_ratio = min_ratio

    def default_conditions(self) -> list[Condition]:
        rule = " (the four-fifths rule)" if self.min_ratio == FOUR_FIFTHS else ""
        return [Condition("stable_ratio", "ge", self.min_ratio,
                          name=f"demographic parity ratio at least {self.min_ratio:g}{rule}")]

    def extra_metrics(self, audit: FairnessAudit) -> dict[str, Any]:
        failing = [" & ".join(i.key) for i in audit.disparate_impact if i.passes is False]
        return {"four_fifths_passed": audit.four_fifths_passed,
                "n_groups_below_four_fifths": len(failing),
                "groups_below_four_fifths": failing[:20]}

    def extra_columns(self) -> tuple[str, ...]:
        return ("impact_ratio",)
