"""Build and run the data audit suite."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..result import SuiteResult
from ..suite import Suite, build_suite, load_checks

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
    load_checks(AUDIT_CHECKS, __package__)


def audit_suite(*, checks: Sequence[str] | None = None,
                options: Mapping[str, Mapping[str, Any]] | None = None) -> Suite:
    """The audit suite; ``checks`` picks a subset by name, ``options`` sets check options.

    >>> audit_suite(checks=["missing_values"]).checks
    [MissingValues(...)]
    """
    return build_suite("data_audit", AUDIT_CHECKS, __package__, checks=checks,
                       options=options,
                       description="Fitness of a table for training or scoring",
                       what="audit checks")


def audit(data: Any, *, target: str | None = None, reference: Any = None,
          checks: Sequence[str] | None = None,
          options: Mapping[str, Mapping[str, Any]] | None = None,
          random_state: int | None = None, **run_options: Any) -> SuiteResult:
    """Run the data audit on ``data`` (any table) and return the :class:`SuiteResult`."""
    suite = audit_suite(checks=checks, options=options)
    return suite.run(data, target=target, reference=reference, random_state=random_state,
                     **run_options)
