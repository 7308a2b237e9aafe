"""When it fails: escalations with SLAs, root-cause analysis, failure attribution, error
analysis at scale and fault trees."""

from .analysis import RootCauseAnalyser, analyse_prediction
from .attribution import CAUSES, Attribution, Cause, DecisionStep, Thresholds, attribute
from .desk import EscalationDesk, EscalationStore, SLAAlerts
from .error_analysis import ErrorAnalysis, ErrorHeatmap, analyse_errors, analyse_errors_in_store
from .escalation import ALERT_SEVERITY, DEFAULT_SLA_HOURS, Escalation, SLAPolicy, SLAReport
from .escalation import SEVERITIES as ESCALATION_SEVERITIES
from .escalation import STATUSES as ESCALATION_STATUSES
from .escalation import check_slas
from .fault_tree import GATE_TYPES, BasicEvent, ComponentCondition, FaultTree, Gate
from .fault_tree_analysis import CutSet, EventImportance, FaultTreeResult, analyse_fault_tree
from .fault_tree_monitoring import (ComponentEstimate, FailureCounts,
                                    estimate_failure_probabilities, failure_counts_from_store,
                                    failure_counts_from_windows)
from .local_explanation import explain_locally
from .neighbours import NeighbourIndex
from .publicity import PublicityDetector, PublicityScan, PublicityVerdict, raise_publicity
from .report import RCAReport

__all__ = [
    "ALERT_SEVERITY",
    "Attribution",
    "BasicEvent",
    "CAUSES",
    "Cause",
    "ComponentCondition",
    "ComponentEstimate",
    "CutSet",
    "DEFAULT_SLA_HOURS",
    "DecisionStep",
    "ESCALATION_SEVERITIES",
    "ESCALATION_STATUSES",
    "ErrorAnalysis",
    "ErrorHeatmap",
    "Escalation",
    "EscalationDesk",
    "EscalationStore",
    "EventImportance",
    "FailureCounts",
    "FaultTree",
    "FaultTreeResult",
    "GATE_TYPES",
    "Gate",
    "NeighbourIndex",
    "PublicityDetector",
    "PublicityScan",
    "PublicityVerdict",
    "RCAReport",
    "RootCauseAnalyser",
    "SLAAlerts",
    "SLAPolicy",
    "SLAReport",
    "Thresholds",
    "analyse_errors",
    "analyse_errors_in_store",
    "analyse_fault_tree",
    "analyse_prediction",
    "attribute",
    "check_slas",
    "estimate_failure_probabilities",
    "explain_locally",
    "failure_counts_from_store",
    "failure_counts_from_windows",
    "raise_publicity",
]
