"""Uncertainty scores from probabilities and from ensemble members."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import entropy
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    BaggingClassifier,
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression

from stalwart.exceptions import DataError, ModelError, ParameterError
from stalwart.models import wrap
from stalwart.uncertainty.scores import (
    _member_inputs,
    _member_proba,
    ensemble_spread,
    least_confidence,
    margin_uncertainty,
    predictive_entropy,
    uncertainty_score,
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(300, n_features=5, n_informative=3, n_classes=3,
                               random_state=0)
    return X, y


def test_entropy_matches_scipy_and_closed_forms():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(4), 50)
    np.testing.assert_allclose(predictive_entropy(p), entropy(p, axis=1))
    uniform_and_certain = np.array([[0.25] * 4, [1.0, 0.0, 0.0, 0.0]])
    np.testing.assert_allclose(predictive_entropy(uniform_and_certain), [np.log(4), 0.0])
    np.testing.assert_allclose(predictive_entropy(uniform_and_certain, normalize=True),
                               [1.0, 0.0])


def test_margin_and_least_confidence():
    p = np.array([[0.6, 0.3, 0.1], [0.4, 0.4, 0.2], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(margin_uncertainty(p), [0.7, 1.0, 0.0])
    np.testing.assert_allclose(least_confidence(p), [0.4, 0.6, 0.0])
    np.testing.assert_allclose(least_confidence(np.array([0.2, 0.9])), [0.2, 0.1])
    np.testing.assert_allclose(uncertainty_score(p, method="margin"), margin_uncertainty(p))
    with pytest.raises(ParameterError, match="method"):
        uncertainty_score(p, method="mutual_information")
    with pytest.raises(DataError, match="sum to 1"):
        predictive_entropy(np.array([[0.5, 0.6]]))


@pytest.mark.parametrize("make", [
    lambda: RandomForestClassifier(n_estimators=15, random_state=0),
    lambda: ExtraTreesClassifier(n_estimators=15, random_state=0),
    lambda: BaggingClassifier(LogisticRegression(), n_estimators=10, max_features=0.6,
                              random_state=0),
])
def test_member_probabilities_average_to_the_ensemble(data, make):
    X, y = data
    model = make().fit(X, y)
    inputs = _member_inputs(model, X)
    probs = np.stack([_member_proba(m, x, 3) for m, x in zip(model.estimators_, inputs)])
    np.testing.assert_allclose(probs.mean(axis=0), model.predict_proba(X), atol=1e-12)
    spread = ensemble_spread(model, X)
    np.testing.assert_allclose(spread, probs.var(axis=0).sum(axis=1))
    assert spread.shape == (300,) and np.all(spread >= 0)


def test_disagreement_closed_form_and_frames(data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    rf = RandomForestClassifier(n_estimators=9, max_depth=3, random_state=0).fit(frame, y)
    d = ensemble_spread(rf, frame.iloc[:, ::-1], kind="disagreement")  # order restored
    votes = np.stack([t.predict(X).astype(int) for t in rf.estimators_])
    majority = np.array([np.bincount(v, minlength=3).max() for v in votes.T])
    np.testing.assert_allclose(d, 1 - majority / 9)
    assert d.max() <= 1 - 1 / 3 + 1e-12
    assert np.all(ensemble_spread(wrap(rf), frame)[d == 0] < 0.2)


def test_spread_is_larger_off_the_training_data(data):
    X, y = data
    rf = RandomForestRegressor(n_estimators=20, random_state=0).fit(X, X[:, 0] * 3.0)
    inside = ensemble_spread(rf, X[:50])
    outside = ensemble_spread(rf, X[:50] + np.array([8.0, 0, 0, 0, 0]))
    np.testing.assert_allclose(
        inside, np.var([t.predict(X[:50]) for t in rf.estimators_], axis=0))
    assert outside.mean() > inside.mean()
    with pytest.raises(ParameterError, match="regression"):
        ensemble_spread(rf, X, kind="disagreement")


def test_models_without_members_are_refused(data):
    X, y = data
    with pytest.raises(ModelError, match="estimators_"):
        ensemble_spread(LogisticRegression().fit(X, y), X)
    gb = GradientBoostingClassifier(n_estimators=5, random_state=0).fit(X, y)
    with pytest.raises(ModelError, match="boosting"):
        ensemble_spread(gb, X)
    Xr, yr = make_regression(50, n_features=3, random_state=0)
    with pytest.raises(ParameterError, match="kind"):
        ensemble_spread(RandomForestRegressor(n_estimators=3).fit(Xr, yr), Xr, kind="std")
