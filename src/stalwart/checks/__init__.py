"""Checks, conditions and suites: pass / warn / fail with evidence, and a CI exit code."""

from .check import CHECKS, Check, CheckContext, register_check
from .condition import Condition
from .result import (SCHEMA_VERSION, Chart, CheckResult, ConditionResult, Evidence, Status,
                     SuiteResult, Table)
from .suite import Suite

__all__ = ["CHECKS", "SCHEMA_VERSION", "Chart", "Check", "CheckContext", "CheckResult",
           "Condition", "ConditionResult", "Evidence", "Status", "Suite", "SuiteResult",
           "Table", "register_check"]
