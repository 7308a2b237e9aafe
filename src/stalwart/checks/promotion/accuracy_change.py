"""Check: the new version is not less accurate than the old one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..check import register_check
from ..condition import Condition
from ._common import PromotionCheck

__all__ = ["AccuracyChange"]


@register_check
class AccuracyChange(PromotionCheck):
    """New minus old accuracy (= positive minus negative flip rate), overall and for every
    pinned customer, at least ``min_accuracy_change``.

    For regression compared with a tolerance, accuracy is the share of rows whose absolute
    error is within the tolerance.
    """

    name = "accuracy_change"
    title = "Accuracy change"
    metric = "accuracy_change"
    op = "ge"
    threshold_option = "min_accuracy_change"
    phrase = "accuracy change"

    # 0: an update may not make any gated scope less accurate; pass a small negative value
    # to accept noise-level losses on small customers
    def __init__(self, *, min_accuracy_change: float = 0.0, pinned: Sequence[Any] = (),
                 conditions: Sequence[Condition] | None = None) -> None:
        self.min_accuracy_change = min_accuracy_change
        self.pinned = pinned
        self.conditions = conditions
