import math

import numpy as np
import pytest

from stalwart.exceptions import DataError, ParameterError
from stalwart.uncertainty.conformal.quantile import (
    conformal_quantile,
    min_calibration_size,
    quantile_rank,
)


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.1, 0.2, 0.33])
@pytest.mark.parametrize("n", [99, 100, 101, 250, 1000])
def test_quantile_is_the_finite_sample_order_statistic(alpha, n):
    scores = np.random.default_rng(n).normal(size=n)
    k = math.ceil((n + 1) * (1 - alpha) - 1e-9)
    expected = np.sort(scores)[k - 1]
    assert conformal_quantile(scores, alpha) == expected
    # the same number numpy (and MAPIE) compute from the level ceil((n+1)(1-alpha))/n
    assert conformal_quantile(scores, alpha) == np.quantile(scores, k / n, method="lower")


def test_rank_handles_integer_products_exactly():
    # 100 * 0.9 is 90.00000000000001 in floating point; the rank must still be 90
    assert quantile_rank(99, 0.1) == 90
    assert quantile_rank(19, 0.05) == 19


@pytest.mark.parametrize("alpha,minimum", [(0.1, 9), (0.05, 19), (0.01, 99), (0.25, 3)])
def test_too_small_calibration_split_names_the_minimum(alpha, minimum):
    assert min_calibration_size(alpha) == minimum
    conformal_quantile(np.arange(minimum, dtype=float), alpha)  # the minimum itself works
    with pytest.raises(DataError, match=f"at least {minimum} points"):
        conformal_quantile(np.arange(minimum - 1, dtype=float), alpha)


@pytest.mark.parametrize("alpha", [0, 1, -0.1, 1.5, "0.1", True, float("nan")])
def test_alpha_outside_zero_one_is_refused(alpha):
    with pytest.raises(ParameterError, match="alpha"):
        conformal_quantile(np.arange(100.0), alpha)


def test_nan_scores_are_refused():
    with pytest.raises(DataError, match="NaN"):
        conformal_quantile(np.array([0.1, np.nan] * 20), 0.1)


def test_exchangeable_coverage_is_exact_for_continuous_scores():
    # P(S_test <= q) = k / (n + 1) exactly; check by simulation within 4 standard errors
    rng = np.random.default_rng(0)
    n, alpha, reps = 19, 0.2, 4000
    scores = rng.uniform(size=(reps, n + 1))
    hits = [scores[i, -1] <= conformal_quantile(scores[i, :-1], alpha) for i in range(reps)]
    expected = quantile_rank(n, alpha) / (n + 1)
    se = math.sqrt(expected * (1 - expected) / reps)
    assert abs(np.mean(hits) - expected) < 4 * se
