"""evaluate_model goes through stalwart.models.wrap; results serialise to JSON."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm
from sklearn.linear_model import LinearRegression, LogisticRegression

from stalwart.exceptions import ParameterError
from stalwart.metrics import METRICS, evaluate, evaluate_model, metric_names, register_metric
from stalwart.models import wrap


def test_evaluate_model_classifier_equals_sklearn(clean_frame):
    X, y = clean_frame[["age", "score"]], clean_frame["y"]
    model = LogisticRegression().fit(X[:1500], y[:1500])
    res = evaluate_model(model, X[1500:], y[1500:], n_boot=200)
    proba = model.predict_proba(X[1500:])[:, 1]
    assert res["roc_auc"].estimate == pytest.approx(skm.roc_auc_score(y[1500:], proba),
                                                    rel=1e-12)
    assert res["accuracy"].estimate == model.score(X[1500:], y[1500:])
    assert res.model["adapter"] == "SklearnAdapter" and res.n_rows == 500
    out = json.loads(json.dumps(res.to_dict()))
    assert out["metrics"]["log_loss"]["greater_is_better"] is False
    assert out["chart"]["confusion_matrix"]["labels"] == [0, 1]
    assert out["per_class"]["1"]["recall"]["n_boot"] == 200


def test_evaluate_model_regressor_and_wrapped_adapter():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200)})
    y = 2 * X["a"] - X["b"] + rng.normal(0, 0.5, 200)
    model = LinearRegression().fit(X, y)
    res = evaluate_model(wrap(model), X, y, n_boot=100)
    assert res.task == "regression" and res.classes is None and res.per_class is None
    assert res["r2"].estimate == pytest.approx(model.score(X, y), rel=1e-12)


def test_evaluate_with_only_probabilities_has_no_label_metrics():
    res = evaluate([0, 1, 1, 0], proba=[0.2, 0.7, 0.6, 0.4], n_boot=50)
    assert set(res.metrics) == {"roc_auc", "average_precision", "log_loss", "brier"}
    assert res.per_class is None and res.confusion_matrix is None


def test_registered_metric_is_used():
    name = "test_error_rate"
    if name not in METRICS:
        register_metric(name, lambda y, p, _q, _c: float(np.mean(y != p)),
                        task="classification", needs_proba=False, greater_is_better=False,
                        default=False)
    assert name in metric_names("classification")
    res = evaluate([0, 1, 1, 0], y_pred=[0, 1, 0, 0], n_boot=100)
    assert name not in res.metrics  # not a default
    res = evaluate([0, 1, 1, 0], y_pred=[0, 1, 0, 0], metrics=name, n_boot=100)
    assert res[name].estimate == 0.25 and res[name].low <= 0.25 <= res[name].high
    with pytest.raises(ParameterError, match="a name not yet registered"):
        register_metric(name, len, task="classification", needs_proba=False,
                        greater_is_better=False)
    with pytest.raises(ParameterError, match="computed metric"):
        res["accuracy"]
    with pytest.raises(ParameterError, match="regression"):
        register_metric("x", len, task="ranking", needs_proba=False, greater_is_better=True)


def test_single_row_is_a_clear_error_not_a_warning():
    import warnings

    from stalwart import DataError
    from stalwart.metrics import evaluate
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DataError, match="data on which it is defined"):
            evaluate(np.array([1]), y_pred=np.array([1]), proba=np.array([[0.2, 0.8]]),
                     classes=[0, 1], task="classification", n_boot=10)
