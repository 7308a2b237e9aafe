"""Check: equalized odds (true and false positive rates equal across groups)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..check import register_check
from ..condition import Condition
from ._base import FairnessCheck

__all__ = ["EqualizedOdds"]


@register_check
class EqualizedOdds(FairnessCheck):
    """The larger of the between-group TPR and FPR differences (fairlearn's
    ``equalized_odds_difference``), with its ratio and bootstrap intervals; fails above
    ``max_difference`` (0.1 by default). Groups without positive or negative labels are
    left out, and the summary says so.
    """

    name = "equalized_odds"
    title = "Equalized odds"
    measure = "equalized_odds"
    rates = ("tpr", "fpr")

    # 0.1: ten points of TPR or FPR between groups is the customary review threshold
    def __init__(self, *, max_difference: float = 0.1, sensitive: Sequence[str] | None = None,
                 pos_label: Any = None, min_group_size: int = 30, n_boot: int = 200,
                 intersections: bool = True,
                 conditions: Sequence[Condition] | None = None) -> None:
        super().__init__(sensitive=sensitive, pos_label=pos_label,
                         min_group_size=min_group_size, n_boot=n_boot,
                         intersections=intersections, conditions=conditions)
        self.max_difference = max_difference

    def default_conditions(self) -> list[Condition]:
        return [Condition("stable_difference", "le", self.max_difference,
                          name=f"equalized odds difference at most {self.max_difference:g}")]
