"""Noise statistics against closed forms (scipy's normal and truncated normal)."""

import numpy as np
import pytest
from scipy import stats

from stalwart.perturb.image import GaussianNoise, ImpulseNoise, ShotNoise, SpeckleNoise


def clipped_normal_moments(mu, sigma):
    """Mean and sd of clip(mu + sigma Z, 0, 1): point masses at 0 and 1 plus a truncated
    normal between them."""
    a, b = (0 - mu) / sigma, (1 - mu) / sigma
    p0, p1 = stats.norm.cdf(a), stats.norm.sf(b)
    inner = stats.truncnorm(a, b, loc=mu, scale=sigma)
    p_in = 1 - p0 - p1
    mean = p_in * inner.mean() + p1
    second = p_in * (inner.var() + inner.mean() ** 2) + p1
    return mean, np.sqrt(second - mean ** 2)


def constant(value, n=40, side=32):
    return np.full((n, side, side), value)


@pytest.mark.parametrize("severity, sigma", [(1, 0.08), (2, 0.12), (3, 0.18), (4, 0.26),
                                             (5, 0.38)])
def test_gaussian_noise_sd_is_the_severity_sigma(severity, sigma):
    x = constant(0.5)
    y = GaussianNoise(severity=severity, random_state=0).fit(x).transform(x)
    mean, sd = clipped_normal_moments(0.5, sigma)
    assert y.std() == pytest.approx(sd, rel=0.01)
    assert y.mean() == pytest.approx(mean, abs=0.002)
    if severity <= 2:  # clipping is negligible (over 4 sd away): sd is sigma itself
        assert y.std() == pytest.approx(sigma, rel=0.01)


@pytest.mark.parametrize("severity, lam", [(1, 60.0), (3, 12.0), (5, 3.0)])
def test_shot_noise_is_poisson_with_lam_photons(severity, lam):
    x = constant(0.25)
    y = ShotNoise(severity=severity, random_state=0).fit(x).transform(x)
    counts = np.rint(y * lam)
    assert np.allclose(counts / lam, y)  # values on the photon grid
    # the clip at 1 is min(Poisson(x lam), lam): its moments from the Poisson pmf
    k = np.arange(0, 200)
    pmf = stats.poisson(0.25 * lam).pmf(k)
    capped = np.minimum(k, lam)
    mean = (pmf * capped).sum()
    var = (pmf * capped ** 2).sum() - mean ** 2
    assert counts.mean() == pytest.approx(mean, rel=0.02)
    assert counts.var() == pytest.approx(var, rel=0.04)


@pytest.mark.parametrize("severity, share", [(1, 0.03), (3, 0.09), (5, 0.27)])
def test_impulse_noise_hits_the_severity_share_half_salt_half_pepper(severity, share):
    x = constant(0.5)
    y = ImpulseNoise(severity=severity, random_state=0).fit(x).transform(x)
    hit = y != 0.5
    assert hit.mean() == pytest.approx(share, abs=0.004)
    assert set(np.unique(y[hit])) == {0.0, 1.0}
    assert (y[hit] == 1.0).mean() == pytest.approx(0.5, abs=0.03)


@pytest.mark.parametrize("severity, c", [(1, 0.15), (2, 0.2), (3, 0.35)])
def test_speckle_noise_sd_is_c_times_the_value(severity, c):
    x = constant(0.4)
    y = SpeckleNoise(severity=severity, random_state=0).fit(x).transform(x)
    mean, sd = clipped_normal_moments(0.4, 0.4 * c)
    assert y.std() == pytest.approx(sd, rel=0.01)
    black = np.zeros((2, 8, 8))
    assert (SpeckleNoise(severity=5).fit(black).transform(black) == 0).all()


def test_same_seed_same_noise_other_seed_other_noise():
    x = constant(0.5, n=2, side=8)
    a = GaussianNoise(severity=3, random_state=7).fit(x).transform(x)
    b = GaussianNoise(severity=3, random_state=7).fit(x).transform(x)
    c = GaussianNoise(severity=3, random_state=8).fit(x).transform(x)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
