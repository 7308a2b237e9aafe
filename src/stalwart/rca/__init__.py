"""When it fails: escalations with SLAs, root-cause analysis, failure attribution, error
analysis at scale and fault trees."""

from .desk import EscalationDesk, EscalationStore
from .error_analysis import ErrorAnalysis, ErrorHeatmap, analyse_errors, analyse_errors_in_store
from .escalation import ALERT_SEVERITY, DEFAULT_SLA_HOURS, Escalation, SLAPolicy, SLAReport
from .escalation import SEVERITIES as ESCALATION_SEVERITIES
from .escalation import STATUSES as ESCALATION_STATUSES
from .escalation import check_slas
from .publicity import PublicityDetector, PublicityScan, PublicityVerdict, raise_publicity
from .fault_tree import GATE_TYPES, BasicEvent, ComponentCondition, FaultTree, Gate
from .fault_tree_analysis import CutSet, EventImportance, FaultTreeResult, analyse_fault_tree
from .fault_tree_monitoring import (ComponentEstimate, FailureCounts,
                                    estimate_failure_probabilities, failure_counts_from_store,
                                    failure_counts_from_windows)

__all__ = [
    "ALERT_SEVERITY",
    "DEFAULT_SLA_HOURS",
    "GATE_TYPES",
    "SEVERITIES",
    "STATUSES",
    "BasicEvent",
    "ComponentCondition",
    "ComponentEstimate",
    "CutSet",
    "Escalation",
    "EventImportance",
    "FailureCounts",
    "FaultTree",
    "FaultTreeResult",
    "Gate",
    "SLAPolicy",
    "SLAReport",
    "analyse_fault_tree",
    "check_slas",
    "estimate_failure_probabilities",
    "failure_counts_from_store",
    "failure_counts_from_windows",
]
