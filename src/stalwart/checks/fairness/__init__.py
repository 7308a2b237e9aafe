"""The fairness suite: group fairness checks of a classifier before it ships.

Each check lives in its own module and registers itself; :data:`FAIRNESS_CHECKS` is the
order the suite runs them in. Every check needs a model, a target column and sensitive
columns (the schema's sensitive role, or ``sensitive=``); they share one cached audit
(:func:`stalwart.fairness.fairness_audit`). :func:`audit_model` audits a model on a table,
optionally with mitigation, and returns a :class:`FairnessReport` (JSON and HTML).
"""

from .model_audit import audit_model
from .report import FairnessReport
from .suite import FAIRNESS_CHECKS, fairness_suite, fairness_suite_run

__all__ = ["FAIRNESS_CHECKS", "FairnessReport", "audit_model", "fairness_suite",
           "fairness_suite_run"]
