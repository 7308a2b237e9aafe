"""Multivariate drift: false-alarm rates under no drift (binomial bounds over seeded
repetitions) and power on planted covariate, correlation and label shifts."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from stalwart.drift.multivariate import (
    BBSDDrift,
    DomainClassifierDrift,
    MMDDrift,
    PCAReconstructionDrift,
)
from stalwart.drift.univariate import detect_drift

ALPHA = 0.05


def _bounds(n_runs, rate=ALPHA, tail=0.001):
    """Rejection-rate interval that a level-``rate`` test leaves with prob. 1 - 2 * tail."""
    lo, hi = stats.binom.ppf([tail, 1 - tail], n_runs, rate)
    return lo / n_runs, hi / n_runs


def _mean_shift(rng, n, shift, d=10, shifted=(3, 7)):
    x = rng.normal(size=(n, d))
    x[:, list(shifted)] += shift
    return x


def _correlation(rng, n, rho, d=5):
    """Columns 0 and 1 have correlation ``rho``; every marginal is N(0, 1)."""
    x = rng.normal(size=(n, d))
    x[:, 1] = rho * x[:, 0] + np.sqrt(1 - rho ** 2) * x[:, 1]
    return x


@pytest.mark.parametrize("method,n,n_runs", [("permutation", 40, 200), ("linear", 200, 200)])
def test_mmd_false_alarm_rate(method, n, n_runs):
    rng = np.random.default_rng(11)
    p = np.array([MMDDrift(method=method, n_permutations=99, random_state=i)
                  .fit(rng.normal(size=(n, 3))).detect(rng.normal(size=(n, 3))).p_value
                  for i in range(n_runs)])
    lo, hi = _bounds(n_runs)
    # with 99 permutations the exact test rejects at p <= 4/100 (level 0.04)
    assert lo <= np.mean(p < ALPHA) <= hi
    assert np.mean(p < 0.5) == pytest.approx(0.5, abs=0.1)  # p roughly uniform


def test_mmd_power_on_a_half_sd_shift_in_two_of_ten_features():
    rng = np.random.default_rng(12)
    hits = [MMDDrift(n_permutations=99, random_state=i).fit(_mean_shift(rng, 200, 0.0))
            .detect(_mean_shift(rng, 200, 0.5)).drifted for i in range(20)]
    assert np.mean(hits) >= 0.9


def test_correlation_change_missed_by_univariate_tests_is_caught():
    rng = np.random.default_rng(13)
    ref, cur = _correlation(rng, 400, 0.8), _correlation(rng, 400, -0.8)
    names = [f"f{j}" for j in range(5)]
    report = detect_drift(pd.DataFrame(ref, columns=names), pd.DataFrame(cur, columns=names))
    assert report.drifted == ()  # unchanged marginals: no column drifts
    mmd = MMDDrift().fit(ref).detect(cur)
    clf = DomainClassifierDrift().fit(ref).detect(cur)
    pca = PCAReconstructionDrift().fit(ref).detect(cur)
    assert mmd.drifted and mmd.p_value < 0.01
    assert clf.drifted and set(clf.top_features(2)) == {"x0", "x1"}
    assert pca.drifted and pca.statistic > 1.2


def test_linear_mmd_agrees_in_direction_with_the_quadratic_one():
    rng = np.random.default_rng(14)
    ref = rng.normal(size=(600, 4))
    quad, lin = [], []
    for shift in (0.0, 0.3, 0.6, 1.0):
        cur = rng.normal(size=(600, 4)) + [shift, 0, 0, 0]
        quad.append(MMDDrift(method="permutation", bandwidth=2.0, n_permutations=19)
                    .fit(ref).detect(cur).statistic)
        lin.append(MMDDrift(method="linear", bandwidth=2.0).fit(ref).detect(cur).statistic)
    assert abs(quad[0]) < 0.005 and abs(lin[0]) < 0.02
    assert np.all(np.diff(quad) > 0) and quad[-1] > 0.05
    assert np.all(np.array(lin[1:]) > 0) and lin[-1] > lin[1]
    assert lin[-1] == pytest.approx(quad[-1], rel=0.35)


def test_domain_classifier_false_alarm_rate():
    rng = np.random.default_rng(15)
    n_runs = 100
    p = np.array([DomainClassifierDrift(estimator=GaussianNB(), cv=3, random_state=i)
                  .fit(rng.normal(size=(60, 2))).detect(rng.normal(size=(60, 2))).p_value
                  for i in range(n_runs)])
    # the held-out Mann-Whitney test is exact
    lo, hi = _bounds(n_runs)
    assert lo <= np.mean(p < ALPHA) <= hi


def test_domain_classifier_ranks_the_shifted_features_first():
    rng = np.random.default_rng(16)
    for i in range(2):
        r = DomainClassifierDrift(random_state=i).fit(_mean_shift(rng, 300, 0.0)).detect(
            _mean_shift(rng, 300, 0.5))
        assert r.drifted and set(r.top_features(2)) == {"x3", "x7"}


def test_pca_false_alarm_rate():
    rng = np.random.default_rng(17)
    n_runs = 200
    p = np.array([PCAReconstructionDrift(random_state=i).fit(_correlation(rng, 200, 0.8))
                  .detect(_correlation(rng, 100, 0.8)).p_value for i in range(n_runs)])
    lo, hi = _bounds(n_runs)
    assert lo <= np.mean(p < ALPHA) <= hi


def _classes(rng, n, shares):
    y = rng.choice(3, n, p=shares)
    return rng.normal(size=(n, 2)) + np.array([[0, 0], [2, 0], [0, 2]])[y]


def test_bbsd_false_alarm_rate_and_label_shift_power():
    rng = np.random.default_rng(18)
    even = [1 / 3] * 3
    y = rng.choice(3, 900, p=even)
    X = rng.normal(size=(900, 2)) + np.array([[0, 0], [2, 0], [0, 2]])[y]
    det = BBSDDrift(LogisticRegression().fit(X, y)).fit(_classes(rng, 300, even))
    n_runs = 200
    false = np.mean([det.detect(_classes(rng, 150, even)).drifted for _ in range(n_runs)])
    # Bonferroni over three dependent outputs: at most alpha
    assert false <= _bounds(n_runs)[1]
    power = np.mean([det.detect(_classes(rng, 150, [0.7, 0.15, 0.15])).drifted
                     for _ in range(20)])
    assert power >= 0.9
