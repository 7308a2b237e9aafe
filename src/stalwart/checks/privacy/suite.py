"""Build and run the privacy suite."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..result import SuiteResult
from ..suite import Suite, build_suite, load_checks

__all__ = ["PRIVACY_CHECKS", "privacy_audit", "privacy_suite"]

#: check name -> module under ``stalwart.checks.privacy``, in the order the suite runs them
PRIVACY_CHECKS: dict[str, str] = {
    "pii_scan": "pii_scan",
    "k_anonymity": "k_anonymity",
    "l_diversity": "l_diversity",
    "membership_inference": "membership_inference",
    "model_extraction": "model_extraction",
}


def _load() -> None:
    load_checks(PRIVACY_CHECKS, __package__)


def privacy_suite(*, checks: Sequence[str] | None = None,
                  options: Mapping[str, Mapping[str, Any]] | None = None) -> Suite:
    """The privacy suite; ``checks`` picks a subset by name, ``options`` sets check options.

    >>> privacy_suite(checks=["k_anonymity"], options={"k_anonymity": {"k": 10}}).checks
    [KAnonymity(quasi_identifiers=None, k=10)]
    """
    return build_suite("privacy", PRIVACY_CHECKS, __package__, checks=checks, options=options,
                       description="Personal data, re-identification risk and model privacy",
                       what="privacy checks")


def privacy_audit(data: Any, *, quasi_identifiers: Sequence[str] | None = None,
                  sensitive: str | None = None, k: int = 5, l: int = 2,  # noqa: E741
                  checks: Sequence[str] | None = None,
                  options: Mapping[str, Mapping[str, Any]] | None = None,
                  random_state: int | None = None, **run_options: Any) -> SuiteResult:
    """Run the privacy suite on ``data``; ``quasi_identifiers``, ``sensitive``, ``k`` and
    ``l`` are passed to the k-anonymity and l-diversity checks (``options`` wins)."""
    chosen = list(PRIVACY_CHECKS) if checks is None else list(checks)
    merged: dict[str, dict[str, Any]] = {}
    if "k_anonymity" in chosen:
        merged["k_anonymity"] = {"quasi_identifiers": quasi_identifiers, "k": k}
    if "l_diversity" in chosen:
        merged["l_diversity"] = {"quasi_identifiers": quasi_identifiers,
                                 "sensitive": sensitive, "l": l}
    for name, opts in (options or {}).items():
        merged.setdefault(name, {}).update(opts)
    suite = privacy_suite(checks=checks, options=merged)
    return suite.run(data, random_state=random_state, **run_options)
