"""Cross-check against an independent implementation: MAPIE 1.x on the same data.

Skipped when MAPIE is not installed (it is in the ``dev`` extra).
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import KFold

from stalwart.uncertainty.conformal import (
    ConformalizedQuantileRegressor,
    CrossConformalRegressor,
    SplitConformalClassifier,
    SplitConformalRegressor,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    mapie_classification = pytest.importorskip("mapie.classification")
    mapie_regression = pytest.importorskip("mapie.regression")

ALPHA = 0.1


@pytest.fixture(scope="module")
def classification():
    X, y = make_classification(n_samples=1500, n_classes=4, n_informative=5, n_redundant=0,
                               n_clusters_per_class=1, class_sep=0.7, random_state=0)
    model = LogisticRegression(max_iter=500).fit(X[:500], y[:500])
    return model, X[500:1000], y[500:1000], X[1000:], y[1000:]


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(1200, 2))
    y = X[:, 0] ** 2 + X[:, 1] + rng.normal(size=1200) * (0.3 + np.abs(X[:, 0]))
    return X, y


def _mapie_sets(model, score, X_cal, y_cal, X_test):
    mp = mapie_classification.SplitConformalClassifier(
        model, confidence_level=1 - ALPHA, conformity_score=score, prefit=True,
        random_state=0)
    _, sets = mp.conformalize(X_cal, y_cal).predict_set(X_test)
    return sets[:, :, 0]


def test_lac_sets_are_identical_to_mapie(classification):
    model, X_cal, y_cal, X_test, y_test = classification
    ours = SplitConformalClassifier(model, alpha=ALPHA, score="lac").conformalize(X_cal, y_cal)
    theirs = _mapie_sets(model, "lac", X_cal, y_cal, X_test)
    assert np.array_equal(ours.predict_set(X_test), theirs)
    assert ours.evaluate(X_test, y_test).mean_size == pytest.approx(theirs.sum(axis=1).mean())


def test_aps_sets_are_no_larger_than_mapie(classification):
    model, X_cal, y_cal, X_test, y_test = classification
    theirs = _mapie_sets(model, "aps", X_cal, y_cal, X_test).sum(axis=1).mean()
    # MAPIE calibrates with randomised APS scores and predicts with the last label always
    # included; our randomised APS removes that label when its own draw says so.
    sizes = [SplitConformalClassifier(model, alpha=ALPHA, score="aps", randomized=True,
                                      random_state=s).conformalize(X_cal, y_cal)
             .evaluate(X_test, y_test).mean_size for s in range(10)]
    assert np.mean(sizes) <= theirs + 0.02
    # the exact inverse of the non-randomised score is no larger either; keeping the label
    # that crosses the threshold (Romano et al.'s non-randomised sets) costs more
    plain = SplitConformalClassifier(model, alpha=ALPHA, score="aps").conformalize(X_cal, y_cal)
    assert plain.evaluate(X_test, y_test).mean_size <= theirs + 0.02


def test_absolute_residual_width_equals_mapie(regression):
    X, y = regression
    model = LinearRegression().fit(X[:400], y[:400])
    ours = SplitConformalRegressor(model, alpha=ALPHA).conformalize(X[400:800], y[400:800])
    mp = mapie_regression.SplitConformalRegressor(model, confidence_level=1 - ALPHA,
                                                  prefit=True)
    _, theirs = mp.conformalize(X[400:800], y[400:800]).predict_interval(X[800:])
    assert np.allclose(ours.predict_interval(X[800:]), theirs[:, :, 0])


def test_cqr_width_no_larger_than_mapie(regression):
    X, y = regression
    fitted = [GradientBoostingRegressor(loss="quantile", alpha=a, n_estimators=60,
                                        max_depth=2, random_state=0).fit(X[:400], y[:400])
              for a in (ALPHA / 2, 1 - ALPHA / 2, 0.5)]
    ours = ConformalizedQuantileRegressor(fitted[0], fitted[1], alpha=ALPHA)
    ours.conformalize(X[400:800], y[400:800])
    mp = mapie_regression.ConformalizedQuantileRegressor(fitted, confidence_level=1 - ALPHA,
                                                         prefit=True)
    _, theirs = mp.conformalize(X[400:800], y[400:800]).predict_interval(X[800:])
    ours_iv, theirs_iv = ours.predict_interval(X[800:]), theirs[:, :, 0]
    width_ours = np.mean(ours_iv[:, 1] - ours_iv[:, 0])
    width_theirs = np.mean(theirs_iv[:, 1] - theirs_iv[:, 0])
    assert width_ours <= width_theirs * 1.01
    assert width_ours == pytest.approx(width_theirs, rel=0.05)


def test_cv_plus_intervals_equal_mapie_on_the_same_folds(regression):
    X, y = regression
    ours = CrossConformalRegressor(LinearRegression(), alpha=ALPHA, cv=5, random_state=0)
    ours.fit_conformalize(X[:300], y[:300])
    mp = mapie_regression.CrossConformalRegressor(
        LinearRegression(), confidence_level=1 - ALPHA, method="plus",
        cv=KFold(5, shuffle=True, random_state=0))
    _, theirs = mp.fit_conformalize(X[:300], y[:300]).predict_interval(X[300:])
    assert np.allclose(ours.predict_interval(X[300:]), theirs[:, :, 0])
