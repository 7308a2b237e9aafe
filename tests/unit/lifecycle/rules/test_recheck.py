"""Recheck against a candidate: retirement only for rules it satisfies; exports."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from stalwart.checks.result import Status
from stalwart.exceptions import ParameterError
from stalwart.lifecycle.rules import (RuleRegressionCheck, RuleSet, recheck_rules,
                                      rule_regression_suite, rules_as_training_examples)
from stalwart.models import wrap

from ._replay import NOW, RULES, replay


def candidate(fix_de: bool, confident: bool):
    """A stand-in retrained model: denies large German amounts when ``fix_de``; gives
    probabilities of 0.95 / 0.05 when ``confident``, else 0.65 for approvals."""
    def proba(X):
        X = pd.DataFrame(X, columns=["country", "amount", "email", "plan"])
        deny = (X["country"] == "DE") & (X["amount"].astype(float) > 10000) if fix_de else (
            X["amount"].astype(float) > 10**9)
        p_approve = np.where(deny, 0.05, 0.95 if confident else 0.65)
        return np.column_stack([p_approve, 1 - p_approve, np.zeros(len(X))])
    classes = np.array(["approve", "deny", "review"], dtype=object)

    def predict(X):
        return classes[proba(X).argmax(axis=1)]
    return wrap(predict, proba=proba, classes=list(classes),
                feature_names=["country", "amount", "email", "plan"], name="cand")


def test_recheck_proposes_only_rules_the_candidate_satisfies():
    X, pred, proba = replay()
    result = recheck_rules(RULES, candidate(fix_de=True, confident=True), X, pred, proba,
                           now=NOW)
    by = {v.rule_id: v for v in result.verdicts}
    assert list(by) == ["de-large", "unsure", "no-email"]  # "old" expired: not re-checked
    assert (by["de-large"].n_rows, by["de-large"].n_satisfied, by["de-large"].retire) == (
        3, 3, True)
    # confident approvals: the "unsure" condition no longer holds on its 3 rows
    assert (by["unsure"].n_rows, by["unsure"].n_satisfied, by["unsure"].retire) == (3, 3, True)
    # an input-only guard is never satisfied by a model
    assert (by["no-email"].n_satisfied, by["no-email"].retire) == (0, False)
    assert "reads inputs only" in by["no-email"].reason
    assert result.proposed_retirements == ("de-large", "unsure")
    retired = result.retire(RULES)
    assert [r.id for r in retired.rules] == ["no-email", "old"] and retired.version == 5
    d = json.loads(json.dumps(result.to_dict()))
    assert d["proposed_retirements"] == ["de-large", "unsure"] and "retire" in result.to_html()


def test_recheck_keeps_rules_the_candidate_does_not_satisfy():
    X, pred, proba = replay()
    result = recheck_rules(RULES, candidate(fix_de=False, confident=False), X, pred, proba,
                           now=NOW)
    by = {v.rule_id: v for v in result.verdicts}
    assert by["de-large"].n_satisfied == 0 and by["de-large"].unsatisfied_rows == (0, 4, 7)
    assert by["unsure"].n_satisfied == 0  # still approving at 0.65 < 0.7
    assert result.proposed_retirements == ()
    # a threshold is a share: 2 of 3 rows satisfied retires at 0.6, not at 0.95
    half = candidate(fix_de=True, confident=False)
    X2 = X.copy()
    X2.loc[7, "amount"] = 10001
    r = recheck_rules(RULES, half, X2, pred, proba, now=NOW, threshold=0.95)
    assert {v.rule_id: v.retire for v in r.verdicts}["de-large"] is True
    few = recheck_rules(RULES, half, X, pred, proba, now=NOW, min_rows=4)
    assert {v.rule_id: v.retire for v in few.verdicts}["de-large"] is False
    assert "too little evidence" in few.verdicts[0].reason
    with pytest.raises(ParameterError):
        recheck_rules(RULES, half, X, pred, proba, threshold=0)


def test_training_examples_and_regression_suite():
    X, pred, proba = replay()
    examples = rules_as_training_examples(RULES, X, pred, proba, now=NOW)
    assert examples["rule_id"].tolist() == ["de-large"] * 3
    assert examples["label"].tolist() == ["deny"] * 3
    assert examples["amount"].tolist() == [20000, 12000, 30000]
    suite = rule_regression_suite(RULES)
    good = suite.run(examples, model=candidate(fix_de=True, confident=True))
    r = good.results[0]
    assert r.status is Status.PASS and r.metrics["agreement.de-large"] == 1.0
    assert good.exit_code() == 0
    bad = suite.run(examples, model=candidate(fix_de=False, confident=True))
    assert bad.results[0].status is Status.FAIL and bad.exit_code() == 1
    assert bad.results[0].metrics["agreement.de-large"] == 0.0
    # rule ids of the check are the override rules only
    assert suite.checks[0].rule_ids == ["de-large", "old"]
    no_model = suite.run(examples)
    assert no_model.results[0].status is Status.SKIP
    with pytest.raises(ParameterError):
        rules_as_training_examples(RULES, X.assign(label=1), pred, proba, now=NOW)
    empty = rules_as_training_examples(RuleSet(), X, pred, proba, now=NOW)
    assert len(empty) == 0 and {"rule_id", "label"} <= set(empty.columns)


def test_regression_check_needs_its_columns():
    frame = pd.DataFrame({"x": [1.0]})
    model = wrap(lambda X: np.zeros(len(X)), task="regression")
    result = RuleRegressionCheck(rule_ids=["a"]).run(
        __import__("stalwart.checks.check", fromlist=["CheckContext"]).CheckContext(
            data=__import__("stalwart.data", fromlist=["Dataset"]).Dataset.from_any(frame),
            model=model))
    assert result.status is Status.ERROR and "rule_id" in result.summary
