"""When it fails: escalations with SLAs, root-cause analysis, failure attribution, error
analysis at scale and fault trees."""

from .desk import EscalationDesk, EscalationStore
from .error_analysis import ErrorAnalysis, ErrorHeatmap, analyse_errors, analyse_errors_in_store
from .escalation import ALERT_SEVERITY, DEFAULT_SLA_HOURS, Escalation, SLAPolicy, SLAReport
from .escalation import SEVERITIES as ESCALATION_SEVERITIES
from .escalation import STATUSES as ESCALATION_STATUSES
from .escalation import check_slas
from .publicity import PublicityDetector, PublicityScan, PublicityVerdict, raise_publicity

__all__ = [
    "ALERT_SEVERITY",
    "DEFAULT_SLA_HOURS",
    "ESCALATION_SEVERITIES",
    "ESCALATION_STATUSES",
    "ErrorAnalysis",
    "ErrorHeatmap",
    "Escalation",
    "EscalationDesk",
    "EscalationStore",
    "PublicityDetector",
    "PublicityScan",
    "PublicityVerdict",
    "SLAPolicy",
    "SLAReport",
    "analyse_errors",
    "analyse_errors_in_store",
    "check_slas",
    "raise_publicity",
]
