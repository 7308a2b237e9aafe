"""stalwart: keep machine-learning models reliable and robust, from training to production.

The user vocabulary lives here; everything else is reachable from its subpackage.
"""

from ._config import Settings
from ._version import __version__
from .checks import (CHECKS, Chart, Check, CheckContext, CheckResult, Condition, Evidence,
                     Status, Suite, SuiteResult, Table, register_check)
from .checks.audit import audit, audit_suite
from .data import ColumnSpec, Dataset, Kind, Role, Schema, fingerprint, read_table
from .models import ModelAdapter, load_model, save_model, wrap
from .reports import write_report
from .testing import assert_passes
from .exceptions import (DataError, InputError, MissingExtraError, ModelError, ParameterError,
                         SchemaError, StageError, StalwartError, UnsafeModelError)

__all__ = [
    "CHECKS",
    "Chart",
    "Check",
    "CheckContext",
    "CheckResult",
    "ColumnSpec",
    "Condition",
    "DataError",
    "Dataset",
    "Evidence",
    "InputError",
    "Kind",
    "MissingExtraError",
    "ModelAdapter",
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
    "fingerprint",
    "load_model",
    "read_table",
    "register_check",
    "save_model",
    "wrap",
    "write_report",
]
