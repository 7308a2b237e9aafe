"""Counterfactuals flip the decision and respect every constraint (issue 7)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from stalwart.checks.explain.counterfactual_page import counterfactual_page
from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.explain.counterfactual import Counterfactuals, counterfactuals

WEIGHTS = np.array([2.0, -1.0, 0.5, 0.25])
SCALES = np.array([1.0, 3.0, 0.5, 10.0])


@pytest.fixture(scope="module")
def linear():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(800, 4)) * SCALES, columns=["a", "b", "c", "d"])
    y = ((X.to_numpy() / SCALES) @ WEIGHTS + 0.3 * rng.normal(size=800) > 0).astype(int)
    model = LogisticRegression(C=100.0).fit(X, y)
    rejected = X[model.predict(X) == 0].iloc[:12].reset_index(drop=True)
    return X, model, rejected


@pytest.fixture(scope="module")
def adult():
    rng = np.random.default_rng(1)
    n = 900
    X = pd.DataFrame({"age": rng.integers(18, 70, n),
                      "hours": rng.integers(10, 60, n).astype(float),
                      "education": rng.choice(["school", "bachelor", "master"], n),
                      "job": rng.choice(["clerk", "tech", "manager", "sales"], n),
                      "capital": np.round(rng.exponential(1000, n), 2)})
    score = (0.04 * (X["age"] - 40) + 0.06 * (X["hours"] - 35)
             + X["education"].map({"school": -1.0, "bachelor": 0.3, "master": 1.0})
             + X["job"].map({"clerk": -0.5, "tech": 0.4, "manager": 0.8, "sales": 0.0})
             + X["capital"] / 2000)
    y = (score + 0.3 * rng.normal(size=n) > 0.2).astype(int)
    return X, y


def _check_constraints(result, model, X, *, immutable=(), ranges=None, integer=(),
                       increase_only=()):
    n_seen = 0
    for q in result.queries:
        for cf in q.counterfactuals:
            n_seen += 1
            row = pd.DataFrame([cf.values])[list(X.columns)]
            assert model.predict(row)[0] == cf.prediction != q.prediction
            assert cf.valid and cf.sparsity == len(cf.changes) >= 1
            for c in immutable:
                assert cf.values[c] == q.original[c]
            for c, (lo, hi) in (ranges or {}).items():
                if cf.values[c] != q.original[c]:
                    assert lo <= cf.values[c] <= hi
            for c in integer:
                assert float(cf.values[c]) == round(float(cf.values[c]))
            for c in increase_only:
                assert cf.values[c] >= q.original[c]
            for c in X.columns:
                if not pd.api.types.is_numeric_dtype(X[c]):
                    assert cf.values[c] in set(X[c])
            assert {ch.feature for ch in cf.changes} == {
                c for c in X.columns if cf.values[c] != q.original[c]}
    return n_seen


def test_linear_counterfactuals_flip_and_are_near_the_closed_form_minimum(linear):
    X, model, rejected = linear
    cf = Counterfactuals().fit(model, X)
    res = cf.explain(rejected, n=3, random_state=0)
    assert _check_constraints(res, model, X) == 3 * len(rejected)
    w, b = model.coef_[0], model.intercept_[0]
    scale = cf.space_.scale
    for q, (_, x) in zip(res.queries, rejected.iterrows(), strict=True):
        assert q.status == "found" and len(q.counterfactuals) == 3
        margin = -(x.to_numpy() @ w + b)
        # minimal scaled L1 change of a linear score: the single most efficient feature
        # within its range (an LP optimum lies at a vertex)
        room = np.where(w > 0, X.max() - x, x - X.min()).astype(float)
        need = margin / np.abs(w)
        cost = np.where(need <= room, need / scale, np.inf)
        best = cost.min()
        first = q.counterfactuals[0]
        assert best * (1 - 1e-6) <= first.distance <= best * 1.02
        assert first.sparsity == 1
        # diverse: three different sets of changed features
        sets = {frozenset(c.feature for c in cf_.changes) for cf_ in q.counterfactuals}
        assert len(sets) == 3 and q.diversity > 0.3
    assert res.validity == 1.0 and res.n_feasible == len(rejected)


def test_immutable_ranges_and_direction_are_respected(linear):
    X, model, rejected = linear
    ranges = {"b": (-2.0, 2.0), "d": (-5.0, 5.0)}
    res = counterfactuals(model, X, rejected, n=3, immutable=["a"], ranges=ranges,
                          increase_only=["c"], random_state=3)
    assert _check_constraints(res, model, X, immutable=["a"], ranges=ranges,
                              increase_only=["c"]) > 0
    assert all(q.status in ("found", "partial", "infeasible") for q in res.queries)
    for q in res.queries:
        if q.status == "infeasible":
            assert q.blocked_by and "no feasible change" in q.message


def test_tree_ensemble_with_integer_categorical_and_ranges(adult):
    X, y = adult
    Xn = X.assign(education=X["education"].map({"school": 0, "bachelor": 1, "master": 2}),
                  job=X["job"].map({"clerk": 0, "tech": 1, "manager": 2, "sales": 3}))
    model = RandomForestClassifier(n_estimators=30, max_depth=6, random_state=0).fit(Xn, y)
    rejected = Xn[model.predict(Xn) == 0].iloc[:8]
    ranges = {"hours": (10.0, 50.0)}
    res = counterfactuals(model, Xn, rejected, n=3, immutable=["age"], ranges=ranges,
                          categorical=["education", "job"], random_state=0)
    assert res.features[0]["integer"] and not res.features[4]["integer"]  # age, capital
    n = _check_constraints(res, model, Xn, immutable=["age"], ranges=ranges,
                           integer=["age", "hours"])
    assert n >= 2 * len(rejected)
    for q in res.queries:  # categories coded as numbers stay codes seen in training
        for cf in q.counterfactuals:
            assert cf.values["education"] in (0, 1, 2) and cf.values["job"] in (0, 1, 2, 3)
    assert res.mean_sparsity <= 3


def test_pipeline_with_one_hot_categoricals(adult):
    X, y = adult
    pre = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"),
                              ["education", "job"])], remainder="passthrough")
    model = make_pipeline(pre, LogisticRegression(max_iter=2000)).fit(X, y)
    rejected = X[model.predict(X) == 0].iloc[:6]
    res = counterfactuals(model, X, rejected, n=3, immutable=["age"], random_state=0)
    assert _check_constraints(res, model, X, immutable=["age"], integer=["age"]) >= 12
    changed = {c.feature for q in res.queries for cf in q.counterfactuals for c in cf.changes}
    assert {"education", "job"} & changed  # categories do move
    d = res.to_dict()
    assert json.loads(json.dumps(d)) == d and d["schema_version"] == "1.0"
    page = counterfactual_page(res)
    assert "→" in page and "counterfactual 3" in page


def test_infeasible_names_the_blocking_constraint(linear):
    X, model, rejected = linear
    # only 'a' is mutable and it may only decrease, which pushes the score further down
    res = counterfactuals(model, X, rejected.iloc[:2], n=2, immutable=["b", "c", "d"],
                          decrease_only=["a"])
    for q in res.queries:
        assert q.status == "infeasible" and q.counterfactuals == ()
        assert q.blocked_by == ("immutable", "direction")
        assert "decrease_only ['a']" in q.message
    assert res.n_infeasible == 2 and res.validity is None
    assert "2 of 2 query rows infeasible" in res.warnings
    with pytest.raises(ParameterError, match="blocked by immutable .* and by the directions"):
        counterfactuals(model, X, rejected.iloc[:1], immutable=["b", "c", "d"],
                        decrease_only=["a"], on_infeasible="raise")
    res = counterfactuals(model, X, rejected.iloc[:1], immutable=["a", "b", "c", "d"])
    assert res.queries[0].blocked_by == ("immutable",)
    assert "immutable ['a', 'b', 'c', 'd']" in res.queries[0].message


def test_already_target_regression_and_numpy_models():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(300, 3))
    reg = LinearRegression().fit(X, X @ np.array([1.0, 2.0, 0.0]))
    res = counterfactuals(reg, X, X[:3], n=2, target=(3.0, None), immutable=["x2"])
    for q, x in zip(res.queries, X[:3], strict=True):
        if x @ [1.0, 2.0, 0.0] >= 3.0:
            assert q.status == "already_target"
            continue
        for cf in q.counterfactuals:  # a numpy-fitted model: frames reach it as arrays
            assert reg.predict(np.array([list(cf.values.values())]))[0] >= 3.0
            assert cf.values["x2"] == q.original["x2"]
    clf = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
    row = X[X[:, 0] > 0][:1]
    assert counterfactuals(clf, X, row, target=1).queries[0].status == "already_target"


def test_same_seed_same_result(linear):
    X, model, rejected = linear
    cf = Counterfactuals(n_samples=50).fit(model, X, immutable=["a"])
    assert cf.explain(rejected.iloc[:3], random_state=5).to_dict() == \
        cf.explain(rejected.iloc[:3], random_state=5).to_dict()


@pytest.mark.parametrize("kwargs, match", [
    ({"immutable": ["zz"]}, "unknown columns"),
    ({"immutable": "a"}, "a list of column names"),
    ({"ranges": {"a": (2, 1)}}, "low <= high"),
    ({"ranges": {"a": "wide"}}, "a pair"),
    ({"increase_only": ["a"], "decrease_only": ["a"]}, "disjoint"),
])
def test_bad_constraints(linear, kwargs, match):
    X, model, _ = linear
    with pytest.raises(ParameterError, match=match):
        Counterfactuals().fit(model, X, **kwargs)


def test_bad_requests(linear, adult):
    X, model, rejected = linear
    with pytest.raises(StageError, match="before fit"):
        Counterfactuals().explain(rejected)
    cf = Counterfactuals().fit(model, X)
    with pytest.raises(ParameterError, match="integer >= 1"):
        cf.explain(rejected, n=0)
    with pytest.raises(ParameterError, match="model's classes"):
        cf.explain(rejected, target=7)
    with pytest.raises(DataError, match="NaN"):
        cf.explain(rejected.assign(a=np.nan))
    with pytest.raises(DataError, match="missing"):
        cf.explain(rejected.drop(columns="a"))
    with pytest.raises(ParameterError, match="interval"):
        counterfactuals(LinearRegression().fit(X, X["a"]), X, rejected)
    Xa, ya = adult
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(
        Xa.drop(columns=["education", "job"]), ya)
    with pytest.raises(ParameterError, match="categorical features"):
        Counterfactuals().fit(forest, Xa.drop(columns=["education", "job"]),
                              increase_only=["age"], categorical=["age"])
    pipe = make_pipeline(ColumnTransformer([("c", OneHotEncoder(handle_unknown="ignore"),
                                             ["education", "job"])],
                                           remainder="passthrough"),
                         RandomForestClassifier(n_estimators=5, random_state=0)).fit(Xa, ya)
    with pytest.raises(DataError, match="category seen in training"):
        counterfactuals(pipe, Xa, Xa.iloc[:1].assign(job="pilot"))
