"""Check: numeric columns whose current values are an affine map of the reference values."""

from __future__ import annotations

from ..check import register_check
from ._diagnosis import DiagnosisCheck

__all__ = ["UnitChanges"]


@register_check
class UnitChanges(DiagnosisCheck):
    """Unit changes (current = reference x scale + offset, with the fitted map and the
    known conversion it matches, such as Celsius to Fahrenheit), and plain location or
    scale shifts of whole columns."""

    name = "unit_changes"
    title = "Unit changes"
    kinds = ("unit_change", "location_shift", "scale_change")
