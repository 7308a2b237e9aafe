"""Check: the new version keeps the rows the old one got right (backward trust)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..check import register_check
from ..condition import Condition
from ._common import PromotionCheck

__all__ = ["BackwardTrust"]


@register_check
class BackwardTrust(PromotionCheck):
    """Backward trust compatibility, #(both versions right) / #(old version right), overall
    and for every pinned customer, at least ``min_backward_trust``.

    It equals 1 - NFR / old accuracy: the negative flip rate measured against what the old
    model got right, so it does not reward a customer the old model already served badly.
    """

    name = "backward_trust_compatibility"
    title = "Backward trust compatibility"
    metric = "backward_trust_compatibility"
    op = "ge"
    threshold_option = "min_backward_trust"
    phrase = "backward trust compatibility"

    # 0.95: at most one in twenty answers users had right turns wrong
    def __init__(self, *, min_backward_trust: float = 0.95, pinned: Sequence[Any] = (),
                 conditions: Sequence[Condition] | None = None) -> None:
        self.min_backward_trust = min_backward_trust
        self.pinned = pinned
        self.conditions = conditions
