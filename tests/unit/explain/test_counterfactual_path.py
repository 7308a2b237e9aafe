"""Greedy margin paths: the knapsack order on a linear score, diverse branches, a model
without probabilities, and the margin a regressor's interval gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression, LogisticRegression, RidgeClassifier

from stalwart.explain.counterfactual import Counterfactuals
from stalwart.explain.counterfactual_path import greedy_paths
from stalwart.explain.counterfactual_space import FeatureSpace
from stalwart.explain.counterfactual_target import margin_of, resolve_targets
from stalwart.models import wrap


def _space(X, **kw):
    opts = {"immutable": [], "integer": [], "ranges": {}, "increase_only": [],
            "decrease_only": [], "categorical": None, **kw}
    return FeatureSpace.learn(X, **opts)


def test_first_path_is_the_fractional_knapsack_on_a_linear_score():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.uniform(0, 10, size=(500, 5)), columns=list("abcde"))
    space = _space(X)
    w = np.array([0.2, 1.0, 0.05, 0.6, 0.3])
    x = np.full(5, 1.0)
    need = 4.4  # b alone, d alone, or e and a (b and d barred) reach it

    def margin(Z, q):
        return (Z - x) @ w - need

    ends, calls, rows = greedy_paths(space, x[None, :], margin, branches=3)
    # by hand: efficiency w_j * MAD_j per unit of scaled L1; fill the best features to
    # their upper bound, in order, until the score turns positive
    order = np.argsort(-(w * space.scale))
    z, gained = x.copy(), 0.0
    for j in order:
        if gained > need:
            break
        z[j] = space.hi[j]
        gained += (z[j] - x[j]) * w[j]
    first = ends[0][0]
    assert np.allclose(first, z)
    assert margin(ends[0], None).min() > 0
    sets = {frozenset(np.flatnonzero(space.changed(x, e[None])[0]).tolist()) for e in ends[0]}
    assert len(sets) == len(ends[0]) == 3                   # the branches differ
    assert calls == 1 + int(space.changed(x, first[None]).sum()) and rows > 0


def test_paths_respect_immutable_and_direction():
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.uniform(0, 10, size=(300, 3)), columns=list("abc"))
    space = _space(X, immutable=["a"], decrease_only=["b"])
    x = np.array([5.0, 5.0, 5.0])
    ends, _, _ = greedy_paths(space, x[None, :], lambda Z, q: Z.sum(axis=1) - 20.5,
                              branches=2)
    assert len(ends[0]) == 0  # a frozen, b may only fall: 5 + 5 + 10 < 20.5 is out of reach
    ends, _, _ = greedy_paths(space, x[None, :], lambda Z, q: Z.sum(axis=1) - 19.0,
                              branches=2)
    assert len(ends[0]) == 1 and ends[0][0, 2] > 9.0  # c up: b barred or useless
    assert (ends[0][:, 0] == 5.0).all() and (ends[0][:, 1] <= 5.0).all()


def test_margin_is_log_odds_for_classifiers_and_depth_for_regressors():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 2))
    clf = wrap(LogisticRegression().fit(X, (X[:, 0] > 0).astype(int)))
    targets = resolve_targets(clf, None, np.array([0]))
    score = margin_of(clf, targets, lambda Z: Z)
    Z = np.array([[-1.0, 0.0], [2.0, 0.0]])
    p = clf.predict_proba(Z)
    assert np.allclose(score(Z, np.array([0, 0])), np.log(p[:, 1]) - np.log(p[:, 0]))
    reg = wrap(LinearRegression().fit(X, X[:, 0]))
    depth = margin_of(reg, resolve_targets(reg, (1.0, 3.0), np.array([0.0])), lambda Z: Z)
    assert np.allclose(depth(np.array([[0.0, 0], [2.0, 0], [5.0, 0]]), np.zeros(3, int)),
                       [-1.0, 1.0, -2.0], atol=1e-9)
    ridge = wrap(RidgeClassifier().fit(X, (X[:, 0] > 0).astype(int)))  # no probabilities
    assert margin_of(ridge, resolve_targets(ridge, None, np.array([0])), lambda Z: Z) is None


def test_a_model_without_probabilities_still_gets_valid_diverse_counterfactuals():
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(400, 4)), columns=list("abcd"))
    model = RidgeClassifier().fit(X, (X["a"] + X["b"] > 0).astype(int))
    rejected = X[model.predict(X) == 0].iloc[:5]
    res = Counterfactuals().fit(model, X).explain(rejected, n=3, random_state=0)
    for q in res.queries:
        assert q.status == "found"
        sets = {frozenset(c.feature for c in cf.changes) for cf in q.counterfactuals}
        assert len(sets) == 3
        frame = pd.DataFrame([cf.values for cf in q.counterfactuals])
        assert (model.predict(frame) == 1).all()
