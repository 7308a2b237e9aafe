"""Build and run the stress suite: robustness to perturbations, prediction flips under a
harmless change, and the cost of simulated shift."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..result import SuiteResult
from ..suite import Suite, build_suite, load_checks

__all__ = ["STRESS_CHECKS", "stress_suite", "stress_suite_run"]

#: check name -> module under ``stalwart.checks.stress``, in the order the suite runs them
STRESS_CHECKS: dict[str, str] = {
    "perturbation_robustness": "perturbation_robustness",
    "flip_rate": "flip_rate",
    "shift_robustness": "shift_robustness",
}


def _load() -> None:
    load_checks(STRESS_CHECKS, __package__)


def stress_suite(*, checks: Sequence[str] | None = None,
                 options: Mapping[str, Mapping[str, Any]] | None = None) -> Suite:
    """The stress suite; ``checks`` picks a subset, ``options`` sets check options.

    >>> stress_suite(checks=["flip_rate"], options={"flip_rate": {"max_flip_rate": 0.05}}).checks
    [FlipRate(perturbation='rounding', severity=1, max_flip_rate=0.05, options=None, severities=(1, 2, 3, 4, 5))]
    """
    return build_suite("stress", STRESS_CHECKS, __package__, checks=checks, options=options,
                       description="Robustness of a model to perturbed inputs and simulated "
                                   "shift", what="stress checks")


def stress_suite_run(data: Any, *, model: Any, target: str, reference: Any = None,
                     checks: Sequence[str] | None = None,
                     options: Mapping[str, Mapping[str, Any]] | None = None,
                     random_state: int | None = None, **run_options: Any) -> SuiteResult:
    """Run the stress suite of ``model`` on ``data`` (held-out rows with ``target``);
    ``reference`` (the training rows) is where perturbations learn their scales."""
    suite = stress_suite(checks=checks, options=options)
    return suite.run(data, model=model, target=target, reference=reference,
                     random_state=random_state, **run_options)
