"""Fairness: audits of decisions across sensitive groups, and mitigation with its cost.

- :func:`fairness_audit`: rates by group and intersection, disparities (fairlearn's
  definitions) with bootstrap intervals, the four-fifths rule, calibration by group
- :class:`GroupThresholdOptimizer`: per-group thresholds for demographic parity, equal
  opportunity or equalized odds (Hardt et al. 2016)
- :func:`reweighing`: training weights (Kamiran & Calders 2012)
- :func:`mitigation_report`: disparities and accuracy before and after
"""

from .audit import fairness_audit
from .audit_result import (ALL_MEASURES, FOUR_FIFTHS, Disparity, FairnessAudit, GroupImpact,
                           GroupStats)
from .measures import MEASURES, RATES
from .mitigation import MitigationReport, mitigation_report
from .per_class import fairness_audit_per_class
from .reweighing import reweighing
from .thresholds import CONSTRAINTS, OBJECTIVES, GroupThresholdOptimizer

__all__ = [
    "ALL_MEASURES",
    "CONSTRAINTS",
    "FOUR_FIFTHS",
    "MEASURES",
    "OBJECTIVES",
    "RATES",
    "Disparity",
    "FairnessAudit",
    "GroupImpact",
    "GroupStats",
    "GroupThresholdOptimizer",
    "MitigationReport",
    "fairness_audit",
    "fairness_audit_per_class",
    "mitigation_report",
    "reweighing",
]
