"""Override rules as regression checks: a future model must give each rule's output on the
rows the rule decided (exported by
:func:`~stalwart.lifecycle.rules.recheck.rules_as_training_examples`).

The check runs in a :class:`~stalwart.checks.Suite` on the exported rows, with the future
model: ``rule_regression_suite(rules).run(examples, model=model)``. Its metrics are the
share of rows where the model agrees with the rule, overall and per rule
(``agreement.<rule id>``); a condition per rule requires at least ``min_share``.

>>> import numpy as np, pandas as pd
>>> from stalwart.lifecycle.rules import RuleSet
>>> rules = RuleSet.from_dict({"rules": [{"id": "neg", "condition": "x < 0",
...     "action": "set prediction = 0", "owner": "o", "reason": "r"}]})
>>> examples = pd.DataFrame({"x": [-1.0, -2.0], "rule_id": ["neg", "neg"], "label": [0, 0]})
>>> from stalwart.models import wrap
>>> positive = wrap(lambda X: (np.asarray(X)[:, 0] > 0).astype(int), classes=[0, 1])
>>> result = rule_regression_suite(rules).run(examples, model=positive)
>>> result.results[0].metrics["agreement.neg"], result.exit_code()
(1.0, 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...checks.check import Check, CheckContext
from ...checks.condition import Condition
from ...checks.result import Evidence, Table
from ...checks.suite import Suite
from ...exceptions import DataError, ParameterError
from .ruleset import RuleSet

__all__ = ["RuleRegressionCheck", "rule_regression_suite"]


class RuleRegressionCheck(Check):
    """A model must give each override rule's output on the rows the rule decided."""

    name = "rule_regression"
    title = "Hot-fix rules still hold"
    category = "model"
    needs = frozenset({"model"})

    def __init__(self, *, rule_ids: Sequence[str] = (), min_share: float = 1.0,
                 rule_column: str = "rule_id", label_column: str = "label",
                 conditions: Sequence[Condition] | None = None) -> None:
        self.rule_ids = rule_ids
        self.min_share = min_share
        self.rule_column = rule_column
        self.label_column = label_column
        self.conditions = conditions

    def default_conditions(self) -> list[Condition]:
        return [Condition(f"agreement.{rid}", "ge", self.min_share,
                          name=f"rule {rid}: agreement >= {self.min_share:g}")
                for rid in self.rule_ids]

    def compute(self, ctx: CheckContext) -> Evidence:
        frame = ctx.data.frame
        missing = [c for c in (self.rule_column, self.label_column) if c not in frame.columns]
        if missing:
            raise DataError("rule regression rows", expected=f"columns {self.rule_column!r} "
                            f"and {self.label_column!r}", got=f"missing {missing}",
                            fix="run the suite on rules_as_training_examples(...) output")
        model = ctx.model
        features = [c for c in frame.columns if c not in (self.rule_column, self.label_column)]
        X = frame[model.feature_names] if model.feature_names else frame[features]
        predicted = pd.Series(np.asarray(model.predict(X)) if len(frame) else [], dtype=object)
        expected = frame[self.label_column].reset_index(drop=True)
        agree = np.array([_same(p, e) for p, e in zip(predicted, expected)], dtype=bool)
        ids = frame[self.rule_column].astype(str).to_numpy()
        metrics: dict[str, Any] = {"agreement": float(agree.mean()) if len(agree) else None,
                                   "n_rows": len(frame)}
        rows = []
        for rid in dict.fromkeys([*self.rule_ids, *ids.tolist()]):
            mine = ids == rid
            n = int(mine.sum())
            share = float(agree[mine].mean()) if n else None
            metrics[f"agreement.{rid}"] = share
            rows.append((rid, n, int(agree[mine].sum()), share))
        summary = (f"the model agrees with the rules on {int(agree.sum())} of {len(agree)} rows"
                   if len(agree) else "no rule rows to check")
        return Evidence(metrics, summary, tables=(Table(
            "Agreement per rule", ("rule", "rows", "agreeing", "share"), tuple(rows)),))


def _same(predicted: Any, expected: Any) -> bool:
    if predicted == expected:
        return True
    return str(predicted) == str(expected)


def rule_regression_suite(ruleset: RuleSet, *, min_share: float = 1.0,
                          rule_column: str = "rule_id", label_column: str = "label") -> Suite:
    """A suite with one :class:`RuleRegressionCheck` over the override rules of
    ``ruleset``; run it on the exported rows with the model to judge."""
    if isinstance(min_share, bool) or not isinstance(min_share, (int, float)) or not (
            0 <= min_share <= 1):
        raise ParameterError("min_share", expected="a share in [0, 1]", got=repr(min_share),
                             fix="pass e.g. min_share=0.95")
    ids = [r.id for r in ruleset.rules if r.action.type == "override"]
    return Suite("rule_regression", [RuleRegressionCheck(
        rule_ids=ids, min_share=float(min_share), rule_column=rule_column,
        label_column=label_column)], description=f"hot-fix rules of version {ruleset.version} "
        "as regression checks")
