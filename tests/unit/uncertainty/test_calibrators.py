"""Temperature, Platt, isotonic and histogram calibrators, and CalibratedModel."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax, softmax
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_digits, make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import MLPClassifier

from stalwart.exceptions import DataError, ModelError, ParameterError, StageError
from stalwart.models import wrap
from stalwart.uncertainty.calibrated_model import CalibratedModel
from stalwart.uncertainty.calibration import expected_calibration_error
from stalwart.uncertainty.calibrators import (
    CALIBRATORS,
    HistogramBinning,
    IsotonicCalibrator,
    PlattScaling,
    TemperatureScaling,
)


@pytest.fixture(scope="module")
def digits_mlp():
    """An unregularised wide MLP trained on 250 digits: accurate but overconfident."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    idx = np.random.default_rng(0).permutation(y.size)
    tr, cal, test = idx[:250], idx[250:900], idx[900:]
    mlp = MLPClassifier(hidden_layer_sizes=(128,), alpha=0.0, max_iter=500,
                        learning_rate_init=0.02, random_state=0).fit(X[tr], y[tr])
    return mlp, X[cal], y[cal], X[test], y[test]


def _nll(proba, y):
    return -np.mean(np.log(np.clip(proba[np.arange(y.size), y], 1e-12, 1)))


def test_temperature_scaling_lowers_held_out_ece_on_overconfident_digits_mlp(digits_mlp):
    mlp, X_cal, y_cal, X_test, y_test = digits_mlp
    raw = mlp.predict_proba(X_test)
    cal = TemperatureScaling().fit(mlp.predict_proba(X_cal), y_cal)
    assert cal.temperature_ > 1.2  # overconfident: probabilities get softened
    assert cal.nll_after_ < cal.nll_before_
    calibrated = cal.transform(raw)
    before = expected_calibration_error(y_test, raw)
    after = expected_calibration_error(y_test, calibrated)
    assert after < 0.75 * before
    assert _nll(calibrated, y_test) < _nll(raw, y_test)
    # a single temperature never changes the predicted class
    np.testing.assert_array_equal(calibrated.argmax(axis=1), raw.argmax(axis=1))


@pytest.mark.parametrize("name", sorted(CALIBRATORS))
def test_every_calibrator_works_through_calibrated_model(digits_mlp, name):
    mlp, X_cal, y_cal, X_test, y_test = digits_mlp
    model = CalibratedModel(mlp, calibrator=CALIBRATORS[name]()).fit(X_cal, y_cal)
    proba = model.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    if name != "histogram":  # 10 one-vs-rest bins on 650 rows did not beat the raw MLP here
        assert expected_calibration_error(y_test, proba) < expected_calibration_error(
            y_test, mlp.predict_proba(X_test))
    adapter = wrap(model)
    assert adapter.task == "classification"
    np.testing.assert_array_equal(adapter.classes_, np.arange(10))
    np.testing.assert_array_equal(model.predict(X_test), proba.argmax(axis=1))


def test_temperature_recovers_a_known_temperature_and_the_grid_minimum():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, (4000, 3))
    y = np.array([rng.choice(3, p=row) for row in softmax(z / 2.0, axis=1)])
    cal = TemperatureScaling(inputs="logits").fit(z, y)
    assert cal.temperature_ == pytest.approx(2.0, abs=0.15)
    grid = np.linspace(1.0, 3.0, 2001)
    nll = [-np.mean(log_softmax(z / t, axis=1)[np.arange(y.size), y]) for t in grid]
    assert cal.temperature_ == pytest.approx(grid[int(np.argmin(nll))], abs=2e-3)
    # log-probabilities give the same temperature as the logits they came from
    same = TemperatureScaling().fit(softmax(z, axis=1), y)
    assert same.temperature_ == pytest.approx(cal.temperature_, abs=1e-4)
    np.testing.assert_allclose(cal.transform(z), softmax(z / cal.temperature_, axis=1))


def test_platt_matches_sklearn_sigmoid_on_a_logistic_model():
    X, y = make_classification(600, n_features=6, n_informative=4, random_state=0)
    lr = LogisticRegression().fit(X[:200], y[:200])
    ref = CalibratedClassifierCV(FrozenEstimator(lr), method="sigmoid").fit(X[200:400],
                                                                            y[200:400])
    # for logistic regression, logit(predict_proba) is the decision function sklearn uses
    mine = PlattScaling().fit(lr.predict_proba(X[200:400]), y[200:400])
    np.testing.assert_allclose(mine.transform(lr.predict_proba(X[400:])),
                               ref.predict_proba(X[400:]), atol=1e-5)
    one_d = mine.transform(lr.predict_proba(X[400:])[:, 1])
    assert one_d.shape == (200,)
    np.testing.assert_allclose(one_d, ref.predict_proba(X[400:])[:, 1], atol=1e-5)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_isotonic_matches_sklearn_one_vs_rest(n_classes):
    X, y = make_classification(900, n_features=6, n_informative=4, n_classes=n_classes,
                               random_state=0)
    nb = GaussianNB().fit(X[:300], y[:300])
    ref = CalibratedClassifierCV(FrozenEstimator(nb), method="isotonic").fit(X[300:600],
                                                                             y[300:600])
    mine = IsotonicCalibrator().fit(nb.predict_proba(X[300:600]), y[300:600])
    np.testing.assert_allclose(mine.transform(nb.predict_proba(X[600:])),
                               ref.predict_proba(X[600:]), atol=1e-12)


def test_histogram_binning_closed_form():
    p = np.array([0.05, 0.15, 0.12, 0.55, 0.58, 0.95])
    y = np.array([0, 1, 0, 1, 1, 1])
    cal = HistogramBinning(n_bins=10).fit(p, y)
    out = cal.transform(np.array([0.11, 0.51, 0.33, 0.01]))
    # bin [0.1, 0.2]: 1 of 2 positive; [0.5, 0.6]: 2 of 2; [0.3, 0.4] was empty: identity
    np.testing.assert_allclose(out, [0.5, 1.0, 0.33, 0.0])


def test_multiclass_one_vs_rest_rows_sum_to_one_and_all_zero_rows_become_uniform():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.6, 0.3, 0.1]])
    cal = HistogramBinning(n_bins=2).fit(p, [1, 1, 1, 1])
    out = cal.transform(p)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    # classes 0 and 2 never occur, class 1 occurs always; each row sums to class 1
    np.testing.assert_allclose(out[:, 1], 1.0)
    never = IsotonicCalibrator().fit(p, [0, 0, 0, 0])
    assert never.transform(p).shape == (4, 3)


def test_stages_and_bad_inputs():
    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    for cls in CALIBRATORS.values():
        with pytest.raises(StageError, match="before fit"):
            cls().transform(p)
    cal = PlattScaling().fit(p, [0, 1, 0])
    with pytest.raises(DataError, match="columns"):
        cal.transform(np.array([[0.2, 0.3, 0.5]]))
    with pytest.raises(DataError, match="labels"):
        PlattScaling().fit(p, [0, 1])
    with pytest.raises(DataError, match="sum to 1"):
        TemperatureScaling().fit(np.array([[0.9, 0.9], [0.1, 0.1]]), [0, 1])
    with pytest.raises(ParameterError, match="bounds"):
        TemperatureScaling(bounds=(2.0, 5.0)).fit(p, [0, 1, 0])
    with pytest.raises(ParameterError, match="inputs"):
        TemperatureScaling(inputs="scores").fit(p, [0, 1, 0])
    with pytest.raises(ParameterError, match="n_bins"):
        HistogramBinning(n_bins=0).fit(p, [0, 1, 0])
    with pytest.raises(DataError, match="calibration split"):
        PlattScaling().fit(p[:1], [0])


def test_calibrated_model_errors():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array(["a", "a", "b", "b"])
    base = LogisticRegression().fit(X, y)
    with pytest.raises(StageError, match="before fit"):
        CalibratedModel(base).predict_proba(X)
    with pytest.raises(DataError, match="unseen label"):
        CalibratedModel(base).fit(X, np.array(["a", "a", "b", "c"]))
    with pytest.raises(ModelError, match="classifier"):
        CalibratedModel(LinearRegression().fit(X, [0.0, 1.0, 2.0, 3.0])).fit(X, y)
    with pytest.raises(ParameterError, match="calibrator"):
        CalibratedModel(base, calibrator="isotonic").fit(X, y)
    with pytest.raises(ParameterError, match="inputs"):
        CalibratedModel(base, calibrator=TemperatureScaling(inputs="logits")).fit(X, y)
    model = CalibratedModel(base, calibrator=IsotonicCalibrator()).fit(X, y)
    assert model.predict(X).tolist() == ["a", "a", "b", "b"]


def test_calibrated_model_with_frames_and_pandas_string_labels():
    import pandas as pd

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    y = pd.Series(np.where(X["a"] + 0.5 * rng.normal(size=200) > 0, "yes", "no"),
                  dtype="str")
    base = LogisticRegression().fit(X, y)
    model = CalibratedModel(base, calibrator=PlattScaling()).fit(X, y)
    assert model.classes_.tolist() == ["no", "yes"]
    proba = model.predict_proba(X)
    assert proba.shape == (200, 2)
    assert set(model.predict(X).tolist()) == {"no", "yes"}
    # Platt on a logistic model's own training rows changes little
    np.testing.assert_allclose(proba, base.predict_proba(X), atol=0.05)
