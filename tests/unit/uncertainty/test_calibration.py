"""ECE/MCE, reliability diagram, Brier decomposition and ECE per group."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from stalwart.exceptions import DataError, ParameterError
from stalwart.uncertainty.calibration import (
    encode_targets,
    expected_calibration_error,
    maximum_calibration_error,
)
from stalwart.uncertainty.reliability import (
    brier_decomposition,
    calibration_by_group,
    reliability_diagram,
)


def _binary(seed: int = 0, n: int = 800):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0, 1, n)
    y = (rng.uniform(0, 1, n) < p**1.5).astype(int)  # miscalibrated on purpose
    return y, p


def _multiclass(seed: int = 1, n: int = 600, k: int = 4):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 2, (n, k))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = np.array([rng.choice(k, p=row) for row in p])
    return y, p


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_bins_match_sklearn_calibration_curve(strategy):
    y, p = _binary()
    d = reliability_diagram(y, p, n_bins=10, strategy=strategy, variant="classwise")
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy=strategy)
    used = np.array(d.count) > 0
    np.testing.assert_allclose(np.array(d.accuracy)[used], prob_true, rtol=1e-12)
    np.testing.assert_allclose(np.array(d.confidence)[used], prob_pred, rtol=1e-12)
    assert sum(d.count) == y.size
    # the diagram's ECE is the binary classwise ECE computed from sklearn's bins
    counts = np.array(d.count)[used]
    expected = np.sum(counts * np.abs(prob_true - prob_pred)) / y.size
    assert d.ece == pytest.approx(expected, abs=1e-12)
    assert expected_calibration_error(y, p, n_bins=10, strategy=strategy,
                                      variant="classwise") == pytest.approx(expected)
    json.dumps(d.to_dict())


def test_quantile_bins_hold_equal_mass():
    y, p = _binary(n=1000)
    d = reliability_diagram(y, p, n_bins=10, strategy="quantile", variant="classwise")
    assert set(d.count) == {100}


def test_top_label_ece_closed_form():
    # two bins of [0, 1] with width 0.5; confidences 0.6, 0.6, 0.9, 0.9; correctness 1,0,1,1
    proba = np.array([[0.6, 0.4], [0.4, 0.6], [0.9, 0.1], [0.1, 0.9]])
    y = np.array([0, 0, 0, 1])
    # bin [0.5, 1]: all four, mean confidence 0.75, accuracy 0.75 -> ECE 0
    assert expected_calibration_error(y, proba, n_bins=2) == pytest.approx(0.0)
    # ten bins: {0.6, 0.6} with accuracy 0.5 (gap 0.1), {0.9, 0.9} accuracy 1 (gap 0.1)
    assert expected_calibration_error(y, proba, n_bins=10) == pytest.approx(0.1)
    assert maximum_calibration_error(y, proba, n_bins=10) == pytest.approx(0.1)


def test_classwise_ece_is_mean_of_one_vs_rest_ece():
    y, p = _multiclass()
    per_class = [expected_calibration_error((y == k).astype(int), p[:, k], n_bins=8,
                                            variant="classwise") for k in range(p.shape[1])]
    got = expected_calibration_error(y, p, n_bins=8, variant="classwise")
    assert got == pytest.approx(np.mean(per_class))
    mce = maximum_calibration_error(y, p, n_bins=8, variant="classwise")
    assert mce >= got


def test_perfectly_calibrated_forecasts_have_small_ece():
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 1, 20000)
    y = (rng.uniform(0, 1, p.size) < p).astype(int)
    assert expected_calibration_error(y, p, variant="classwise") < 0.02
    y_bad, p_bad = _binary(n=20000)
    assert expected_calibration_error(y_bad, p_bad, variant="classwise") > 0.05


def test_string_labels_with_classes():
    proba = np.array([[0.8, 0.2], [0.3, 0.7]])
    y = np.array(["no", "yes"])
    assert expected_calibration_error(y, proba, classes=["no", "yes"], n_bins=5) == (
        pytest.approx(0.25))
    with pytest.raises(DataError, match="unseen label"):
        expected_calibration_error(np.array(["no", "maybe"]), proba, classes=["no", "yes"])
    np.testing.assert_array_equal(encode_targets(np.array(["b", "a"]), 2), [1, 0])


@pytest.mark.parametrize("bad, match", [
    (np.array([[0.5, 0.6], [0.5, 0.5]]), "sum to 1"),
    (np.array([[1.5, -0.5], [0.5, 0.5]]), r"\[0, 1\]"),
    (np.array([0.2, 0.3]).reshape(1, 2, 1), "2-D array"),
])
def test_bad_probabilities_are_refused(bad, match):
    with pytest.raises(DataError, match=match):
        expected_calibration_error(np.array([0, 1]), bad)


def test_bad_parameters_are_refused():
    y, p = _binary(n=50)
    with pytest.raises(ParameterError, match="strategy"):
        expected_calibration_error(y, p, strategy="kmeans")
    with pytest.raises(ParameterError, match="n_bins"):
        expected_calibration_error(y, p, n_bins=0)
    with pytest.raises(ParameterError, match="variant"):
        expected_calibration_error(y, p, variant="marginal")
    with pytest.raises(DataError, match="labels"):
        expected_calibration_error(y[:10], p)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_brier_decomposition_binary(strategy):
    y, p = _binary()
    d = brier_decomposition(y, p, n_bins=10, strategy=strategy)
    assert d.brier == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert d.reliability - d.resolution + d.uncertainty == pytest.approx(d.brier_binned,
                                                                          abs=1e-12)
    assert d.uncertainty == pytest.approx(y.mean() * (1 - y.mean()))
    assert d.within_bin == pytest.approx(d.brier - d.brier_binned)
    json.dumps(d.to_dict())


def test_brier_identity_is_exact_on_binned_forecasts():
    rng = np.random.default_rng(5)
    p = rng.choice([0.05, 0.35, 0.65, 0.95], 500)  # one forecast value per bin
    y = (rng.uniform(0, 1, 500) < p).astype(int)
    d = brier_decomposition(y, p, n_bins=4)
    assert d.brier == pytest.approx(d.brier_binned, abs=1e-12)
    assert d.reliability - d.resolution + d.uncertainty == pytest.approx(d.brier, abs=1e-12)
    # reliability by hand
    rel = sum(np.mean(p == v) * (v - y[p == v].mean()) ** 2 for v in np.unique(p))
    assert d.reliability == pytest.approx(rel)


def test_brier_decomposition_multiclass_matches_sklearn():
    y, p = _multiclass()
    d = brier_decomposition(y, p, n_bins=10)
    assert d.brier == pytest.approx(brier_score_loss(y, p, labels=[0, 1, 2, 3]), abs=1e-12)
    assert d.reliability - d.resolution + d.uncertainty == pytest.approx(d.brier_binned)


def test_calibration_by_group():
    y1, p1 = _binary(seed=7, n=400)
    rng = np.random.default_rng(8)
    p2 = rng.uniform(0, 1, 400)
    y2 = (rng.uniform(0, 1, 400) < p2).astype(int)
    y, p = np.concatenate([y1, y2]), np.concatenate([p1, p2])
    groups = np.array(["bad"] * 400 + ["good"] * 400, dtype=object)
    groups[0] = None
    r = calibration_by_group(y, p, groups, n_bins=10, variant="classwise")
    assert r.counts == {"<NA>": 1, "bad": 399, "good": 400}
    assert r.worst_group in {"<NA>", "bad"}
    assert r.by_group["good"] == pytest.approx(
        expected_calibration_error(y2, p2, n_bins=10, variant="classwise"))
    assert r.overall == pytest.approx(
        expected_calibration_error(y, p, n_bins=10, variant="classwise"))
    assert r.by_group["bad"] > r.by_group["good"]
    json.dumps(r.to_dict())
    with pytest.raises(DataError, match="groups"):
        calibration_by_group(y, p, groups[:5])
