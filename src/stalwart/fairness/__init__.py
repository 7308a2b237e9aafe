"""Fairness: audits of decisions across sensitive groups, and mitigation."""

from .audit import fairness_audit
from .audit_result import ALL_MEASURES, FOUR_FIFTHS, Disparity, FairnessAudit, GroupImpact, GroupStats

__all__ = ["ALL_MEASURES", "FOUR_FIFTHS", "Disparity", "FairnessAudit", "GroupImpact",
           "GroupStats", "fairness_audit"]
