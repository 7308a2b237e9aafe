"""wrap(): dispatch order, refusals with expected / got / fix, option checks."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from stalwart.checks import Suite
from stalwart.exceptions import ModelError, ParameterError
from stalwart.models import (ADAPTERS, CallableAdapter, SklearnAdapter, register_adapter,
                             wrap)
from stalwart.models.registry import ordered


def test_priority_order_is_specific_formats_first():
    assert [name for name, _ in ordered()] == ["onnx", "sklearn", "callable"]
    assert [ADAPTERS.capabilities(n)["priority"] for n, _ in ordered()] == [10, 20, 90]


class _CallableWithPredict:
    def predict(self, X):
        return np.zeros(len(X))

    def __call__(self, X):
        raise AssertionError("the predict method must be used, not __call__")


def test_an_object_with_predict_goes_to_the_sklearn_adapter_even_if_callable():
    model = wrap(_CallableWithPredict(), task="regression")
    assert isinstance(model, SklearnAdapter)
    np.testing.assert_array_equal(model.predict(np.ones((3, 2))), np.zeros(3))


def test_wrapping_an_adapter_returns_it_unchanged(iris_model):
    model = wrap(iris_model)
    assert wrap(model) is model
    with pytest.raises(ParameterError, match=r"\['name'\] with a SklearnAdapter"):
        wrap(model, name="again")


def test_an_object_without_predict_gets_one_clear_message():
    with pytest.raises(ModelError) as info:
        wrap({"coef": [1.0, 2.0]})
    err = info.value
    assert err.what == "model"
    assert "a fitted model with a predict method" in err.expected
    assert err.got == "an object of type builtins.dict with no predict method that is not callable"
    assert "wrap(f, task=...)" in err.fix and "load_model(path)" in err.fix
    assert err.to_dict()["type"] == "ModelError"


def test_common_mistakes():
    with pytest.raises(ModelError, match="got the class sklearn.linear_model._logistic."
                       "LogisticRegression. Fix: create and fit it"):
        wrap(LogisticRegression)
    with pytest.raises(ModelError, match="load_model"):
        wrap("model.skops")


def test_adapter_options_are_checked():
    model = wrap(lambda X: np.zeros(len(X)), classes=[0, 1],
                 proba=lambda X: np.full((len(X), 2), 0.5))
    assert isinstance(model, CallableAdapter) and model.can("predict_proba")
    with pytest.raises(ParameterError, match=r"options among \['proba'\]; got \['probs'\]"):
        wrap(lambda X: X, task="regression", probs=None)
    with pytest.raises(ParameterError, match="no adapter-specific options"):
        wrap(LogisticRegression().fit([[0.0], [1.0]], [0, 1]), proba=len)


@pytest.mark.parametrize("kwargs,match", [
    ({"task": "ranking"}, "one of \\['classification', 'regression'\\]"),
    ({"classes": [1]}, "at least two distinct labels"),
    ({"classes": [1, 1]}, "at least two distinct labels"),
    ({"task": "regression", "classes": [0, 1]}, "no classes for a regression model"),
    ({"task": "regression", "feature_names": "abc"}, "a list of column names"),
    ({"task": "regression", "feature_names": ["a", "a"]}, "distinct names"),
])
def test_common_options_are_validated(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        wrap(lambda X: X, **kwargs)


def test_register_adapter_checks_the_factory():
    with pytest.raises(ParameterError, match="without accepts"):
        register_adapter("broken", object(), priority=5)
    with pytest.raises(ParameterError, match="an integer"):
        register_adapter("broken", SklearnAdapter, priority="high")
    assert "broken" not in ADAPTERS


def test_suite_run_wraps_the_model_and_records_it(iris, iris_model):
    X, y = iris
    result = Suite("empty", []).run(X.assign(species=y), target="species", model=iris_model)
    assert result.model["adapter"] == "SklearnAdapter"
    assert result.model["classes"] == [0, 1, 2]
    assert result.model["task"] == "classification"
