"""Build and run the pre-deployment model evaluation suite."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..result import SuiteResult
from ..suite import Suite, build_suite, load_checks

__all__ = ["EVALUATION_CHECKS", "evaluate_suite_run", "evaluation_suite"]

#: check name -> module under ``stalwart.checks.evaluation``, in the order the suite runs them
EVALUATION_CHECKS: dict[str, str] = {
    "model_performance": "model_performance",
    "calibration": "calibration",
    "slice_performance": "slice_performance",
    "weak_segments": "weak_segments",
    "conformal_coverage": "conformal_coverage",
}


def _load() -> None:
    load_checks(EVALUATION_CHECKS, __package__)


def evaluation_suite(*, checks: Sequence[str] | None = None,
                     options: Mapping[str, Mapping[str, Any]] | None = None) -> Suite:
    """The model evaluation suite; ``checks`` picks a subset, ``options`` sets check options.

    >>> evaluation_suite(checks=["calibration"], options={"calibration": {"max_ece": 0.1}}).checks
    [Calibration(n_bins=15, max_ece=0.1)]
    """
    return build_suite("model_evaluation", EVALUATION_CHECKS, __package__, checks=checks,
                       options=options,
                       description="Pre-deployment tests of a model on held-out data",
                       what="evaluation checks")


def evaluate_suite_run(data: Any, *, model: Any, target: str, reference: Any = None,
                       checks: Sequence[str] | None = None,
                       options: Mapping[str, Mapping[str, Any]] | None = None,
                       random_state: int | None = None, **run_options: Any) -> SuiteResult:
    """Run the evaluation suite of ``model`` on ``data`` (held-out rows with ``target``);
    ``reference`` (the training data) fits the baseline the model must beat."""
    suite = evaluation_suite(checks=checks, options=options)
    return suite.run(data, model=model, target=target, reference=reference,
                     random_state=random_state, **run_options)
