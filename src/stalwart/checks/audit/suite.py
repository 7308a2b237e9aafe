"""Build and run the data audit suite."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any

from ..check import CHECKS, Check
from ..result import SuiteResult
from ..suite import Suite

__all__ = ["AUDIT_CHECKS", "audit", "audit_suite"]

#: check name -> module under ``stalwart.checks.audit``, in the order the suite runs them
AUDIT_CHECKS: dict[str, str] = {
    "missing_values": "missing_values",
    "mixed_types": "mixed_types",
    "invalid_values": "invalid_values",
    "constant_columns": "constant_columns",
    "id_like_columns": "id_like_columns",
    "duplicates": "duplicates",
    "conflicting_labels": "conflicting_labels",
    "label_errors": "label_errors",
    "class_imbalance": "class_imbalance",
    "feature_leakage": "feature_leakage",
    "train_test_overlap": "train_test_overlap",
    "sampling_bias": "sampling_bias",
    "pii_columns": "pii_columns",
}


def _load() -> None:
    for module in AUDIT_CHECKS.values():
        importlib.import_module(f"{__package__}.{module}")


def audit_suite(*, checks: Sequence[str] | None = None,
                options: Mapping[str, Mapping[str, Any]] | None = None) -> Suite:
    """The audit suite; ``checks`` picks a subset by name, ``options`` sets check options.

    >>> audit_suite(checks=["missing_values"]).checks
    [MissingValues(...)]
    """
    _load()
    names = list(AUDIT_CHECKS) if checks is None else list(checks)
    options = dict(options or {})
    unknown = [n for n in list(names) + list(options) if n not in AUDIT_CHECKS]
    if unknown:
        from ...exceptions import ParameterError
        raise ParameterError("audit checks", expected=f"names among {list(AUDIT_CHECKS)}",
                             got=f"unknown {unknown}", fix="pick names from the list")
    instances: list[Check] = [CHECKS.get(n)(**dict(options.get(n, {}))) for n in names]
    return Suite("data_audit", instances, description="Fitness of a table for training or scoring")


def audit(data: Any, *, target: str | None = None, reference: Any = None,
          checks: Sequence[str] | None = None,
          options: Mapping[str, Mapping[str, Any]] | None = None,
          random_state: int | None = None, **run_options: Any) -> SuiteResult:
    """Run the data audit on ``data`` (any table) and return the :class:`SuiteResult`."""
    suite = audit_suite(checks=checks, options=options)
    return suite.run(data, target=target, reference=reference, random_state=random_state,
                     **run_options)
