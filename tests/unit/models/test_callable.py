"""CallableAdapter: plain functions with an optional proba function."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from stalwart.exceptions import ModelError, ParameterError, SchemaError
from stalwart.models import CallableAdapter, wrap

FRAME = pd.DataFrame({"x": [-2.0, -0.5, 0.0, 1.0, 3.0], "z": [1.0, 2.0, 3.0, 4.0, 5.0]})


def linear(X):
    return 2.0 * np.asarray(X["x"]) + 1.0


def label(X):
    return np.where(np.asarray(X["x"]) > 0, "yes", "no")


def proba(X):
    p = expit(np.asarray(X["x"]))
    return np.column_stack([1.0 - p, p])


def test_regression_function():
    model = wrap(linear, task="regression")
    assert isinstance(model, CallableAdapter)
    assert model.task == "regression" and model.classes_ is None
    assert model.name == "linear"
    np.testing.assert_array_equal(model.predict(FRAME), [-3.0, 0.0, 1.0, 3.0, 7.0])
    with pytest.raises(ModelError, match="a function with predictions only"):
        model.predict_proba(FRAME)


def test_classifier_with_proba_infers_the_task_from_classes():
    model = wrap(label, classes=["no", "yes"], proba=proba)
    assert model.task == "classification"
    assert model.capabilities == {"predict", "predict_proba"}
    assert model.predict(FRAME).tolist() == ["no", "no", "no", "yes", "yes"]
    p = model.predict_proba(FRAME)
    np.testing.assert_allclose(p[:, 1], expit(FRAME["x"].to_numpy()))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    described = model.describe()
    assert described["classes"] == ["no", "yes"]
    assert described["function"].endswith("label") and described["proba_function"].endswith("proba")


def test_binary_proba_may_return_the_positive_column():
    model = wrap(label, classes=["no", "yes"], proba=lambda X: expit(np.asarray(X["x"])))
    np.testing.assert_allclose(model.predict_proba(FRAME), proba(FRAME))


def test_a_bare_function_needs_a_task():
    with pytest.raises(ModelError) as info:
        wrap(linear)
    assert "cannot tell whether it classifies or regresses" in info.value.expected
    assert "task='regression'" in info.value.fix


def test_a_classifier_needs_its_classes():
    with pytest.raises(ModelError, match="classes="):
        wrap(label, task="classification")


def test_proba_is_refused_for_regression_and_must_be_callable():
    with pytest.raises(ParameterError, match="no probabilities for a regression model"):
        wrap(linear, task="regression", proba=proba)
    with pytest.raises(ParameterError, match="a function X -> probabilities"):
        wrap(label, classes=["no", "yes"], proba=[0.5, 0.5])


def test_outputs_of_the_wrong_shape_are_refused():
    short = wrap(lambda X: np.zeros(2), task="regression", name="short")
    with pytest.raises(ModelError, match=r"one value per input row \(5 values\)"):
        short.predict(FRAME)
    unnormalised = wrap(label, classes=["no", "yes"], proba=lambda X: np.ones((len(X), 2)))
    with pytest.raises(ModelError, match="sum to 1"):
        unnormalised.predict_proba(FRAME)
    three = wrap(label, classes=["no", "yes"], proba=lambda X: np.full((len(X), 3), 1 / 3))
    with pytest.raises(ModelError, match=r"shape \(5, 2\)"):
        three.predict_proba(FRAME)


def test_feature_names_select_columns_and_name_arrays():
    seen = []

    def spy(X):
        seen.append(list(X.columns))
        return linear(X)

    model = wrap(spy, task="regression", feature_names=["x"])
    np.testing.assert_array_equal(model.predict(FRAME.assign(extra=0)), linear(FRAME))
    np.testing.assert_array_equal(model.predict(FRAME[["x"]].to_numpy()), linear(FRAME))
    assert seen == [["x"], ["x"]]
    with pytest.raises(SchemaError, match=r"\['x'\]"):
        model.predict(FRAME[["z"]])
