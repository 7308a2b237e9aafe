import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression, LogisticRegression

from stalwart.checks.evaluation import evaluate_suite_run
from stalwart.checks.result import Status
from stalwart.models import wrap
from stalwart.uncertainty import expected_calibration_error, maximum_calibration_error


def _run(test, model, target, **kw):
    return evaluate_suite_run(test, model=model, target=target, checks=["calibration"],
                              **kw).results[0]


def _logistic_data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-1.5 * x))).astype(int)
    return pd.DataFrame({"x": x, "y": y})


def test_well_calibrated_model_passes_with_library_numbers():
    train, test = _logistic_data(2000, 0), _logistic_data(2000, 1)
    model = LogisticRegression().fit(train[["x"]], train["y"])
    r = _run(test, model, "y")
    assert r.status is Status.PASS, r.summary
    p = model.predict_proba(test[["x"]])
    assert r.metrics["ece"] == pytest.approx(expected_calibration_error(test["y"], p))
    assert r.metrics["mce"] == pytest.approx(maximum_calibration_error(test["y"], p))
    assert r.metrics["ece"] < 0.05
    assert r.charts[0].kind == "line"
    assert sum(row[1] for row in r.tables[0].rows) == len(test)


def test_overconfident_model_warns():
    train, test = _logistic_data(2000, 0), _logistic_data(2000, 1)
    fitted = LogisticRegression().fit(train[["x"]], train["y"])

    def sharp(X):  # the same ranking, logits blown up fivefold: confident and wrong
        x = np.asarray(X, dtype=float)[:, 0]
        logit = 5 * (fitted.coef_[0, 0] * x + fitted.intercept_[0])
        p1 = 1 / (1 + np.exp(-logit))
        return np.column_stack([1 - p1, p1])

    def label(X):
        return (sharp(X)[:, 1] > 0.5).astype(int)

    model = wrap(label, classes=[0, 1], proba=sharp)
    r = _run(test, model, "y")
    assert r.status is Status.WARN
    assert r.metrics["ece"] > 0.05
    assert r.metrics["overconfidence"] > 0.05
    assert "overconfident" in r.summary


def test_regressor_is_skipped():
    frame = _logistic_data(200, 0)
    model = LinearRegression().fit(frame[["x"]], frame["y"].astype(float))
    r = _run(frame.assign(y=frame["y"].astype(float)), model, "y")
    assert r.status is Status.SKIP and "predict_proba" in r.summary
