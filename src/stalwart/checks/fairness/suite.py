"""Build and run the fairness suite: the fairness checks of a model on held-out data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..result import SuiteResult
from ..suite import Suite, build_suite, load_checks

__all__ = ["FAIRNESS_CHECKS", "fairness_suite", "fairness_suite_run"]

#: check name -> module under ``stalwart.checks.fairness``, in the order the suite runs them
FAIRNESS_CHECKS: dict[str, str] = {
    "demographic_parity": "demographic_parity",
    "equalized_odds": "equalized_odds",
    "equal_opportunity": "equal_opportunity",
    "predictive_parity": "predictive_parity",
    "group_calibration": "group_calibration",
}


def _load() -> None:
    load_checks(FAIRNESS_CHECKS, __package__)


def fairness_suite(*, checks: Sequence[str] | None = None,
                   options: Mapping[str, Mapping[str, Any]] | None = None,
                   sensitive: Sequence[str] | None = None) -> Suite:
    """The fairness suite; ``checks`` picks a subset, ``options`` sets check options and
    ``sensitive`` the sensitive columns of every check (default: the schema's).

    >>> fairness_suite(checks=["equalized_odds"], sensitive=["sex"]).checks[0].sensitive
    ['sex']
    """
    opts = {k: dict(v) for k, v in (options or {}).items()}
    if sensitive is not None:
        for name in (list(checks) if checks is not None else list(FAIRNESS_CHECKS)):
            opts.setdefault(name, {}).setdefault("sensitive", list(sensitive))
    return build_suite("fairness", FAIRNESS_CHECKS, __package__, checks=checks, options=opts,
                       description="Group fairness of a classifier's decisions before it ships",
                       what="fairness checks")


def fairness_suite_run(data: Any, *, model: Any, target: str,
                       sensitive: Sequence[str] | None = None,
                       checks: Sequence[str] | None = None,
                       options: Mapping[str, Mapping[str, Any]] | None = None,
                       random_state: int | None = None, **run_options: Any) -> SuiteResult:
    """Run the fairness suite of ``model`` on ``data`` (held-out rows with ``target``)."""
    suite = fairness_suite(checks=checks, options=options, sensitive=sensitive)
    return suite.run(data, model=model, target=target, random_state=random_state,
                     **run_options)
