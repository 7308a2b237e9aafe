"""When it fails: escalations with SLAs, root-cause analysis, failure attribution, error
analysis at scale and fault trees."""

from .escalation import (ALERT_SEVERITY, DEFAULT_SLA_HOURS, SEVERITIES, STATUSES, Escalation,
                         SLAPolicy, SLAReport, check_slas)

__all__ = [
    "ALERT_SEVERITY",
    "DEFAULT_SLA_HOURS",
    "SEVERITIES",
    "STATUSES",
    "Escalation",
    "SLAPolicy",
    "SLAReport",
    "check_slas",
]
