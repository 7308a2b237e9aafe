"""Noise of the DP mechanisms has the stated scale: KS tests against scipy's laplace and norm,
exact chi-square intervals for the scale, and the analytic Gaussian's privacy profile."""

import math

import numpy as np
import pytest
from scipy import stats

from stalwart import ParameterError
from stalwart.privacy.dp import GaussianMechanism, LaplaceMechanism

N = 20_000


@pytest.mark.parametrize("epsilon, sensitivity", [(0.1, 1.0), (1.0, 1.0), (2.0, 5.0)])
def test_laplace_noise_has_the_stated_scale(epsilon, sensitivity):
    m = LaplaceMechanism(epsilon, sensitivity)
    b = sensitivity / epsilon
    assert m.scale == b and m.expected_abs_error == b and m.std == pytest.approx(math.sqrt(2) * b)
    noise = m.add_noise(np.zeros(N), random_state=7)
    assert stats.kstest(noise, stats.laplace(scale=b).cdf).pvalue > 0.01
    # power: a scale 10% off is rejected at the same sample size
    assert stats.kstest(noise, stats.laplace(scale=1.1 * b).cdf).pvalue < 1e-4
    # |X| ~ Exponential(b): 2 sum|X| / b ~ chi2(2N) exactly
    statistic = 2 * np.abs(noise).sum() / b
    lo, hi = stats.chi2.ppf([0.0005, 0.9995], 2 * N)
    assert lo < statistic < hi


@pytest.mark.parametrize("epsilon, delta, calibration",
                         [(0.5, 1e-5, "classic"), (0.9, 1e-6, "classic"),
                          (2.0, 1e-6, "analytic")])
def test_gaussian_noise_has_the_stated_scale(epsilon, delta, calibration):
    m = GaussianMechanism(epsilon, delta, 2.0, calibration=calibration)
    noise = m.add_noise(np.zeros(N), random_state=3)
    assert stats.kstest(noise, stats.norm(scale=m.sigma).cdf).pvalue > 0.01
    assert stats.kstest(noise, stats.norm(scale=1.1 * m.sigma).cdf).pvalue < 1e-4
    # sum X^2 / sigma^2 ~ chi2(N) exactly (the mean is known to be 0)
    statistic = (noise ** 2).sum() / m.sigma ** 2
    lo, hi = stats.chi2.ppf([0.0005, 0.9995], N)
    assert lo < statistic < hi
    assert m.expected_abs_error == pytest.approx(m.sigma * math.sqrt(2 / math.pi))
    assert np.mean(np.abs(noise)) == pytest.approx(m.expected_abs_error, rel=0.02)


def test_classic_gaussian_closed_form():
    m = GaussianMechanism(0.5, 1e-5, 3.0)
    assert m.sigma == pytest.approx(math.sqrt(2 * math.log(1.25 / 1e-5)) * 3.0 / 0.5)


def _profile_delta(sigma, epsilon, sensitivity):
    # Balle & Wang (2018), theorem 8, written directly with Phi (a second code path)
    a, b = sensitivity / (2 * sigma), epsilon * sigma / sensitivity
    return stats.norm.cdf(a - b) - math.exp(epsilon) * stats.norm.cdf(-a - b)


@pytest.mark.parametrize("epsilon, delta", [(0.1, 1e-5), (0.5, 1e-6), (1.0, 1e-5), (4.0, 1e-8)])
def test_analytic_gaussian_is_the_smallest_sigma_meeting_delta(epsilon, delta):
    m = GaussianMechanism(epsilon, delta, 1.0, calibration="analytic")
    assert _profile_delta(m.sigma, epsilon, 1.0) == pytest.approx(delta, rel=1e-6)
    assert _profile_delta(0.99 * m.sigma, epsilon, 1.0) > delta  # smaller sigma leaks more
    if epsilon < 1:
        assert m.sigma < GaussianMechanism(epsilon, delta, 1.0).sigma  # tighter than classic
    # scale equivariance: sigma grows linearly with the sensitivity
    assert GaussianMechanism(epsilon, delta, 4.0, calibration="analytic").sigma == \
        pytest.approx(4 * m.sigma, rel=1e-6)


def test_seeded_and_shaped():
    m = LaplaceMechanism(1.0)
    a = m.add_noise(np.arange(5.0), random_state=1)
    assert np.array_equal(a, m.add_noise(np.arange(5.0), random_state=1))
    assert a.shape == (5,) and isinstance(m.add_noise(3, random_state=1), float)
    assert m.add_noise(np.arange(5.0), random_state=np.random.default_rng(1)).tolist() == a.tolist()


@pytest.mark.parametrize("build", [
    lambda: LaplaceMechanism(0.0), lambda: LaplaceMechanism(-1.0), lambda: LaplaceMechanism(
        float("inf")), lambda: LaplaceMechanism(1.0, 0.0), lambda: LaplaceMechanism(True),
    lambda: GaussianMechanism(0.5, 0.0), lambda: GaussianMechanism(0.5, 1.0),
    lambda: GaussianMechanism(1.5, 1e-5), lambda: GaussianMechanism(0.5, 1e-5, calibration="x"),
])
def test_bad_parameters_are_refused(build):
    with pytest.raises(ParameterError) as info:
        build()
    assert "Fix:" in str(info.value)


def test_classic_gaussian_refusal_names_the_analytic_fix():
    with pytest.raises(ParameterError, match="calibration='analytic'"):
        GaussianMechanism(1.0, 1e-5)
    with pytest.raises(ParameterError, match="integer seed"):
        LaplaceMechanism(1.0).add_noise(1.0, random_state="x")
