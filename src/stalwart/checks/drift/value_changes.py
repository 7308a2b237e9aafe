"""Check: new and vanished categories, sentinel values, range breaches, missing-share changes."""

from __future__ import annotations

from ..check import register_check
from ._diagnosis import DiagnosisCheck

__all__ = ["ValueChanges"]


@register_check
class ValueChanges(DiagnosisCheck):
    """Values the reference never showed: categories (and the ones that vanished), point
    masses such as -1 or 999 standing in for "unknown", values outside the reference range,
    and columns whose share of missing values moved."""

    name = "value_changes"
    title = "Value changes"
    kinds = ("new_categories", "vanished_categories", "sentinel_value", "range_violation",
             "missing_share_change", "not_examined")
