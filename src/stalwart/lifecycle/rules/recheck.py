"""Re-checking rules against a candidate model, and exporting them.

When a retrained model is a candidate, every active rule is replayed: on the rows it decides
in a replay (the current model's outputs), does the candidate already do what the rule
does?

- an ``override`` rule is satisfied on a row when the candidate predicts the rule's value;
- a ``review`` or ``reject`` rule is satisfied on a row when its condition no longer holds
  with the candidate's outputs (the candidate no longer produces the output the rule
  guards against). A condition on inputs only is never satisfied by a model: it stays.

Rules satisfied on at least ``threshold`` of their rows (and on at least ``min_rows`` rows)
are proposed for retirement, with the evidence.

Export: :func:`rules_as_training_examples` gives the rows of the override rules labelled
with the rule's output (a DataFrame with ``rule_id`` and ``label`` columns), and
:func:`rule_regression_suite` a :class:`~stalwart.checks.Suite` whose check a future model
must pass on those rows (``suite.run(examples, model=future_model)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..._json import FieldsJSON, jsonable
from ...exceptions import ParameterError
from ...reports.page import render_page
from .outputs import PREDICTION, PROBA, as_frame, rule_table
from .ruleset import RuleSet, match_class

__all__ = ["RecheckResult", "RuleVerdict", "recheck_rules", "rules_as_training_examples"]

_MAX_SHOWN = 20


@dataclass(frozen=True)
class RuleVerdict(FieldsJSON):
    """One rule against the candidate: the evidence and the proposal."""

    rule_id: str
    action: str
    n_rows: int
    n_satisfied: int
    share: float | None
    retire: bool
    reason: str
    unsatisfied_rows: tuple[int, ...]  # first positions in the replay where it still matters


@dataclass(frozen=True)
class RecheckResult:
    """Every active rule re-checked against one candidate model."""

    ruleset_version: int
    threshold: float
    min_rows: int
    candidate: dict[str, Any]
    verdicts: tuple[RuleVerdict, ...]
    schema_version: str = "1"

    @property
    def proposed_retirements(self) -> tuple[str, ...]:
        return tuple(v.rule_id for v in self.verdicts if v.retire)

    def retire(self, ruleset: RuleSet) -> RuleSet:
        """The next version of ``ruleset`` without the rules proposed for retirement."""
        return ruleset.remove(*self.proposed_retirements) if self.proposed_retirements \
            else ruleset

    def to_dict(self) -> dict[str, Any]:
        return jsonable({"schema_version": self.schema_version,
                         "ruleset_version": self.ruleset_version, "threshold": self.threshold,
                         "min_rows": self.min_rows, "candidate": self.candidate,
                         "proposed_retirements": list(self.proposed_retirements),
                         "verdicts": [v.to_dict() for v in self.verdicts]})

    def to_html(self) -> str:
        d = self.to_dict()
        rows = [[v["rule_id"], v["action"], v["n_rows"], v["n_satisfied"], v["share"],
                 "retire" if v["retire"] else "keep", v["reason"]] for v in d["verdicts"]]
        facts = [("rule set version", d["ruleset_version"]),
                 ("candidate", d["candidate"].get("name") or d["candidate"].get("adapter")),
                 ("retirement threshold", d["threshold"]), ("minimum rows", d["min_rows"]),
                 ("proposed for retirement", ", ".join(d["proposed_retirements"]) or "none")]
        return render_page("Rules re-checked against a candidate", facts=facts, tables=[
            ("Per rule", ["rule", "action", "rows", "satisfied", "share", "proposal",
                          "reason"], rows)])


def recheck_rules(ruleset: RuleSet, candidate: Any, X: Any, predictions: Any,
                  proba: Any = None, *, classes: Sequence[Any] | None = None,
                  threshold: float = 0.95, min_rows: int = 1, now: Any = None
                  ) -> RecheckResult:
    """Re-check every active rule of ``ruleset`` against ``candidate`` on a replay (``X``
    with the current model's ``predictions`` / ``proba``); see the module docstring."""
    from ...models import wrap

    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not (
            0 < threshold <= 1):
        raise ParameterError("threshold", expected="a share in (0, 1]", got=repr(threshold),
                             fix="pass e.g. threshold=0.95")
    if isinstance(min_rows, bool) or not isinstance(min_rows, int) or min_rows < 1:
        raise ParameterError("min_rows", expected="an integer >= 1", got=repr(min_rows),
                             fix="pass e.g. min_rows=20")
    model = wrap(candidate)
    frame = as_frame(X)
    app = ruleset.apply(frame, predictions, proba, classes=classes, now=now)
    cand_classes = None if model.classes_ is None else list(model.classes_)
    ruleset.validate(frame, classes=cand_classes, has_proba=model.can("predict_proba"),
                     prediction_kind="number" if model.task == "regression" else None)
    decided = np.flatnonzero(app.fired != None)  # noqa: E711
    features = frame.iloc[decided]
    inputs = features[model.feature_names] if model.feature_names else features
    new_pred = np.asarray(model.predict(inputs)) if len(decided) else np.array([])
    new_proba = (np.asarray(model.predict_proba(inputs), dtype=float)
                 if len(decided) and model.can("predict_proba") else None)
    fired = app.fired[decided]
    verdicts = []
    for rule_id in app.active:
        rule = ruleset.get(rule_id)
        mine = fired == rule_id
        rows = decided[mine]
        if rule.action.type == "override":
            target = (rule.action.value if cand_classes is None
                      else match_class(rule.action.value, cand_classes, f"rule {rule_id!r}"))
            ok = (pd.Series(new_pred[mine], dtype=object) == target).to_numpy(dtype=bool)
        else:
            sub = frame.iloc[rows].reset_index(drop=True)
            table = rule_table(sub, new_pred[mine], None if new_proba is None
                               else new_proba[mine], classes=cand_classes,
                               names=rule.parsed.names)
            ok = ~rule.parsed.evaluate(table, n_rows=len(rows))
        verdicts.append(_verdict(rule, rows, ok, threshold, min_rows))
    return RecheckResult(ruleset_version=ruleset.version, threshold=float(threshold),
                         min_rows=min_rows, candidate=model.describe(), verdicts=tuple(verdicts))


def _verdict(rule: Any, rows: np.ndarray, ok: np.ndarray, threshold: float, min_rows: int
             ) -> RuleVerdict:
    n, k = len(rows), int(ok.sum())
    share = k / n if n else None
    if n < min_rows:
        retire, reason = False, f"too little evidence: {n} row(s) in the replay < {min_rows}"
    elif share is not None and share >= threshold:
        retire, reason = True, (f"the candidate already does what the rule does on {k} of "
                                f"{n} rows ({share:.1%} >= {threshold:.1%})")
    else:
        retire, reason = False, (f"the candidate does what the rule does on only {k} of {n} "
                                 f"rows ({(share or 0):.1%} < {threshold:.1%})")
        if rule.action.type != "override" and not _reads_outputs(rule):
            reason += "; the condition reads inputs only, so no model can satisfy it"
    return RuleVerdict(rule_id=rule.id, action=rule.action.describe(), n_rows=n,
                       n_satisfied=k, share=share, retire=retire, reason=reason,
                       unsatisfied_rows=tuple(int(i) for i in rows[~ok][:_MAX_SHOWN]))


def _reads_outputs(rule: Any) -> bool:
    return any(n == PREDICTION or n == PROBA or n.startswith(f"{PROBA}_")
               for n in rule.parsed.names)


def rules_as_training_examples(ruleset: RuleSet, X: Any, predictions: Any, proba: Any = None,
                               *, classes: Sequence[Any] | None = None, now: Any = None,
                               rule_column: str = "rule_id", label_column: str = "label"
                               ) -> pd.DataFrame:
    """The rows each active override rule decides in a replay, labelled with its output:
    the input columns plus ``rule_column`` and ``label_column``. Review and reject rules
    have no output to learn and export no rows."""
    frame = as_frame(X)
    clash = [c for c in (rule_column, label_column) if c in frame.columns]
    if clash:
        raise ParameterError("export columns", expected="names not among the input columns",
                             got=f"{clash}", fix="pass rule_column= / label_column= names "
                             "the inputs do not use")
    app = ruleset.apply(frame, predictions, proba, classes=classes, now=now)
    parts = []
    for rule_id in app.active:
        rule = ruleset.get(rule_id)
        if rule.action.type != "override":
            continue
        rows = np.flatnonzero(app.fired == rule_id)
        part = frame.iloc[rows].copy()
        part[rule_column] = rule_id
        part[label_column] = app.predictions[rows] if len(rows) else []
        parts.append(part)
    if not parts:
        return frame.iloc[:0].assign(**{rule_column: pd.Series(dtype=object),
                                        label_column: pd.Series(dtype=object)})
    return pd.concat(parts).reset_index(drop=True)
