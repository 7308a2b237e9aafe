"""evaluate_candidate: every rule re-checked against a candidate, override rules as
regression checks; exact counts on a hand-made replay."""

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import ParameterError, SchemaError
from stalwart.lifecycle import RuleSet
from stalwart.lifecycle.candidate import CandidateEvaluation, evaluate_candidate
from stalwart.models import wrap

NOW = "2026-01-01"
X = pd.DataFrame({"x": [-3.0, -2.0, -1.0, 0.5, 2.0, 4.0], "y": [1.0, 1.0, 0.0, 0.0, 1.0, 5.0]})
RULES = RuleSet.from_dict({"rules": [
    {"id": "neg", "condition": "x < 0", "action": "set prediction = 0", "owner": "o",
     "reason": "negative x is class 0", "ticket": "ESC-1"},
    {"id": "big-y", "condition": "y > 3 and prediction == 1", "action": "review",
     "owner": "o", "reason": "confident calls on large y", "ticket": "ESC-2"}]})


def model(rule):
    return wrap(lambda X: rule(np.asarray(X, dtype=float)).astype(int), classes=[0, 1],
                feature_names=["x", "y"], name="m")


OLD = model(lambda a: np.ones(len(a)))                       # always 1
GOOD = model(lambda a: (a[:, 0] > 0) & (a[:, 1] < 3))         # does what both rules do
HALF = model(lambda a: a[:, 0] > -2.5)                        # 1 of 3 negative rows right


def test_a_candidate_doing_what_the_rules_do_retires_both_and_passes():
    ev = evaluate_candidate(GOOD, RULES, X, current=OLD, now=NOW)
    assert isinstance(ev, CandidateEvaluation)
    assert ev.proposed_retirements == ("neg", "big-y")
    assert [(v.rule_id, v.n_rows, v.n_satisfied) for v in ev.recheck.verdicts] == [
        ("neg", 3, 3), ("big-y", 1, 1)]
    assert ev.n_examples == 3 and ev.passed and ev.regression.exit_code() == 0
    assert ev.regression.results[0].metrics["agreement.neg"] == 1.0
    retired = ev.retire(RULES)
    assert retired.version == 2 and retired.rules == ()
    d = ev.to_dict()
    assert d["proposed_retirements"] == ["neg", "big-y"] and d["passed"] is True
    assert "Regression checks" in ev.to_html()


def test_a_candidate_that_misses_rows_keeps_the_rule_and_fails_the_regression():
    ev = evaluate_candidate(HALF, RULES, X, current=OLD, now=NOW)
    neg = ev.recheck.verdicts[0]
    # HALF predicts 1 for x = -2 and -1: only x = -3 gets the rule's 0
    assert (neg.n_rows, neg.n_satisfied, neg.retire) == (3, 1, False)
    assert neg.share == pytest.approx(1 / 3)
    assert ev.regression.results[0].metrics["agreement.neg"] == pytest.approx(1 / 3)
    assert not ev.passed and ev.regression.exit_code() != 0
    # HALF predicts 1 on y = 5 (x = 4): the review rule's condition still holds
    assert ev.recheck.verdicts[1].retire is False
    assert ev.proposed_retirements == () and ev.retire(RULES) is RULES


def test_outputs_given_as_predictions_equal_the_current_model():
    by_model = evaluate_candidate(GOOD, RULES, X, current=OLD, now=NOW)
    by_arrays = evaluate_candidate(GOOD, RULES, X, predictions=np.ones(6, dtype=int),
                                   proba=np.tile([0.0, 1.0], (6, 1)), classes=[0, 1], now=NOW)
    assert by_model.recheck.to_dict()["verdicts"] == by_arrays.recheck.to_dict()["verdicts"]


def test_review_rules_only_export_no_rows_and_the_check_says_so():
    rules = RuleSet((RULES.get("big-y"),))
    ev = evaluate_candidate(GOOD, rules, X, current=OLD, now=NOW)
    assert ev.n_examples == 0 and ev.passed
    assert ev.regression.results[0].summary == "no rule rows to check"


def test_bad_input_is_refused_clearly():
    with pytest.raises(ParameterError, match="not both"):
        evaluate_candidate(GOOD, RULES, X, now=NOW)
    with pytest.raises(ParameterError, match="not both"):
        evaluate_candidate(GOOD, RULES, X, current=OLD, predictions=np.ones(6), now=NOW)
    with pytest.raises(ParameterError, match="RuleSet"):
        evaluate_candidate(GOOD, RULES.to_dict(), X, current=OLD, now=NOW)
    missing = RuleSet.from_dict({"rules": [{"id": "z", "condition": "z > 1",
                                            "action": "review", "owner": "o", "reason": "r"}]})
    with pytest.raises(SchemaError, match="z"):
        evaluate_candidate(GOOD, missing, X, current=OLD, now=NOW)
