"""Check: the new version breaks few rows the old one got right (negative flip rate)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..check import register_check
from ..condition import Condition
from ._common import PromotionCheck

__all__ = ["NegativeFlipRate"]


@register_check
class NegativeFlipRate(PromotionCheck):
    """Share of rows the old version had right and the new one gets wrong, overall and for
    every pinned customer, at most ``max_negative_flip_rate``.

    Negative flips are what users notice after an update: an answer they had learned to
    trust turns wrong, even when the overall accuracy goes up.
    """

    name = "negative_flip_rate"
    title = "Negative flip rate"
    metric = "negative_flip_rate"
    op = "le"
    threshold_option = "max_negative_flip_rate"
    phrase = "negative flip rate"

    # 5% of rows turning wrong is already a visible regression for a customer used to the
    # old answers; tighten it for models whose users act on single predictions
    def __init__(self, *, max_negative_flip_rate: float = 0.05, pinned: Sequence[Any] = (),
                 conditions: Sequence[Condition] | None = None) -> None:
        self.max_negative_flip_rate = max_negative_flip_rate
        self.pinned = pinned
        self.conditions = conditions
