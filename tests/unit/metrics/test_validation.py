"""Per-fold metrics equal cross_val_score with the same splitter; bad inputs fail clearly."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn import model_selection as ms
from sklearn.linear_model import LogisticRegression, Ridge

from stalwart.exceptions import DataError, ParameterError, SchemaError
from stalwart.metrics import STRATEGIES, validate
from stalwart.metrics.validation import make_splitter


@pytest.fixture
def clf_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 3))
    y = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(0, 0.7, 240) > 0).astype(int)
    groups = np.repeat(np.arange(24), 10)
    return X, y, groups


@pytest.mark.parametrize("strategy, splitter, extra", [
    ("stratified", ms.StratifiedKFold(5, shuffle=True, random_state=0), {}),
    ("kfold", ms.KFold(5, shuffle=True, random_state=0), {}),
    ("group", ms.GroupKFold(5), {"groups": True}),
    ("stratified_group", ms.StratifiedGroupKFold(5, shuffle=True, random_state=0),
     {"groups": True}),
    ("time", ms.TimeSeriesSplit(5, gap=4), {"time": True, "gap": 4}),
    ("holdout", ms.StratifiedShuffleSplit(1, test_size=0.25, random_state=0), {}),
])
def test_fold_metrics_equal_cross_val_score(clf_data, strategy, splitter, extra):
    X, y, groups = clf_data
    kw = {"n_splits": 5}
    if extra.get("groups"):
        kw["groups"] = groups
    if extra.get("time"):
        kw["time"] = np.arange(len(y))
        kw["gap"] = extra["gap"]
    model = LogisticRegression()
    res = validate(model, X, y, strategy=strategy, metrics=["accuracy", "roc_auc"], **kw)
    cv_groups = groups if extra.get("groups") else None
    for metric in ("accuracy", "roc_auc"):
        ref = ms.cross_val_score(LogisticRegression(), X, y, cv=splitter, groups=cv_groups,
                                 scoring=metric)
        got = [f["metrics"][metric] for f in res.folds]
        np.testing.assert_allclose(got, ref, rtol=1e-12)
        s = res.summary[metric]
        assert s["mean"] == pytest.approx(ref.mean(), rel=1e-12)
        assert s["min"] == ref.min() and s["max"] == ref.max()
        if len(ref) > 1:
            assert s["std"] == pytest.approx(ref.std(ddof=1), rel=1e-12)
    assert not hasattr(model, "coef_")  # a clone is fitted, never the given estimator
    assert res.strategy == strategy
    json.dumps(res.to_dict())


def test_regression_kfold_and_time_column(clf_data):
    X, _, _ = clf_data
    rng = np.random.default_rng(1)
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(0, 0.3, len(X))
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["when"] = pd.date_range("2024-01-01", periods=len(X), freq="h")
    res = validate(Ridge(), frame, y, strategy="time", time="when", n_splits=4,
                   metrics=["mae", "r2"])
    ref = ms.cross_val_score(Ridge(), frame[["a", "b", "c"]], y, cv=ms.TimeSeriesSplit(4),
                             scoring="neg_mean_absolute_error")
    np.testing.assert_allclose([f["metrics"]["mae"] for f in res.folds], -ref, rtol=1e-12)
    train_sizes = [f["n_train"] for f in res.folds]
    assert train_sizes == sorted(train_sizes) and res.task == "regression"
    res = validate(Ridge(), X, y, strategy="kfold", n_splits=3)
    assert set(res.summary) == {"mae", "rmse", "r2", "mape", "pinball_0.5"}


def test_undefined_fold_metric_is_counted(clf_data):
    X, _, _ = clf_data
    y = np.zeros(240, int)
    y[:20] = y[220:] = 1  # test folds 40-80, ..., 160-200 hold one class only
    res = validate(LogisticRegression(), X, y, strategy="time", time=np.arange(240),
                   n_splits=5, metrics=["roc_auc", "accuracy"])
    assert res.summary["roc_auc"]["n_undefined"] == 4
    assert np.isfinite(res.folds[4]["metrics"]["roc_auc"])
    assert res.summary["roc_auc"]["mean"] == res.folds[4]["metrics"]["roc_auc"]
    assert np.isnan(res.summary["roc_auc"]["std"])
    assert res.summary["accuracy"]["n_undefined"] == 0


def test_bad_inputs(clf_data):
    X, y, groups = clf_data
    est = LogisticRegression()
    with pytest.raises(DataError, match="groups"):
        validate(est, X, y, strategy="group")
    with pytest.raises(DataError, match="distinct groups"):
        validate(est, X, y, strategy="group", groups=groups % 3)
    with pytest.raises(ParameterError, match="no groups"):
        validate(est, X, y, strategy="kfold", groups=groups)
    with pytest.raises(DataError, match="time"):
        validate(est, X, y, strategy="time")
    with pytest.raises(SchemaError, match="time column"):
        validate(est, pd.DataFrame(X), y, strategy="time", time="when")
    with pytest.raises(DataError, match="sorted by time"):
        validate(est, X, y, strategy="time", time=np.arange(240)[::-1])
    with pytest.raises(DataError, match="more rows than folds"):
        validate(est, X[:4], y[:4], strategy="kfold", n_splits=5)
    y_rare = y.copy()
    y_rare[:3] = 2
    with pytest.raises(DataError, match="at least 5 rows of every class"):
        validate(est, X, y_rare, strategy="stratified", n_splits=5)
    with pytest.raises(DataError, match="gap of 200"):
        validate(est, X, y, strategy="time", time=np.arange(240), gap=200)
    with pytest.raises(ParameterError, match="strategy"):
        validate(est, X, y, strategy="random")
    with pytest.raises(ParameterError, match="gap"):
        validate(est, X, y, strategy="kfold", gap=2)
    with pytest.raises(ParameterError, match="n_splits"):
        make_splitter("kfold", n_splits=1)
    with pytest.raises(DataError, match="same number of rows"):
        validate(est, X[:10], y, strategy="kfold")
    assert "time" in STRATEGIES
