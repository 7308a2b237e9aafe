"""OnnxAdapter on scikit-learn models converted with skl2onnx and run by onnxruntime."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort
import pytest
from skl2onnx import convert_sklearn, to_onnx
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.linear_model import LogisticRegression, Ridge

from stalwart.exceptions import ModelError, SchemaError
from stalwart.models import OnnxAdapter, wrap

# onnxruntime computes in float32: probabilities agree with scikit-learn's to ~1e-6
ATOL = 1e-5


@pytest.fixture(scope="module")
def iris_lr(iris):
    X, y = iris
    return LogisticRegression(max_iter=1000).fit(X.to_numpy(), y), X.to_numpy()


@pytest.mark.parametrize("options", [None, {"zipmap": False}], ids=["zipmap", "tensor"])
def test_classifier_labels_and_probabilities(iris_lr, options):
    est, X = iris_lr
    proto = to_onnx(est, X[:1].astype(np.float32), options=options)
    model = wrap(proto)
    assert isinstance(model, OnnxAdapter)
    assert model.task == "classification"
    assert model.classes_.tolist() == [0, 1, 2]  # read from the graph
    assert model.capabilities == {"predict", "predict_proba"}
    np.testing.assert_array_equal(model.predict(X), est.predict(X))
    np.testing.assert_allclose(model.predict_proba(X), est.predict_proba(X), atol=ATOL)
    described = json.loads(json.dumps(model.describe()))
    assert described["inputs"] == [{"name": "X", "type": "tensor(float)"}]


def test_a_bare_session_needs_classes(iris_lr):
    est, X = iris_lr
    proto = to_onnx(est, X[:1].astype(np.float32), options={"zipmap": False})
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    with pytest.raises(ModelError, match="pass classes="):
        wrap(session)
    model = wrap(session, classes=[0, 1, 2], name="iris")
    np.testing.assert_allclose(model.predict_proba(X), est.predict_proba(X), atol=ATOL)
    with pytest.raises(ModelError, match="the graph's labels"):
        wrap(proto, classes=[2, 1, 0])


def test_regressor(diabetes):
    X, y = diabetes
    est = Ridge(alpha=1.0).fit(X.to_numpy(), y)
    model = wrap(to_onnx(est, X.to_numpy()[:1].astype(np.float32)))
    assert model.task == "regression" and model.classes_ is None
    np.testing.assert_allclose(model.predict(X), est.predict(X.to_numpy()), rtol=1e-5, atol=1e-3)
    with pytest.raises(ModelError, match="a regression model"):
        model.predict_proba(X)


def test_input_width_is_checked(iris_lr):
    est, X = iris_lr
    model = wrap(to_onnx(est, X[:1].astype(np.float32)))
    with pytest.raises(SchemaError, match="expected 4 columns; got 3 columns"):
        model.predict(X[:, :3])


@pytest.mark.parametrize("options", [None, {"zipmap": False}], ids=["zipmap", "tensor"])
def test_pipeline_with_string_inputs(categorical, categorical_pipeline, options):
    X, y = categorical
    est = categorical_pipeline().fit(X, y)
    types = [("colour", StringTensorType([None, 1])), ("plan", StringTensorType([None, 1])),
             ("age", FloatTensorType([None, 1])), ("spend", FloatTensorType([None, 1]))]
    model = wrap(convert_sklearn(est, initial_types=types, options=options))
    assert model.feature_names == ["colour", "plan", "age", "spend"]
    assert model.classes_.tolist() == ["churn", "stay"]
    np.testing.assert_array_equal(model.predict(X), est.predict(X))
    np.testing.assert_allclose(model.predict_proba(X[::-1]), est.predict_proba(X[::-1]),
                               atol=ATOL)
    with pytest.raises(SchemaError, match=r"\['plan'\]"):
        model.predict(X.drop(columns=["plan"]))
    with pytest.raises(SchemaError, match="tensor\\(float\\)"):
        model.predict(X.assign(age="old"))
