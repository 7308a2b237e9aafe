"""Build and run the pre-deployment explainability suite."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..result import SuiteResult
from ..suite import Suite, build_suite, load_checks

__all__ = ["EXPLAIN_CHECKS", "explain_suite_run", "explainability_suite"]

#: check name -> module under ``stalwart.checks.explain``, in the order the suite runs them
EXPLAIN_CHECKS: dict[str, str] = {
    "feature_importance": "feature_importance",
    "importance_stability": "importance_stability",
    "counterfactual_feasibility": "counterfactual_feasibility",
}


def _load() -> None:
    load_checks(EXPLAIN_CHECKS, __package__)


def explainability_suite(*, checks: Sequence[str] | None = None,
                         options: Mapping[str, Mapping[str, Any]] | None = None) -> Suite:
    """The explainability suite; ``checks`` picks a subset, ``options`` sets check options.

    >>> explainability_suite(checks=["feature_importance"],
    ...                      options={"feature_importance": {"top_k": 3}}).checks[0].top_k
    3
    """
    return build_suite("explainability", EXPLAIN_CHECKS, __package__, checks=checks,
                       options=options,
                       description="Which features the model rests on, and whether that "
                       "ranking holds between the reference and the data",
                       what="explainability checks")


def explain_suite_run(data: Any, *, model: Any, target: str, reference: Any = None,
                      checks: Sequence[str] | None = None,
                      options: Mapping[str, Mapping[str, Any]] | None = None,
                      random_state: int | None = None, **run_options: Any) -> SuiteResult:
    """Run the explainability suite of ``model`` on ``data`` (labelled rows with
    ``target``); ``reference`` (training or an earlier window) feeds the stability check."""
    suite = explainability_suite(checks=checks, options=options)
    return suite.run(data, model=model, target=target, reference=reference,
                     random_state=random_state, **run_options)
