"""RuleSet: document, versions, validation, first-match application with exact counters."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError, ModelError, ParameterError, SchemaError
from stalwart.lifecycle.rules import Action, Rule, RuleSet

from ._replay import CLASSES, NOW, RULES, replay, rule


def test_apply_is_exact_on_a_hand_made_replay():
    X, pred, proba = replay()
    app = RULES.apply(X, pred, proba, now=NOW)
    # row by row, first match wins; "old" expired on 2026-01-01
    assert app.fired.tolist() == ["de-large", "unsure", None, None, "de-large", "unsure",
                                  "no-email", "de-large", "unsure", None]
    assert app.counts == {
        "de-large": {"hits": 3, "changed": 1, "rejected": 0, "routed": 0},  # rows 4, 7 were deny
        "unsure": {"hits": 3, "changed": 0, "rejected": 0, "routed": 3},
        "no-email": {"hits": 1, "changed": 0, "rejected": 1, "routed": 0},  # row 1 went to unsure
        "old": {"hits": 0, "changed": 0, "rejected": 0, "routed": 0},
    }
    assert app.changed == (0,) and app.routed == (1, 5, 8) and app.rejected == (6,)
    assert app.active == ("de-large", "unsure", "no-email") and app.expired == ("old",)
    assert app.traffic_share == 0.7 and app.changed_share == 0.1
    assert app.predictions.tolist() == ["deny", "approve", "approve", "deny", "deny",
                                        "approve", None, "deny", "approve", "approve"]
    # overrides put all the weight on the class; rejected rows have no probabilities
    np.testing.assert_allclose(app.proba[0], [0, 1, 0])
    assert np.isnan(app.proba[6]).all()
    np.testing.assert_allclose(app.proba[1], proba.iloc[1])
    assert len(app.matched) == 7


def test_first_match_order_decides():
    X, pred, proba = replay()
    swapped = RuleSet((RULES.get("unsure"), RULES.get("de-large")))
    app = swapped.apply(X, pred, proba, now=NOW)
    # the two rules match disjoint rows, so their order changes nothing
    assert app.counts["unsure"]["hits"] == 3 and app.counts["de-large"]["hits"] == 3
    both = RuleSet((Rule.from_dict(rule("de", 'country == "DE"', "review")),
                    RULES.get("de-large")))
    app = both.apply(X, pred, proba, now=NOW)
    assert app.counts["de"]["hits"] == 4 and app.counts["de-large"]["hits"] == 0
    flipped = RuleSet((RULES.get("de-large"), Rule.from_dict(rule("de", 'country == "DE"',
                                                                   "review"))))
    app = flipped.apply(X, pred, proba, now=NOW)
    assert app.counts["de-large"]["hits"] == 3 and app.counts["de"]["hits"] == 1


def test_expiry_is_at_the_start_of_the_date():
    X, pred, proba = replay()
    assert RULES.apply(X, pred, proba, now="2026-05-31").counts["de-large"]["hits"] == 3
    after = RULES.apply(X, pred, proba, now=dt.datetime(2026, 6, 1, 0, 0))
    assert after.counts["de-large"]["hits"] == 0 and "de-large" in after.expired
    assert [r.id for r in RULES.expired("2026-06-01")] == ["de-large", "old"]
    assert RULES.apply(X, pred, proba, now="2025-12-31").counts["old"]["hits"] > 0


def test_document_round_trip_and_versions():
    doc = json.loads(json.dumps(RULES.to_dict()))
    again = RuleSet.from_dict(doc)
    assert again == RULES and again.version == 4
    assert doc["rules"][0]["action"] == {"type": "override", "value": "deny"}
    assert doc["rules"][0]["expires"] == "2026-06-01"
    added = RULES.add(rule("new", "amount > 1", "review"))
    assert added.version == 5 and [r.id for r in added.rules][-1] == "new"
    assert RULES.version == 4 and len(RULES.rules) == 4  # the old version is unchanged
    removed = added.remove("old", "new")
    assert removed.version == 6 and [r.id for r in removed.rules] == ["de-large", "unsure",
                                                                    "no-email"]
    replaced = RULES.replace(rule("unsure", "proba_approve < 0.6", "review"))
    assert replaced.get("unsure").condition == "proba_approve < 0.6"
    first = RULES.add(rule("top", "amount > 1", "review"), position=0)
    assert first.rules[0].id == "top"


@pytest.mark.parametrize("bad, error, needle", [
    ({"rules": [rule("a", "x > 1", "review"), rule("a", "x > 2", "review")]}, ParameterError,
     "each id once"),
    ({"rules": [rule("a b", "x > 1", "review")]}, ParameterError, "rule id"),
    ({"rules": [{**rule("a", "x > 1", "review"), "owner": ""}]}, ParameterError, "owner"),
    ({"rules": [{"id": "a", "condition": "x > 1", "action": "review"}]}, ParameterError,
     "missing ['owner', 'reason']"),
    ({"rules": [rule("a", "x > 1", "explode")]}, ParameterError, "rule action"),
    ({"rules": [rule("a", "x > 1", "review", expires="soon")]}, ParameterError, "YYYY-MM-DD"),
    ({"rules": [rule("a", "x > 1", {"type": "override", "value": "d",
                                    "proba": {"d": 1.5, "a": -0.5}})]}, ParameterError,
     "probability in [0, 1]"),
    ({"rules": [rule("a", "x > 1", {"type": "override", "value": "d",
                                    "proba": {"d": 0.5, "a": 0.4}})]}, ParameterError,
     "summing to 1"),
    ({"rules": [rule("a", "x > 1", {"type": "review", "value": "d"})]}, ParameterError,
     "only override"),
    ({"rules": [], "version": 0}, ParameterError, "version"),
    ({"rules": [], "extra": 1}, ParameterError, "unknown keys"),
    ([], ParameterError, "rule set document"),
])
def test_bad_documents_are_refused(bad, error, needle):
    with pytest.raises(error) as err:
        RuleSet.from_dict(bad)
    assert needle in str(err.value)


def test_validation_refuses_missing_features_and_invalid_outputs_before_computing():
    X, pred, proba = replay()
    missing = RULES.add(rule("typo", "ammount > 5", "review"))
    with pytest.raises(SchemaError, match=r"rule 'typo' condition.*unknown name\(s\) "
                       r"\['ammount'\]"):
        missing.apply(X, pred, proba, now=NOW)
    unknown_class = RULES.add(rule("bad", "amount > 5", "set prediction = 'maybe'"))
    with pytest.raises(ParameterError, match=r"rule 'bad' override value: expected one of "
                       r"the model's classes \['approve', 'deny', 'review'\]; got 'maybe'"):
        unknown_class.apply(X, pred, proba, now=NOW)
    # an expired rule is still validated: it must be fixable before it is revived
    expired_bad = RuleSet((Rule.from_dict(rule("gone", "nope > 1", "review",
                                               expires="2020-01-01")),))
    with pytest.raises(SchemaError):
        expired_bad.apply(X, pred, proba, now=NOW)
    wrong_proba = RuleSet((Rule.from_dict(rule("p", "amount > 5", {
        "type": "override", "value": "deny", "proba": {"deny": 1.0}})),))
    with pytest.raises(ParameterError, match="one probability per class"):
        wrong_proba.apply(X, pred, proba, now=NOW)
    with pytest.raises(ModelError, match="class probabilities"):
        RULES.apply(X, pred, None, now=NOW)
    with pytest.raises(SchemaError, match="names different from the model's outputs"):
        RULES.apply(X.assign(prediction=1), pred, proba, now=NOW)
    with pytest.raises(DataError, match="one per input row"):
        RULES.apply(X, pred[:3], proba, now=NOW)
    with pytest.raises(SchemaError, match="number value compared with a text"):
        RuleSet((Rule.from_dict(rule("t", 'amount > "5"', "review")),)).apply(X, pred)


def test_validate_against_columns_and_classes():
    X, _, _ = replay()
    assert RULES.validate(X, classes=CLASSES) is RULES
    with pytest.raises(ParameterError, match="one of the model's classes"):
        RULES.validate(X, classes=["yes", "no"])
    assert RULES.validate(["country", "amount", "email", "plan"], classes=CLASSES)
    with pytest.raises(SchemaError, match="unknown name"):
        RULES.validate(["country"], classes=CLASSES)


def test_override_values_match_numeric_classes_and_regression():
    X = pd.DataFrame({"x": [1.0, 5.0, 9.0]})
    pred = np.array([0, 1, 1])
    proba = pd.DataFrame({"0": [0.8, 0.3, 0.1], "1": [0.2, 0.7, 0.9]})  # text class names
    rs = RuleSet((Rule.from_dict(rule("hi", "x > 4 and proba_1 > 0.8", {
        "type": "override", "value": "0", "proba": {"0": 0.6, "1": 0.4}})),))
    app = rs.apply(X, pred, proba, now=NOW)
    assert app.predictions.tolist() == [0, 1, 0] and app.predictions.dtype.kind == "i"
    assert app.counts["hi"] == {"hits": 1, "changed": 1, "rejected": 0, "routed": 0}
    np.testing.assert_allclose(app.proba[2], [0.6, 0.4])
    reg = RuleSet((Rule.from_dict(rule("cap", "prediction > 100", "set prediction = 100")),
                   Rule.from_dict(rule("neg", "x < 2", "reject"))))
    app = reg.apply(X, np.array([50.0, 150.0, 100.0]), now=NOW)
    assert app.predictions[1:].tolist() == [100.0, 100.0] and np.isnan(app.predictions[0])
    assert app.counts["cap"] == {"hits": 1, "changed": 1, "rejected": 0, "routed": 0}
    assert app.counts["neg"] == {"hits": 1, "changed": 0, "rejected": 1, "routed": 0}
    with pytest.raises(ParameterError, match="a number"):
        RuleSet((Rule.from_dict(rule("c", "x > 1", "set prediction = 'big'")),)).apply(
            X, np.array([1.0, 2.0, 3.0]), now=NOW)


def test_action_texts():
    assert Action.from_any("set prediction = 3") == Action.override(3)
    assert Action.from_any("Route to review") == Action.review()
    assert Action.from_any("reject and raise") == Action.reject(mode="raise")
    with pytest.raises(ParameterError):
        Action.from_any("set prediction = os.system('x')")
    with pytest.raises(ParameterError):
        Action.override(float("nan"))
    with pytest.raises(ParameterError):
        Action("review", mode="raise")


def test_empty_batch_and_no_rules():
    X, pred, proba = replay()
    app = RuleSet().apply(X, pred, proba, now=NOW)
    assert app.counts == {} and app.traffic_share == 0.0 and app.fired.tolist() == [None] * 10
    empty = RULES.apply(X.iloc[:0], pred[:0], proba.iloc[:0], now=NOW)
    assert empty.n_rows == 0 and empty.traffic_share == 0.0
    assert all(c["hits"] == 0 for c in empty.counts.values())


def test_result_json_and_html():
    X, pred, proba = replay()
    app = RULES.apply(X, pred, proba, now=NOW)
    d = json.loads(json.dumps(app.to_dict()))
    assert d["counts"]["unsure"]["routed"] == 3 and d["schema_version"] == "1"
    assert d["fired"][6] == "no-email" and d["predictions"][6] is None
    page = app.to_html()
    assert page.startswith("<!DOCTYPE html>") and "de-large" in page and "<svg" in page


def test_an_override_keeps_the_predictions_type_when_its_class_is_absent_from_the_batch():
    """Class names from probability headers are text; a model predicting integers gets 1,
    not "1", even when no row of the batch was predicted 1."""
    rules = RuleSet.from_dict({"rules": [{"id": "r", "condition": "amount > 1",
                                          "action": "set prediction = 1", "owner": "o",
                                          "reason": "x"}]})
    app = rules.apply(pd.DataFrame({"amount": [5, 0]}), np.array([0, 0]),
                      pd.DataFrame({"0": [0.9, 0.9], "1": [0.1, 0.1]}))
    assert app.classes == (0, 1)
    assert app.predictions.tolist() == [1, 0] and isinstance(app.predictions.tolist()[0], int)
