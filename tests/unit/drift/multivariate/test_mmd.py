"""MMD: the statistic against a hand loop and a closed form; the automatic choice; errors."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import pdist

from stalwart.drift.multivariate import MMDDrift
from stalwart.drift.multivariate.mmd import gaussian_kernel, median_bandwidth, mmd2_unbiased
from stalwart.exceptions import DataError, ParameterError, StageError


def _loop_mmd2(x, y, bw):
    """Gretton et al. (2012) eq. 3 written out pair by pair."""
    k = lambda a, b: np.exp(-np.sum((a - b) ** 2) / (2 * bw ** 2))  # noqa: E731
    m, n = len(x), len(y)
    sxx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    syy = sum(k(y[i], y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    sxy = sum(k(a, b) for a in x for b in y) / (m * n)
    return sxx + syy - 2 * sxy


def _closed_form(delta, s, bw, d):
    """MMD^2 between N(0, s^2 I) and N(delta, s^2 I) under a Gaussian kernel of width bw."""
    c = (bw ** 2 / (bw ** 2 + 2 * s ** 2)) ** (d / 2)
    return 2 * c * (1 - np.exp(-np.sum(np.square(delta)) / (2 * (bw ** 2 + 2 * s ** 2))))


def test_unbiased_statistic_equals_the_pairwise_loop():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(12, 2)), rng.normal(0.5, 1, size=(10, 2))
    blocks = [gaussian_kernel(a, b, 0.8) for a, b in ((x, x), (y, y), (x, y))]
    assert mmd2_unbiased(*blocks) == pytest.approx(_loop_mmd2(x, y, 0.8), rel=1e-12)
    # the detector's vectorised permutation statistic is the same number on encoded rows
    det = MMDDrift(bandwidth=0.8, n_permutations=19).fit(x)
    r = det.detect(y)
    xe, ye = det.reference_, det.encoder_.transform(y)
    assert r.statistic == pytest.approx(_loop_mmd2(xe, ye, 0.8), rel=1e-10)
    assert r.details["bandwidth_rule"] == "given"


def test_median_heuristic_is_the_median_pairwise_distance():
    pooled = np.random.default_rng(2).normal(size=(30, 3))
    bw, rule = median_bandwidth(pooled)
    assert bw == pytest.approx(np.median(pdist(pooled)))
    assert rule.startswith("median")
    # mostly identical rows: the median is 0, so the mean non-zero distance is used
    ties = np.r_[np.zeros((20, 1)), np.ones((3, 1))]
    assert median_bandwidth(ties)[0] == 1.0 and "non-zero" in median_bandwidth(ties)[1]


def test_unbiased_statistic_matches_the_gaussian_closed_form():
    # MMD^2_u is unbiased: its mean over seeds approaches the closed form (0.1027)
    delta, values = np.array([1.0, 0.0]), []
    for seed in range(3):
        rng = np.random.default_rng(seed)
        x, y = rng.normal(size=(1500, 2)), rng.normal(size=(1500, 2)) + delta
        values.append(mmd2_unbiased(*[gaussian_kernel(a, b, 1.0)
                                      for a, b in ((x, x), (y, y), (x, y))]))
    assert np.mean(values) == pytest.approx(_closed_form(delta, 1.0, 1.0, 2), abs=0.012)


def test_linear_statistic_matches_the_gaussian_closed_form():
    rng = np.random.default_rng(3)
    n, delta = 60_000, np.array([1.0, 0.0])
    x, y = rng.normal(size=(n, 2)), rng.normal(size=(n, 2)) + delta
    det = MMDDrift(method="linear", bandwidth=1.0).fit(x)
    r = det.detect(y)
    # the encoder standardises with the reference moments (scale ~1 at this size)
    scale = np.array([spec.scale for spec in det.encoder_.specs_])
    assert np.allclose(scale, 1.0, atol=0.01)
    assert r.statistic == pytest.approx(_closed_form(delta / scale, 1.0, 1.0, 2), abs=0.01)
    assert r.drifted and r.details["test"] == "linear" and r.details["n_pairs"] == n // 2


def test_auto_choice_is_recorded():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(300, 2))
    small = MMDDrift(max_samples=300, n_permutations=19).fit(x).detect(x[:100] + 0.1)
    assert small.details["test"] == "permutation" and "at most" in small.details["reason"]
    big = MMDDrift(max_samples=100).fit(x).detect(rng.normal(size=(200, 2)))
    assert big.details["test"] == "linear" and "exceeds" in big.details["reason"]
    assert big.statistic_name == "mmd2_linear" and big.details["n_pairs"] == 100
    sub = MMDDrift(method="permutation", max_samples=100, n_permutations=19).fit(x)
    assert any("100 of 300 rows" in n for n in sub.detect(x).notes)


def test_permutation_p_value_floor_and_json():
    rng = np.random.default_rng(5)
    r = MMDDrift(n_permutations=49).fit(rng.normal(size=(40, 2))).detect(
        rng.normal(3, 1, size=(40, 2)))
    assert r.p_value == pytest.approx(1 / 50)
    json.dumps(r.to_dict())


def test_mixed_frame_and_constant_feature():
    rng = np.random.default_rng(6)
    ref = pd.DataFrame({"x": rng.normal(size=60), "k": 1.0,
                        "c": rng.choice(["a", "b"], 60)})
    cur = ref.assign(c=rng.choice(["a", "b"], 60, p=[0.05, 0.95]))
    r = MMDDrift(n_permutations=99).fit(ref).detect(cur)
    assert r.drifted and any("'k' is constant" in n for n in r.notes)


def test_errors():
    with pytest.raises(StageError):
        MMDDrift().detect(np.zeros((20, 2)))
    with pytest.raises(DataError, match="at least 10 rows"):
        MMDDrift().fit(np.zeros((5, 2)))
    with pytest.raises(DataError, match="at least 10 rows"):
        MMDDrift().fit(np.random.default_rng(0).normal(size=(20, 2))).detect(np.zeros((3, 2)))
    for bad in ({"method": "fast"}, {"n_permutations": 5}, {"alpha": 1.5}, {"bandwidth": 0}):
        with pytest.raises(ParameterError):
            MMDDrift(**bad).fit(np.zeros((20, 2)))
