"""The pre-deployment gate: one suite of every check of a model before it ships.

It runs, on held-out data with the training data as reference, the model evaluation
checks (performance against a baseline, calibration, slices, weak segments, conformal
coverage), the group fairness checks, feature importance and recourse (a feasible
counterfactual for the rows the model turns down), and the privacy checks of
the model and its inputs (PII in the evaluation data, membership inference). Each check
skips, saying what it needs, when its inputs are missing: the fairness checks without
sensitive columns in the schema, membership inference without the training data. One result,
one exit code for CI (``stalwart evaluate --suite predeployment``).

Model extraction (it trains surrogates at several query budgets) and k-anonymity (its
quasi-identifiers must be declared) are left to the privacy suite.

>>> suite = predeployment_suite(checks=["calibration", "demographic_parity"])
>>> [c.name for c in suite.checks]
['calibration', 'demographic_parity']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .result import SuiteResult
from .suite import Suite, build_suite

__all__ = ["PREDEPLOYMENT_CHECKS", "predeployment_suite", "predeployment_suite_run"]

#: check name -> module under ``stalwart.checks``, in the order the suite runs them
PREDEPLOYMENT_CHECKS: dict[str, str] = {
    "model_performance": "evaluation.model_performance",
    "calibration": "evaluation.calibration",
    "slice_performance": "evaluation.slice_performance",
    "weak_segments": "evaluation.weak_segments",
    "conformal_coverage": "evaluation.conformal_coverage",
    "demographic_parity": "fairness.demographic_parity",
    "equalized_odds": "fairness.equalized_odds",
    "equal_opportunity": "fairness.equal_opportunity",
    "predictive_parity": "fairness.predictive_parity",
    "group_calibration": "fairness.group_calibration",
    "feature_importance": "explain.feature_importance",
    "counterfactual_feasibility": "explain.counterfactual_feasibility",
    "pii_scan": "privacy.pii_scan",
    "membership_inference": "privacy.membership_inference",
}


def predeployment_suite(*, checks: Sequence[str] | None = None,
                        options: Mapping[str, Mapping[str, Any]] | None = None) -> Suite:
    """The pre-deployment suite; ``checks`` picks a subset, ``options`` sets check options."""
    return build_suite("predeployment", PREDEPLOYMENT_CHECKS, __package__, checks=checks,
                       options=options,
                       description="Everything a model must pass before it ships: performance, "
                                   "calibration, slices, fairness, explanations and privacy",
                       what="pre-deployment checks")


def predeployment_suite_run(data: Any, *, model: Any, target: str, reference: Any = None,
                            checks: Sequence[str] | None = None,
                            options: Mapping[str, Mapping[str, Any]] | None = None,
                            random_state: int | None = None,
                            **run_options: Any) -> SuiteResult:
    """Run the pre-deployment suite of ``model`` on ``data`` (held-out rows with
    ``target``); ``reference`` is the training data (the baseline, membership inference)."""
    suite = predeployment_suite(checks=checks, options=options)
    return suite.run(data, model=model, target=target, reference=reference,
                     random_state=random_state, **run_options)
