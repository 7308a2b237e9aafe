"""stalwart: keep machine-learning models reliable and robust, from training to production.

The user vocabulary lives here; everything else is reachable from its subpackage.
"""

from ._config import Settings
from ._version import __version__
from .checks import (CHECKS, Chart, Check, CheckContext, CheckResult, Condition, Evidence,
                     Status, Suite, SuiteResult, Table, register_check)
from .card import CardFields, ModelCard, build_model_card, write_card
from .checks.audit import audit, audit_suite
from .checks.drift import DRIFT_CHECKS, check_drift, drift_suite
from .checks.evaluation import EVALUATION_CHECKS, evaluate_suite_run, evaluation_suite
from .data import ColumnSpec, Dataset, Kind, Role, Schema, fingerprint, read_table
from .drift import (ADWIN, CUSUM, DDM, EDDM, KSWIN, AlarmBudget, BBSDDrift, Diagnosis,
                    DomainClassifierDrift, DriftReport, MMDDrift, PageHinkley,
                    PCAReconstructionDrift, UnivariateDrift, detect_drift, diagnose,
                    fit_unit_change, label_drift, prediction_drift)
from .estimation import CBPE, DLE, PerformanceEstimate
from .models import ModelAdapter, load_model, save_model, wrap
from .monitoring import (AlertEngine, Monitor, MonitorSpec, ReviewPolicy, Rule, Scheduler,
                         evaluate_windows, run_monitor)
from .novelty import (GMMNovelty, IsolationForestNovelty, KNNNovelty, MahalanobisNovelty,
                      NoveltyResult, OOVNovelty, PipelinePathNovelty, TextEmbeddingNovelty,
                      TextLengthNovelty)
from .reports import write_report
from .stats.profile import ColumnProfile, DatasetProfile, profile
from .testing import assert_passes
from .exceptions import (DataError, InputError, MissingExtraError, ModelError, ParameterError,
                         SchemaError, StageError, StalwartError, UnsafeModelError)

__all__ = [
    "ADWIN",
    "AlarmBudget",
    "AlertEngine",
    "BBSDDrift",
    "CBPE",
    "CHECKS",
    "CUSUM",
    "CardFields",
    "Chart",
    "Check",
    "CheckContext",
    "CheckResult",
    "ColumnProfile",
    "ColumnSpec",
    "Condition",
    "DDM",
    "DLE",
    "DRIFT_CHECKS",
    "DataError",
    "Dataset",
    "DatasetProfile",
    "Diagnosis",
    "DomainClassifierDrift",
    "DriftReport",
    "EDDM",
    "EVALUATION_CHECKS",
    "Evidence",
    "GMMNovelty",
    "InputError",
    "IsolationForestNovelty",
    "KNNNovelty",
    "KSWIN",
    "Kind",
    "MMDDrift",
    "MahalanobisNovelty",
    "MissingExtraError",
    "ModelAdapter",
    "ModelCard",
    "ModelError",
    "Monitor",
    "MonitorSpec",
    "NoveltyResult",
    "OOVNovelty",
    "PCAReconstructionDrift",
    "PageHinkley",
    "ParameterError",
    "PerformanceEstimate",
    "PipelinePathNovelty",
    "ReviewPolicy",
    "Role",
    "Rule",
    "Scheduler",
    "Schema",
    "SchemaError",
    "Settings",
    "StageError",
    "StalwartError",
    "Status",
    "Suite",
    "SuiteResult",
    "Table",
    "TextEmbeddingNovelty",
    "TextLengthNovelty",
    "UnivariateDrift",
    "UnsafeModelError",
    "__version__",
    "assert_passes",
    "audit",
    "audit_suite",
    "build_model_card",
    "check_drift",
    "detect_drift",
    "diagnose",
    "drift_suite",
    "evaluate_suite_run",
    "evaluate_windows",
    "evaluation_suite",
    "fingerprint",
    "fit_unit_change",
    "label_drift",
    "load_model",
    "prediction_drift",
    "profile",
    "read_table",
    "register_check",
    "run_monitor",
    "save_model",
    "wrap",
    "write_card",
    "write_report",
]
