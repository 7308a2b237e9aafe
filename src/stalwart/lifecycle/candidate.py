"""Rules re-checked when a candidate model is evaluated (issue 6, point 4).

:func:`evaluate_candidate` is the one call a retraining job makes before it asks for a
promotion: every active rule of the hot-fix layer is replayed against the candidate
(:func:`~stalwart.lifecycle.rules.recheck_rules`: which rules it already satisfies and can
be retired), and the override rules, exported as labelled rows
(:func:`~stalwart.lifecycle.rules.rules_as_training_examples`), are run as regression checks
(:func:`~stalwart.lifecycle.rules.rule_regression_suite`) with the candidate: a ``SuiteResult``
with an exit code, like every other gate.

The replay is ``data`` (the inputs the rules saw) with the *current* model's outputs, given
as ``predictions`` / ``proba`` or computed from ``current=``.

>>> import numpy as np, pandas as pd
>>> from stalwart.lifecycle.rules import RuleSet
>>> from stalwart.models import wrap
>>> rules = RuleSet.from_dict({"rules": [{"id": "neg", "condition": "x < 0",
...     "action": "set prediction = 0", "owner": "o", "reason": "r", "ticket": "ESC-1"}]})
>>> X = pd.DataFrame({"x": [-2.0, -1.0, 3.0]})
>>> old = wrap(lambda X: np.ones(len(X), dtype=int), classes=[0, 1], feature_names=["x"])
>>> new = wrap(lambda X: (np.asarray(X)[:, 0] > 0).astype(int), classes=[0, 1],
...            feature_names=["x"])
>>> ev = evaluate_candidate(new, rules, X, current=old, now="2026-01-01")
>>> ev.proposed_retirements, ev.regression.exit_code(), ev.n_examples
(('neg',), 0, 2)
>>> ev.retire(rules).version, ev.retire(rules).rules
(2, ())
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._json import jsonable
from ..checks.result import SuiteResult
from ..data import Dataset
from ..exceptions import ParameterError
from .rules import (RecheckResult, RuleSet, recheck_rules, rule_regression_suite,
                    rules_as_training_examples)
from ..reports.page import render_page

__all__ = ["CandidateEvaluation", "evaluate_candidate"]


@dataclass(frozen=True)
class CandidateEvaluation:
    """The rule layer against one candidate: retirement proposals and regression checks."""

    recheck: RecheckResult
    regression: SuiteResult
    n_examples: int
    schema_version: str = "1"

    @property
    def proposed_retirements(self) -> tuple[str, ...]:
        return self.recheck.proposed_retirements

    @property
    def passed(self) -> bool:
        """The candidate gives every override rule's output on the rows it decided."""
        return self.regression.exit_code() == 0

    def retire(self, ruleset: RuleSet) -> RuleSet:
        """The next version of ``ruleset`` without the proposed rules (unchanged if none)."""
        return self.recheck.retire(ruleset)

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version, "kind": "candidate_evaluation",
                         "passed": self.passed, "n_examples": self.n_examples,
                         "proposed_retirements": list(self.proposed_retirements),
                         "recheck": self.recheck.to_dict(),
                         "regression": self.regression.to_dict()})

    def to_html(self) -> str:
        d = self.to_dict()
        verdicts = [[v["rule_id"], v["action"], v["n_rows"], v["n_satisfied"], v["share"],
                     "retire" if v["retire"] else "keep", v["reason"]]
                    for v in d["recheck"]["verdicts"]]
        checks = [[r["check"], r["status"], r.get("summary", "")]
                  for r in d["regression"]["results"]]
        facts = [("rule set version", d["recheck"]["ruleset_version"]),
                 ("proposed for retirement", ", ".join(d["proposed_retirements"]) or "none"),
                 ("regression rows", d["n_examples"]),
                 ("regression checks", "pass" if d["passed"] else "fail")]
        return render_page("Rules re-checked against a candidate model", facts=facts, tables=[
            ("Re-check per rule", ["rule", "action", "rows", "satisfied", "share", "proposal",
                                   "reason"], verdicts),
            ("Regression checks", ["check", "status", "summary"], checks)])


def evaluate_candidate(candidate: Any, ruleset: RuleSet, data: Any, *, current: Any = None,
                       predictions: Any = None, proba: Any = None,
                       classes: Sequence[Any] | None = None, threshold: float = 0.95,
                       min_rows: int = 1, min_share: float = 1.0, now: Any = None
                       ) -> CandidateEvaluation:
    """Re-check every active rule of ``ruleset`` against ``candidate`` on the replay ``data``
    and run the override rules' regression checks with it.

    The current model's outputs on ``data`` come from ``predictions`` (and ``proba``) or
    from ``current`` (any model :func:`stalwart.models.wrap` accepts), not both.
    ``threshold`` / ``min_rows``: :func:`recheck_rules`; ``min_share``:
    :func:`rule_regression_suite`.
    """
    if not isinstance(ruleset, RuleSet):
        raise ParameterError("ruleset", expected="a RuleSet", got=type(ruleset).__name__,
                             fix="pass RuleSet.from_dict(document)")
    if (current is None) == (predictions is None):
        raise ParameterError("current model outputs", expected="current= (the model the "
                             "rules sit in front of) or predictions= (its outputs), not both",
                             got="both" if current is not None else "neither",
                             fix="pass current=model, or predictions=model.predict(data)")
    if current is not None:
        predictions, proba, classes = _outputs(current, data)
    recheck = recheck_rules(ruleset, candidate, data, predictions, proba, classes=classes,
                            threshold=threshold, min_rows=min_rows, now=now)
    examples = rules_as_training_examples(ruleset, data, predictions, proba, classes=classes,
                                          now=now)
    suite = rule_regression_suite(ruleset, min_share=min_share)
    # no override rule decided a row: an empty table, which the check reports as "no rule
    # rows to check" (a Dataset refuses zero rows unless told they are expected)
    rows = examples if len(examples) else Dataset.from_any(
        examples, name="rule examples", allow_empty=True)
    regression = suite.run(rows, model=candidate)
    return CandidateEvaluation(recheck=recheck, regression=regression,
                               n_examples=int(len(examples)))


def _outputs(model: Any, data: Any) -> tuple[np.ndarray, np.ndarray | None, list[Any] | None]:
    from ..models import wrap

    adapter = wrap(model)
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    inputs = frame[adapter.feature_names] if adapter.feature_names else frame
    proba = (np.asarray(adapter.predict_proba(inputs), dtype=float)
             if adapter.can("predict_proba") else None)
    classes = None if adapter.classes_ is None else list(adapter.classes_)
    return np.asarray(adapter.predict(inputs)), proba, classes
