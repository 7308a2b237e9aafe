import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from stalwart import CHECKS, Status, Suite
from stalwart.checks.explain import explain_suite_run, explainability_suite
from stalwart.checks.explain.suite import _load
from stalwart.exceptions import ParameterError

_load()


def _frame(seed, n=600, leak=False):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 5)), columns=["a", "b", "c", "d", "customer_id"])
    logit = 1.5 * X["a"] - X["b"] + 0.8 * X["c"]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    if leak:
        X["customer_id"] = y + rng.normal(scale=0.05, size=n)  # the label hides in an id
    return X.assign(y=y)


@pytest.fixture(scope="module")
def honest():
    train, test = _frame(0), _frame(1)
    return LogisticRegression().fit(train.drop(columns="y"), train["y"]), train, test


def test_honest_model_passes_both_checks(honest):
    model, train, test = honest
    result = explain_suite_run(test, model=model, target="y", reference=train,
                               options={"feature_importance": {"forbidden": ["customer_id"],
                                                               "top_k": 3}})
    fi, st, cf = result.results
    assert fi.status is Status.PASS and st.status is Status.PASS, (fi.summary, st.summary)
    # no feature is frozen: every sampled rejected row has a counterfactual
    assert cf.check == "counterfactual_feasibility" and cf.status is Status.PASS
    assert cf.metrics["n_examined"] == 50 and cf.metrics["feasible_share"] == 1.0
    assert fi.metrics["n_forbidden_in_top_k"] == 0 and fi.metrics["n_important"] >= 3
    assert fi.tables[0].rows[0][1] == "a" and fi.charts[0].data["labels"][:3] == ["a", "b", "c"]
    assert 0 < fi.metrics["top_share"] < 0.8
    assert st.metrics["spearman"] >= 0.6 and st.metrics["jaccard"] == 1.0
    json.dumps(result.to_dict())


def test_leaky_feature_warns_and_forbidden_feature_fails():
    train, test = _frame(0, leak=True), _frame(1, leak=True)
    model = LogisticRegression().fit(train.drop(columns="y"), train["y"])
    result = explain_suite_run(test, model=model, target="y", checks=["feature_importance"],
                               options={"feature_importance": {"forbidden": ["customer_id"],
                                                               "top_k": 3}})
    r = result.results[0]
    assert r.metrics["top_share"] > 0.8 and r.metrics["n_forbidden_in_top_k"] == 1
    outcomes = {c.description: c.status for c in r.conditions}
    assert Status.WARN in outcomes.values() and Status.FAIL in outcomes.values()
    assert r.status is Status.FAIL and "customer_id" in r.summary


def test_stability_fails_when_the_model_leans_on_other_features(honest):
    model, train, test = honest
    moved = test.copy()
    moved["a"] = 0.0  # the leading feature stops varying in the data
    moved["b"] = 0.0
    r = explain_suite_run(moved, model=model, target="y", reference=train,
                          checks=["importance_stability"],
                          options={"importance_stability": {"top_k": 2}}).results[0]
    assert r.metrics["spearman"] < 0.6 and r.status is Status.FAIL
    assert r.metrics["n_left"] >= 1 and r.metrics["n_disjoint_intervals"] >= 2


def test_needs_skip_and_names_are_checked(honest):
    model, train, test = honest
    r = Suite("s", [CHECKS.get("importance_stability")()]).run(test, model=model,
                                                               target="y").results[0]
    assert r.status is Status.SKIP and "reference" in r.summary
    r = Suite("s", [CHECKS.get("feature_importance")()]).run(test, target="y").results[0]
    assert r.status is Status.SKIP
    with pytest.raises(ParameterError):
        explainability_suite(checks=["nope"])
    assert [c.name for c in explainability_suite().checks] == [
        "feature_importance", "importance_stability", "counterfactual_feasibility"]


def test_deterministic(honest):
    model, train, test = honest

    def run():
        d = explain_suite_run(test, model=model, target="y", reference=train,
                              random_state=3).to_dict()
        for r in d["results"]:
            r["duration_s"] = 0
        d["duration_s"], d["started_at"] = 0, ""
        return d

    assert run() == run()


def test_forbidden_feature_the_model_ignores_does_not_fail_and_a_string_is_one_name(honest):
    from sklearn.compose import make_column_transformer
    from sklearn.pipeline import make_pipeline

    _, train, test = honest
    X = train.drop(columns="y")
    # the pipeline drops customer_id: importance exactly 0, yet rank <= top_k=10 of 5 features
    model = make_pipeline(make_column_transformer(("drop", ["customer_id"]),
                                                  remainder="passthrough"),
                          LogisticRegression()).fit(X, train["y"])
    r = explain_suite_run(test, model=model, target="y", checks=["feature_importance"],
                          options={"feature_importance": {
                              "forbidden": ["customer_id", "ssn"]}}).results[0]
    assert r.metrics["n_forbidden_in_top_k"] == 0 and r.status is Status.PASS, r.summary
    assert "not features of the model: ['ssn']" in r.summary
    # a plain string is one column name, not a set of letters
    leaky_train, leaky_test = _frame(0, leak=True), _frame(1, leak=True)
    leaky = LogisticRegression().fit(leaky_train.drop(columns="y"), leaky_train["y"])
    r = explain_suite_run(leaky_test, model=leaky, target="y", checks=["feature_importance"],
                          options={"feature_importance": {"forbidden": "customer_id",
                                                          "top_k": 1}}).results[0]
    assert r.metrics["n_forbidden_in_top_k"] == 1 and r.status is Status.FAIL


def test_degenerate_importance_is_said_in_the_summary(honest):
    from sklearn.dummy import DummyClassifier

    _, train, test = honest
    constant = DummyClassifier(strategy="prior").fit(train.drop(columns="y"), train["y"])
    r = explain_suite_run(test, model=constant, target="y",
                          checks=["feature_importance"]).results[0]
    assert r.status is Status.SKIP and "nan" not in r.summary
    assert "no feature has a positive importance" in r.summary
    assert "constant model" in r.summary
    model, _, _ = honest
    r = explain_suite_run(test.iloc[:20], model=model, target="y", reference=train,
                          checks=["importance_stability"]).results[0]
    assert "data: only 20 rows" in r.summary
