"""Build and run the promotion gate: may a new model version replace the old one?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..._config import Settings
from ...data import Dataset, Schema
from ...exceptions import DataError, ParameterError
from ..check import CheckContext
from ..result import SuiteResult
from ..suite import Suite, build_suite, load_checks
from ._common import COMPARISON

__all__ = ["PROMOTION_CHECKS", "promotion_suite", "run_promotion_suite"]

#: check name -> module under ``stalwart.checks.promotion``, in the order the suite runs them
PROMOTION_CHECKS: dict[str, str] = {
    "negative_flip_rate": "negative_flip_rate",
    "backward_trust_compatibility": "backward_trust",
    "accuracy_change": "accuracy_change",
}

_THRESHOLDS = {"negative_flip_rate": "max_negative_flip_rate",
               "backward_trust_compatibility": "min_backward_trust",
               "accuracy_change": "min_accuracy_change"}


def _load() -> None:
    load_checks(PROMOTION_CHECKS, __package__)


def promotion_suite(*, pinned: Sequence[Any] = (), max_negative_flip_rate: float = 0.05,
                    min_backward_trust: float = 0.95, min_accuracy_change: float = 0.0,
                    checks: Sequence[str] | None = None) -> Suite:
    """The promotion gate: every check holds overall and for each ``pinned`` customer.

    >>> promotion_suite(pinned=["acme"], checks=["accuracy_change"]).checks
    [AccuracyChange(min_accuracy_change=0.0, pinned=['acme'])]
    """
    if isinstance(pinned, (str, bytes)):
        raise ParameterError("pinned", expected="a list of customers", got=repr(pinned),
                             fix=f"pass pinned=[{pinned!r}]")
    pins = list(dict.fromkeys(pinned))
    values = {"max_negative_flip_rate": max_negative_flip_rate,
              "min_backward_trust": min_backward_trust,
              "min_accuracy_change": min_accuracy_change}
    for option, value in values.items():
        if (isinstance(value, bool) or not isinstance(value, (int, float))
                or value != value or abs(value) > 1):
            raise ParameterError(option, expected="a number in [-1, 1]", got=repr(value),
                                 fix=f"pass for example {option}=0.05")
    options = {name: {"pinned": pins, opt: float(values[opt])}
               for name, opt in _THRESHOLDS.items()}
    if checks is not None:
        options = {k: v for k, v in options.items() if k in checks}
    return build_suite("promotion_gate", PROMOTION_CHECKS, __package__, checks=checks,
                       options=options,
                       description="May a new model version replace the old one: flips and "
                                   "backward trust, overall and per pinned customer",
                       what="promotion checks")


def run_promotion_suite(suite: Suite, comparison: Mapping[str, Any], *,
                        data: Dataset | None = None, settings: Settings | None = None
                        ) -> SuiteResult:
    """Run ``suite`` on ``comparison`` (a ``VersionComparison.to_dict()``); ``data`` is the
    compared table, recorded in the result (a zero-row stand-in when not given)."""
    if not isinstance(comparison, Mapping) or comparison.get("kind") != "version_comparison":
        raise DataError("comparison", expected="VersionComparison.to_dict() output",
                        got=type(comparison).__name__,
                        fix="pass stalwart.lifecycle.compare_versions(...).to_dict()")
    settings = settings or Settings.from_env()
    summary = None
    if data is None:
        # a zero-row stand-in whose schema names the label column (the checks need one)
        schema = Schema.infer(pd.DataFrame({"y_true": [0]}), target="y_true")
        data = Dataset.from_any(pd.DataFrame({"y_true": pd.Series([], dtype="int64")}),
                                schema=schema, name="version comparison", allow_empty=True)
        summary = {"name": "version comparison", "n_rows": comparison["overall"]["n_rows"],
                   "n_columns": None, "fingerprint": None, "target": None}
    ctx = CheckContext(data=data, random_state=int(comparison.get("random_state", 0)))
    ctx.cache[COMPARISON] = dict(comparison)
    return suite.run_context(ctx, settings=settings, data_summary=summary)
