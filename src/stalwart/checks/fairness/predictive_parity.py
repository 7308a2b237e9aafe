"""Check: predictive parity (precision equal across groups)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..check import register_check
from ..condition import Condition
from ._base import FairnessCheck

__all__ = ["PredictiveParity"]


@register_check
class PredictiveParity(FairnessCheck):
    """The between-group difference of precision (a positive decision is right equally
    often in every group); warns above ``max_difference`` (0.1 by default). With different
    base rates it cannot hold together with equalized odds (Chouldechova 2017), hence a
    warning, not a failure.
    """

    name = "predictive_parity"
    title = "Predictive parity"
    measure = "predictive_parity"
    rates = ("ppv", "selection_rate")

    def __init__(self, *, max_difference: float = 0.1, sensitive: Sequence[str] | None = None,
                 pos_label: Any = None, min_group_size: int = 30, n_boot: int = 200,
                 intersections: bool = True,
                 conditions: Sequence[Condition] | None = None) -> None:
        super().__init__(sensitive=sensitive, pos_label=pos_label,
                         min_group_size=min_group_size, n_boot=n_boot,
                         intersections=intersections, conditions=conditions)
        self.max_difference = max_difference

    def default_conditions(self) -> list[Condition]:
        return [Condition("stable_difference", "le", self.max_difference, severity="warn",
                          name=f"predictive parity difference at most {self.max_difference:g}")]
