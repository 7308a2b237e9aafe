"""Risk-coverage curves, AURC and the abstention rule."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import binomtest

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.uncertainty.abstention import (
    AbstentionRule,
    clopper_pearson_upper,
    risk_coverage_curve,
)


def _direct_aurc(u, e):
    order = np.argsort(u, kind="stable")
    e = np.asarray(e, dtype=float)[order]
    return np.mean([e[:k].mean() for k in range(1, e.size + 1)])


def test_perfect_ranking_gives_a_monotone_curve_and_closed_form_aurc():
    n, m = 20, 5  # the 5 errors have the 5 highest uncertainties
    u = np.arange(n, dtype=float)
    e = (u >= n - m).astype(int)
    curve = risk_coverage_curve(u, e)
    risk = np.array(curve.risk)
    assert np.all(np.diff(risk) >= 0)
    np.testing.assert_allclose(curve.coverage, np.arange(1, n + 1) / n)
    closed = sum((k - (n - m)) / k for k in range(n - m + 1, n + 1)) / n
    assert curve.aurc == pytest.approx(closed)
    # the reversed ranking is the worst one
    assert risk_coverage_curve(-u, e).aurc > curve.aurc
    json.dumps(curve.to_dict())


@pytest.mark.parametrize("errors, expected", [(0, 0.0), (1, 1.0)])
def test_aurc_of_all_right_or_all_wrong(errors, expected):
    u = np.random.default_rng(0).uniform(size=30)
    assert risk_coverage_curve(u, np.full(30, errors)).aurc == pytest.approx(expected)


def test_aurc_matches_direct_computation_and_handles_ties():
    rng = np.random.default_rng(1)
    u = rng.uniform(size=200)
    e = (rng.uniform(size=200) < u).astype(int)
    assert risk_coverage_curve(u, e).aurc == pytest.approx(_direct_aurc(u, e))
    # all tied: every order is equally likely; expected AURC is the error rate
    tied = risk_coverage_curve(np.zeros(10), [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    assert tied.aurc == pytest.approx(0.1)
    assert tied.coverage == (1.0,) and tied.risk == (pytest.approx(0.1),)
    # two tie groups: mean over the orders inside each tie, by enumeration
    u2, e2 = np.array([0, 0, 1, 1.0]), np.array([1, 0, 0, 1])
    orders = [[0, 1, 2, 3], [1, 0, 2, 3], [0, 1, 3, 2], [1, 0, 3, 2]]
    expected = np.mean([_direct_aurc(np.argsort(o), e2) for o in orders])
    assert risk_coverage_curve(u2, e2).aurc == pytest.approx(expected)


def test_clopper_pearson_upper_matches_scipy_binomtest():
    for k, n in [(0, 30), (3, 50), (10, 10)]:
        ref = binomtest(k, n).proportion_ci(confidence_level=0.9, method="exact").high
        # a two-sided 90% interval's upper end is the one-sided 95% bound
        assert clopper_pearson_upper(k, n, 0.05) == pytest.approx(ref)


def _simulate(seed, n):
    rng = np.random.default_rng(seed)
    u = rng.uniform(size=n)
    return u, (rng.uniform(size=n) < 0.4 * u).astype(int)  # error chance grows with u


def test_empirical_rule_picks_the_largest_coverage_meeting_the_target():
    u = np.arange(10, dtype=float)
    e = np.array([0, 0, 0, 0, 1, 0, 0, 0, 1, 1])
    rule = AbstentionRule(0.2).fit(u, e)
    # coverage 8/10 has 1 error (0.125); 9/10 has 2 (0.22); 10/10 has 0.3
    assert rule.threshold_ == 7.0 and rule.calibration_coverage_ == pytest.approx(0.8)
    r = rule.evaluate(np.array([1.0, 7.0, 8.0, 9.5]), [0, 1, 0, 1])
    assert (r.n_accepted, r.deferral_rate, r.accepted_error) == (2, 0.5, 0.5)
    assert r.meets_target is False and r.feasible
    assert rule.evaluate(np.array([1.0, 9.0])).accepted_error is None
    json.dumps(r.to_dict())


def test_clopper_pearson_rule_meets_the_target_on_held_out_data():
    target = 0.1
    results, plain_errors = [], []
    for seed in range(10):
        u_cal, e_cal = _simulate(seed, 2000)
        u_new, e_new = _simulate(100 + seed, 20000)
        safe = AbstentionRule(target, confidence=0.95).fit(u_cal, e_cal)
        plain = AbstentionRule(target).fit(u_cal, e_cal)
        r = safe.evaluate(u_new, e_new)
        assert r.feasible and r.calibration_upper_bound <= target
        assert safe.threshold_ <= plain.threshold_
        results.append(r)
        plain_errors.append(plain.evaluate(u_new, e_new).accepted_error)
    # true risk of accepting u <= t is 0.2 t; the safe rule stays below the target
    assert all(r.accepted_error <= target for r in results)
    # the best possible coverage is 0.5; the guarantee costs coverage (measured 0.17-0.40)
    assert all(0.1 < r.coverage < 0.5 for r in results)
    assert np.mean([r.coverage for r in results]) > 0.2
    # the empirical rule sits at the target on average, above it on some seeds
    assert np.mean(plain_errors) == pytest.approx(target, abs=0.01)
    assert np.mean([r.deferral_rate for r in results]) == pytest.approx(
        1 - np.mean([r.coverage for r in results]))


def test_too_small_splits_infeasible_targets_and_bad_inputs():
    rule = AbstentionRule(0.01, confidence=0.95, n_candidates=20)
    need = rule.min_calibration_size()
    assert need == int(np.ceil(np.log(0.05 / 20) / np.log(0.99)))
    assert clopper_pearson_upper(0, need, 0.05 / 20) <= 0.01 < clopper_pearson_upper(
        0, need - 1, 0.05 / 20)
    with pytest.raises(DataError, match="calibration split"):
        rule.fit(np.zeros(need - 1), np.zeros(need - 1))
    hopeless = AbstentionRule(0.05).fit(np.arange(5.0), np.ones(5))
    assert not hopeless.feasible_
    assert hopeless.evaluate(np.arange(3.0)).deferral_rate == 1.0
    with pytest.raises(StageError, match="before fit"):
        AbstentionRule(0.1).accept([0.1])
    with pytest.raises(ParameterError, match="target_error"):
        AbstentionRule(1.5).fit([0.1], [0])
    with pytest.raises(ParameterError, match="confidence"):
        AbstentionRule(0.1, confidence=95).fit([0.1], [0])
    with pytest.raises(DataError, match="0/1"):
        AbstentionRule(0.1, confidence=0.9).fit(np.arange(100.0), np.full(100, 0.5))
    with pytest.raises(DataError, match="equal length"):
        risk_coverage_curve([0.1, 0.2], [0])
