"""Split-conformal threshold, p-values, split sizes and stage errors of the shared base."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.novelty import KNNNovelty, conformal_p_values, conformal_threshold
from stalwart.novelty.base import expected_flag_rate, min_calibration_size


@pytest.mark.parametrize("n,rate", [(99, 0.01), (100, 0.05), (257, 0.1), (1000, 0.001)])
def test_threshold_is_the_conformal_order_statistic(n, rate):
    cal = np.random.default_rng(n).normal(size=n)
    k = math.ceil((n + 1) * (1 - rate))
    assert conformal_threshold(cal, rate) == np.sort(cal)[k - 1]
    # the empirical quantile (inverse of the ECDF) at level ceil((n+1)(1-a))/n
    assert conformal_threshold(cal, rate) == np.quantile(cal, k / n, method="inverted_cdf")
    assert expected_flag_rate(n, rate) == pytest.approx((n + 1 - k) / (n + 1))
    assert expected_flag_rate(n, rate) <= rate + 1e-12


def test_too_few_calibration_rows_names_the_minimum():
    assert min_calibration_size(0.001) == 999
    assert min_calibration_size(0.01) == 99
    assert min_calibration_size(0.05) == 19
    with pytest.raises(ParameterError, match="at least 999 calibration rows"):
        conformal_threshold(np.arange(100.0), 0.001)
    x = np.random.default_rng(0).normal(size=(200, 2))
    with pytest.raises(ParameterError, match="at least 999 calibration rows.*3330 reference"):
        KNNNovelty(false_flag_rate=0.001).fit(x)


def test_p_values_closed_form():
    cal = np.array([1.0, 2.0, 2.0, 3.0])
    p = conformal_p_values(cal, np.array([0.0, 2.0, 2.5, 9.0]))
    assert p.tolist() == [1.0, 4 / 5, 2 / 5, 1 / 5]


def test_split_sizes_and_bad_parameters(rng):
    x = rng.normal(size=(400, 2))
    det = KNNNovelty(false_flag_rate=0.05, calibration_size=0.25).fit(x)
    assert (det.n_train_, det.n_calibration_) == (300, 100)
    det = KNNNovelty(false_flag_rate=0.05, calibration_size=150).fit(x)
    assert det.n_calibration_ == 150
    for bad in (0.0, 1.5, 400, "x"):
        with pytest.raises(ParameterError, match="calibration_size"):
            KNNNovelty(calibration_size=bad).fit(x)
    for bad in (0.0, 1.0, -0.1):
        with pytest.raises(ParameterError, match="false_flag_rate"):
            KNNNovelty(false_flag_rate=bad).fit(x)
    with pytest.raises(DataError, match="training rows"):
        KNNNovelty(false_flag_rate=0.5, calibration_size=3).fit(x[:4])


def test_stage_errors_before_fit(rng):
    det = KNNNovelty()
    for call in (det.score, det.predict, det.detect):
        with pytest.raises(StageError, match=r"before fit\(\)"):
            call(rng.normal(size=(3, 2)))


def test_no_refit_calibration_rows_are_not_in_the_model(rng):
    x = rng.normal(size=(300, 2))
    det = KNNNovelty(n_neighbors=1, false_flag_rate=0.05).fit(x)
    # a calibration row in the index would score 0 with k=1
    assert det.calibration_scores_.min() > 0
    assert det.model_.n_samples_fit_ == det.n_train_


def test_seeded_split_is_deterministic(rng):
    x = rng.normal(size=(300, 3))
    a = KNNNovelty(random_state=3, false_flag_rate=0.05).fit(x).calibration_scores_
    b = KNNNovelty(random_state=3, false_flag_rate=0.05).fit(x).calibration_scores_
    c = KNNNovelty(random_state=4, false_flag_rate=0.05).fit(x).calibration_scores_
    assert np.array_equal(a, b) and not np.array_equal(a, c)
