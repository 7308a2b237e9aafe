"""Conformance: every registered adapter keeps the ModelAdapter contract.

Each name in ``ADAPTERS`` needs at least one example model in ``EXAMPLES`` (a classifier
and a regressor where the adapter supports both); a newly registered adapter without one
fails ``test_every_registered_adapter_has_examples``.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from stalwart.exceptions import ModelError, SchemaError
from stalwart.models import ADAPTERS, TASKS, ModelAdapter, wrap

CAPABILITIES = {"predict", "predict_proba", "decision_function", "gradients"}


def _iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    return X, y


def _cancer():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    return X, y


def _diabetes():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    return X, y


def sklearn_classifier():
    X, y = _iris()
    return LogisticRegression(max_iter=1000).fit(X, y), {}, X


def sklearn_regressor():
    X, y = _diabetes()
    return Ridge().fit(X, y), {}, X


def xgboost_classifier():
    import xgboost

    X, y = _cancer()
    return xgboost.XGBClassifier(n_estimators=10, random_state=0, n_jobs=1).fit(X, y), {}, X


def lightgbm_regressor():
    import lightgbm

    X, y = _diabetes()
    est = lightgbm.LGBMRegressor(n_estimators=10, random_state=0, verbose=-1, n_jobs=1)
    return est.fit(X, y), {}, X


def onnx_classifier():
    from skl2onnx import to_onnx

    X, y = _cancer()
    est = make_pipeline(StandardScaler(), LogisticRegression()).fit(X.to_numpy(), y)
    return to_onnx(est, X.to_numpy()[:1].astype(np.float32)), {}, X


def onnx_session_regressor():
    import onnxruntime as ort
    from skl2onnx import to_onnx

    X, y = _diabetes()
    proto = to_onnx(Ridge().fit(X.to_numpy(), y), X.to_numpy()[:1].astype(np.float32))
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    return session, {}, X


def callable_classifier():
    X, _ = _iris()

    def proba(frame):
        scores = frame[["petal length (cm)", "petal width (cm)", "sepal width (cm)"]].to_numpy()
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def label(frame):
        return np.array(["a", "b", "c"])[proba(frame).argmax(axis=1)]

    return label, {"classes": ["a", "b", "c"], "proba": proba,
                   "feature_names": list(X.columns)}, X


def callable_regressor():
    X, _ = _diabetes()
    return (lambda frame: frame["bmi"].to_numpy() * 2.0), {"task": "regression"}, X


EXAMPLES = {
    "sklearn": [sklearn_classifier, sklearn_regressor, xgboost_classifier, lightgbm_regressor],
    "onnx": [onnx_classifier, onnx_session_regressor],
    "callable": [callable_classifier, callable_regressor],
}

CASES = [pytest.param(name, make, id=f"{name}-{make.__name__}")
         for name in ADAPTERS.names() for make in EXAMPLES.get(name, [])]


def test_every_registered_adapter_has_examples():
    missing = sorted(set(ADAPTERS.names()) - set(EXAMPLES))
    assert not missing, f"registered adapters without a conformance example: {missing}"


@pytest.mark.parametrize("name,make", CASES)
def test_adapter_contract(name, make):
    raw, options, X = make()
    factory = ADAPTERS.get(name)
    assert factory.accepts(raw)
    model = wrap(raw, **options)
    assert type(model) is factory, "wrap() must route the example to its own adapter"
    assert isinstance(model, ModelAdapter)
    assert wrap(model) is model

    assert model.task in TASKS
    assert "predict" in model.capabilities and model.capabilities <= CAPABILITIES
    assert isinstance(model.name, str) and model.name
    assert model.version is None or isinstance(model.version, str)
    assert model.feature_names is None or all(isinstance(c, str) for c in model.feature_names)

    pred = model.predict(X)
    assert pred.shape == (len(X),)
    np.testing.assert_array_equal(model.predict(X.iloc[:7]), pred[:7])

    if model.task == "classification":
        classes = model.classes_
        assert isinstance(classes, np.ndarray) and classes.ndim == 1 and len(classes) >= 2
        assert len(pd.unique(classes)) == len(classes)
        assert set(pred.tolist()) <= set(classes.tolist())
    else:
        assert model.classes_ is None
        assert np.issubdtype(pred.dtype, np.number)

    if model.can("predict_proba"):
        proba = model.predict_proba(X)
        assert proba.shape == (len(X), len(model.classes_))
        assert (proba >= 0).all()
        np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-4)
        # the columns follow classes_: the most probable class is the predicted one
        np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], pred)
    else:
        with pytest.raises(ModelError):
            model.predict_proba(X)

    if model.feature_names is not None:
        with pytest.raises(SchemaError, match=re.escape(repr(model.feature_names[0]))):
            model.predict(X.drop(columns=[X.columns[0]]))

    described = model.describe()
    assert json.loads(json.dumps(described)) == described
    assert described["adapter"] == type(model).__name__
    assert described["task"] == model.task
    assert described["capabilities"] == sorted(model.capabilities)
    assert described["classes"] == (None if model.classes_ is None else model.classes_.tolist())
