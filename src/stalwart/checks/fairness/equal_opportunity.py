"""Check: equal opportunity (true positive rates equal across groups)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..check import register_check
from ..condition import Condition
from ._base import FairnessCheck

__all__ = ["EqualOpportunity"]


@register_check
class EqualOpportunity(FairnessCheck):
    """The between-group difference of true positive rates (who deserves the positive
    outcome gets it equally often), with its ratio and bootstrap intervals; fails above
    ``max_difference`` (0.1 by default).
    """

    name = "equal_opportunity"
    title = "Equal opportunity"
    measure = "equal_opportunity"
    rates = ("tpr", "fnr")

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
                          name=f"equal opportunity difference at most {self.max_difference:g}")]
