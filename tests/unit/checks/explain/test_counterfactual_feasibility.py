"""counterfactual_feasibility: recourse share against a closed form, blocking constraints,
sampling, and bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from stalwart import CHECKS, Status, Suite
from stalwart.checks.explain.suite import _load

_load()


def _run(data, model, reference, **options):
    check = CHECKS.get("counterfactual_feasibility")(**options)
    return Suite("s", [check]).run(data, model=model, target="y", reference=reference,
                                   random_state=0).results[0]


@pytest.fixture(scope="module")
def linear():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(500, 3)), columns=["a", "b", "c"])
    y = (X["a"] + X["b"] + 0.3 * rng.normal(size=500) > 0).astype(int)
    model = LogisticRegression().fit(X, y)
    test = pd.DataFrame(rng.normal(size=(120, 3)), columns=["a", "b", "c"])
    return model, X.assign(y=y), test.assign(y=0)


def test_every_rejected_row_has_recourse_without_constraints(linear):
    model, train, test = linear
    r = _run(test, model, train, max_rows=500)
    rejected = int((model.predict(test[["a", "b", "c"]]) == 0).sum())
    assert r.status is Status.PASS, r.summary
    assert r.metrics["n_rejected"] == r.metrics["n_examined"] == rejected > 20
    assert r.metrics["feasible_share"] == 1.0 and r.metrics["n_infeasible"] == 0
    assert 1.0 <= r.metrics["mean_changed_features"] <= 2.0
    assert r.tables[0].title.startswith("Nearest") and json.dumps(r.to_dict())


def test_share_matches_the_closed_form_under_a_range_and_an_immutable_feature(linear):
    model, train, test = linear
    r = _run(test, model, train, immutable=["b", "c"], ranges={"a": (-3.0, 0.5)},
             max_rows=500)
    # feasible iff raising a to its bound 0.5 crosses the linear boundary
    X = test[["a", "b", "c"]]
    rejected = X[model.predict(X) == 0]
    at_bound = rejected.assign(a=np.maximum(rejected["a"], 0.5))
    expected = float(np.mean(at_bound.to_numpy() @ model.coef_[0] + model.intercept_[0] > 0))
    assert 0.2 < expected < 0.8
    assert r.metrics["feasible_share"] == pytest.approx(expected)
    assert r.status is Status.WARN
    blocked = r.tables[0]
    assert blocked.title.startswith("Rows without") and blocked.total_rows == \
        r.metrics["n_infeasible"]
    assert all("ranges" in row[1] for row in blocked.rows)  # lifting the range would help


def test_a_frozen_deciding_feature_blocks_every_row_and_says_so():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    model = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, X["a"] > 0)
    test = X.iloc[:60].assign(y=0)
    r = _run(test, model, X.assign(y=0), immutable=["a"], unfavourable=False)
    assert r.metrics["feasible_share"] == 0.0 and r.status is Status.WARN
    assert r.metrics["mean_changed_features"] is None
    assert {row[1] for row in r.tables[0].rows} == {"immutable"}
    assert "blocked, by immutable" in r.summary


def test_sample_is_seeded_and_bounded(linear):
    model, train, test = linear
    first, second = (_run(test, model, train, max_rows=7) for _ in range(2))
    assert first.metrics["n_examined"] == 7 and "seeded sample" in first.summary
    assert first.to_dict()["tables"] == second.to_dict()["tables"]


def test_nobody_rejected_skips_the_condition(linear):
    _, train, test = linear
    always = DummyClassifier(strategy="constant", constant=1).fit(train[["a", "b", "c"]],
                                                                   train["y"])
    r = _run(test, always, train)
    assert r.status is Status.SKIP and r.metrics["feasible_share"] is None
    assert "nothing to examine" in r.summary


def test_bad_input_is_an_error_with_a_fix(linear):
    model, train, test = linear
    r = _run(test, model, train, unfavourable="no")
    assert r.status is Status.ERROR and "one of the model's classes" in r.summary
    r = _run(test, model, train, max_rows=0)
    assert r.status is Status.ERROR and "max_rows" in r.summary
    three = LogisticRegression().fit(train[["a", "b", "c"]], np.arange(len(train)) % 3)
    r = _run(test, three, train)
    assert r.status is Status.ERROR and "pass unfavourable=0" in r.summary
    reg = LinearRegression().fit(train[["a", "b", "c"]], train["a"])
    r = _run(test, reg, train)
    assert r.status is Status.ERROR and "a classifier" in r.summary
    r = Suite("s", [CHECKS.get("counterfactual_feasibility")()]).run(
        test, model=model, target="y").results[0]
    assert r.status is Status.SKIP and "reference" in r.summary
