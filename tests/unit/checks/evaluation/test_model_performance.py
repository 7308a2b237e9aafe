import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LinearRegression
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score

from stalwart.checks.evaluation import evaluate_suite_run
from stalwart.checks.result import Status


def _run(test, model, target, **kw):
    return evaluate_suite_run(test, model=model, target=target,
                              checks=["model_performance"], random_state=0, **kw).results[0]


def test_good_classifier_passes_with_sklearn_numbers(cancer):
    train, test, model = cancer
    r = _run(test, model, "target", reference=train)
    assert r.status is Status.PASS, r.summary
    X, y = test.drop(columns="target"), test["target"]
    assert r.metrics["accuracy"] == pytest.approx(accuracy_score(y, model.predict(X)))
    assert r.metrics["roc_auc"] == pytest.approx(roc_auc_score(y, model.predict_proba(X)[:, 1]))
    assert r.metrics["accuracy_low"] <= r.metrics["accuracy"] <= r.metrics["accuracy_high"]
    assert r.metrics["baseline_balanced_accuracy"] == 0.5
    assert r.metrics["beats_baseline"] == 1
    assert "beats the baseline" in r.summary


def test_model_no_better_than_baseline_fails(cancer):
    train, test, _ = cancer
    X = train.drop(columns="target")
    dummy = DummyClassifier(strategy="stratified", random_state=0).fit(X, train["target"])
    r = _run(test, dummy, "target", reference=train)
    assert r.status is Status.FAIL
    assert r.metrics["beats_baseline"] == 0
    assert "does not beat" in r.summary


def test_regression_metrics_and_baseline(rng):
    import pandas as pd
    n = 600
    x = rng.normal(size=(n, 2))
    y = 3 * x[:, 0] + rng.normal(scale=0.5, size=n)
    frame = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "y": y})
    train, test = frame.iloc[:300], frame.iloc[300:]
    good = LinearRegression().fit(train[["a", "b"]], train["y"])
    r = _run(test, good, "y", reference=train)
    assert r.status is Status.PASS
    assert r.metrics["r2"] == pytest.approx(r2_score(test["y"], good.predict(test[["a", "b"]])))
    # a model of the irrelevant column only is no better than predicting the mean
    bad = LinearRegression().fit(train[["b"]], train["y"])
    r = _run(test[["b", "y"]], bad, "y", reference=train[["b", "y"]])
    assert r.status is Status.FAIL and r.metrics["beats_baseline"] == 0


def test_missing_labels_are_dropped_and_counted(cancer):
    train, test, model = cancer
    test = test.copy()
    test.loc[test.index[:10], "target"] = np.nan
    r = _run(test, model, "target", reference=train)
    assert r.metrics["n_unlabelled_rows"] == 10
    assert r.metrics["n_rows"] == len(test) - 10
