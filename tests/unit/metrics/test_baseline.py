"""Baselines are scikit-learn's dummies; differences are paired; a weak model does not win."""

import json

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier, DummyRegressor

from stalwart.exceptions import DataError, ParameterError
from stalwart.metrics import baseline_predictions, compare_to_baseline, evaluate


def _classification(n=400, acc=0.85, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    flip = rng.random(n) >= acc
    pred = np.where(flip, rng.choice(["a", "b", "c"], n), y)
    return y, pred


def test_baseline_predictions_equal_dummy_estimators():
    y = np.array(["a", "b", "b", "c", "b"])
    pred, proba = baseline_predictions(y, 3, task="classification", classes=["a", "b", "c", "d"])
    dummy = DummyClassifier(strategy="prior").fit(np.zeros((5, 1)), y)
    assert pred.tolist() == ["b", "b", "b"]
    np.testing.assert_array_equal(proba[:, :3], dummy.predict_proba(np.zeros((3, 1))))
    assert (proba[:, 3] == 0).all()
    pred, _ = baseline_predictions(y, 4, task="classification", strategy="stratified",
                                   random_state=3)
    ref = DummyClassifier(strategy="stratified", random_state=3).fit(np.zeros((5, 1)), y)
    assert pred.tolist() == ref.predict(np.zeros((4, 1))).tolist()
    values = np.array([1.0, 2.0, 10.0])
    pred, proba = baseline_predictions(values, 2, task="regression", strategy="median")
    assert proba is None and pred.tolist() == [2.0, 2.0]
    assert baseline_predictions(values, 1, task="regression")[0][0] == \
        DummyRegressor().fit(np.zeros((3, 1)), values).predict(np.zeros((1, 1)))[0]
    with pytest.raises(ParameterError, match="baseline strategy"):
        baseline_predictions(values, 1, task="regression", strategy="prior")


def test_good_model_beats_baseline_with_paired_difference():
    y, pred = _classification()
    cmp = compare_to_baseline(y, y_pred=pred, y_train=y[:200], n_boot=300,
                              metrics=["accuracy", "f1_macro"])
    acc = cmp.comparisons["accuracy"]
    model = evaluate(y, y_pred=pred, metrics=["accuracy"], n_boot=300)["accuracy"]
    assert acc.model == model  # same seed, same resamples
    assert acc.difference.estimate == pytest.approx(acc.model.estimate - acc.baseline.estimate)
    assert acc.baseline.estimate == pytest.approx(np.mean(y == "a"))
    assert acc.beats_baseline and cmp.beats_baseline
    # paired: the difference is tighter than the two marginal intervals put together
    width = acc.difference.high - acc.difference.low
    assert width < (acc.model.high - acc.model.low) + (acc.baseline.high - acc.baseline.low)
    out = json.loads(json.dumps(cmp.to_dict()))
    assert out["baseline_source"] == "y_train" and out["strategy"] == "prior"
    assert out["comparisons"]["accuracy"]["beats_baseline"] is True


def test_generator_seed_keeps_model_and_baseline_paired():
    y, pred = _classification(seed=3)
    cmp = compare_to_baseline(y, y_pred=pred, n_boot=100, metrics=["accuracy"],
                              random_state=np.random.default_rng(9))
    assert isinstance(cmp.random_state, int)
    again = compare_to_baseline(y, y_pred=pred, n_boot=100, metrics=["accuracy"],
                                random_state=cmp.random_state)
    assert again.to_dict() == cmp.to_dict()
    alone = evaluate(y, y_pred=pred, metrics=["accuracy"], n_boot=100,
                     random_state=cmp.random_state)
    assert alone["accuracy"] == cmp.comparisons["accuracy"].model
    with pytest.raises(ParameterError, match="random_state"):
        compare_to_baseline(y, y_pred=pred, n_boot=10, random_state="seed")


def test_weak_model_does_not_beat_baseline():
    rng = np.random.default_rng(5)
    y = rng.normal(10, 2, 300)
    noise = y.mean() + rng.normal(0, 0.05, 300)  # essentially the mean: no skill
    cmp = compare_to_baseline(y, y_pred=noise, n_boot=300, metrics=["mae", "rmse"])
    assert cmp.baseline_source == "y_true" and cmp.strategy == "mean"
    assert not cmp.comparisons["mae"].beats_baseline
    assert not cmp.beats_baseline
    good = compare_to_baseline(y, y_pred=y + rng.normal(0, 0.5, 300), n_boot=300,
                               metrics=["mae", "r2"])
    assert good.comparisons["mae"].difference.high < 0 and good.beats_baseline


def test_given_baseline_probabilities():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 300)
    proba = np.clip(0.5 + (y - 0.5) * 0.6 + rng.normal(0, 0.15, 300), 0.01, 0.99)
    cmp = compare_to_baseline(y, proba=proba, baseline_proba=np.full(300, 0.5), n_boot=300)
    assert set(cmp.comparisons) == {"roc_auc", "average_precision", "log_loss", "brier"}
    assert cmp.comparisons["roc_auc"].baseline.estimate == 0.5
    assert cmp.beats_baseline and cmp.strategy == "given"


def test_training_label_unknown_to_model_is_an_error():
    with pytest.raises(DataError, match="unknown to the model"):
        compare_to_baseline([0, 1, 1], proba=[0.2, 0.8, 0.7], y_train=[0, 1, 2], n_boot=10)
