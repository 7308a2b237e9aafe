"""stalwart: keep machine-learning models reliable and robust, from training to production.

The user vocabulary lives here; everything else is reachable from its subpackage.
"""

from ._config import Settings
from ._version import __version__
from .checks import (CHECKS, Chart, Check, CheckContext, CheckResult, Condition, Evidence,
                     Status, Suite, SuiteResult, Table, register_check)
from .card import CardFields, ModelCard, build_model_card, write_card
from .checks.audit import audit, audit_suite
from .checks.evaluation import EVALUATION_CHECKS, evaluate_suite_run, evaluation_suite
from .data import ColumnSpec, Dataset, Kind, Role, Schema, fingerprint, read_table
from .models import ModelAdapter, load_model, save_model, wrap
from .reports import write_report
from .testing import assert_passes
from .exceptions import (DataError, InputError, MissingExtraError, ModelError, ParameterError,
                         SchemaError, StageError, StalwartError, UnsafeModelError)

__all__ = [
    "CHECKS",
    "CardFields",
    "Chart",
    "Check",
    "CheckContext",
    "CheckResult",
    "ColumnSpec",
    "Condition",
    "DataError",
    "Dataset",
    "EVALUATION_CHECKS",
    "Evidence",
    "InputError",
    "Kind",
    "MissingExtraError",
    "ModelAdapter",
    "ModelCard",
    "ModelError",
    "ParameterError",
    "Role",
    "Schema",
    "SchemaError",
    "Settings",
    "StageError",
    "StalwartError",
    "Status",
    "Suite",
    "SuiteResult",
    "Table",
    "UnsafeModelError",
    "__version__",
    "assert_passes",
    "audit",
    "audit_suite",
    "build_model_card",
    "evaluate_suite_run",
    "evaluation_suite",
    "fingerprint",
    "load_model",
    "read_table",
    "register_check",
    "save_model",
    "wrap",
    "write_card",
    "write_report",
]
