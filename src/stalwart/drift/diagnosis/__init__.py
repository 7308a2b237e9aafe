"""Drift diagnosis: schema, type, category, sentinel, range, missing-share and unit changes."""

from .diagnose import DIAGNOSIS_CHECKS, CheckInput, diagnose, shape_changes
from .result import FINDING_KINDS, SEVERITIES, Diagnosis, Finding
from .sentinels import KNOWN_SENTINELS
from .unit_change import KNOWN_CONVERSIONS, UnitChange, fit_unit_change

__all__ = [
    "CheckInput",
    "DIAGNOSIS_CHECKS",
    "Diagnosis",
    "FINDING_KINDS",
    "Finding",
    "KNOWN_CONVERSIONS",
    "KNOWN_SENTINELS",
    "SEVERITIES",
    "UnitChange",
    "diagnose",
    "fit_unit_change",
    "shape_changes",
]
