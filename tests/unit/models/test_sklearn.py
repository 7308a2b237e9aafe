"""SklearnAdapter on real fitted scikit-learn, XGBoost and LightGBM models."""

from __future__ import annotations

import json

import lightgbm
import numpy as np
import pandas as pd
import pytest
import xgboost
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.svm import SVC

from stalwart.exceptions import DataError, ModelError, SchemaError
from stalwart.models import SklearnAdapter, wrap


def test_classifier_on_iris_matches_the_estimator(iris, iris_model):
    X, y = iris
    est = iris_model
    model = wrap(est)
    assert isinstance(model, SklearnAdapter)
    assert model.task == "classification"
    assert model.classes_.tolist() == [0, 1, 2]
    assert model.feature_names == list(X.columns)
    assert model.capabilities == {"predict", "predict_proba", "decision_function"}
    np.testing.assert_array_equal(model.predict(X), est.predict(X))
    np.testing.assert_array_equal(model.predict_proba(X), est.predict_proba(X))
    np.testing.assert_array_equal(model.decision_function(X), est.decision_function(X))


def test_regressor_has_no_classes_and_no_probabilities(diabetes):
    X, y = diabetes
    est = Ridge(alpha=1.0).fit(X, y)
    model = wrap(est, name="ridge", version="3")
    assert model.task == "regression"
    assert model.classes_ is None
    assert not model.can("predict_proba")
    np.testing.assert_allclose(model.predict(X), est.predict(X), rtol=0, atol=0)
    with pytest.raises(ModelError, match="regressor has no class probabilities"):
        model.predict_proba(X)
    described = model.describe()
    assert described["name"] == "ridge" and described["version"] == "3"
    assert described["estimator"] == "sklearn.linear_model._ridge.Ridge"
    assert described["library"]["name"] == "sklearn"


def test_pipeline_with_one_hot_on_string_columns(categorical, categorical_pipeline):
    X, y = categorical
    est = categorical_pipeline().fit(X, y)
    model = wrap(est)
    assert model.task == "classification"
    assert model.classes_.tolist() == ["churn", "stay"]
    assert model.feature_names == ["colour", "plan", "age", "spend"]
    np.testing.assert_array_equal(model.predict(X), est.predict(X))
    np.testing.assert_array_equal(model.predict_proba(X), est.predict_proba(X))
    # extra columns are dropped and the order is restored
    shuffled = X[["spend", "age", "plan", "colour"]].assign(customer_id=np.arange(len(X)))
    np.testing.assert_array_equal(model.predict_proba(shuffled), est.predict_proba(X))


def test_pipeline_works_with_object_columns_too(categorical, categorical_pipeline):
    X, y = categorical
    as_object = X.astype({"colour": object, "plan": object})
    est = categorical_pipeline().fit(as_object, y)
    np.testing.assert_array_equal(wrap(est).predict(X), est.predict(as_object))


def test_missing_columns_are_named(categorical, categorical_pipeline):
    X, y = categorical
    model = wrap(categorical_pipeline().fit(X, y))
    with pytest.raises(SchemaError) as info:
        model.predict(X.drop(columns=["plan", "age"]))
    assert "['plan', 'age']" in info.value.got
    assert "missing 2 of them" in info.value.got


def test_model_fitted_on_arrays_takes_arrays_and_frames(iris):
    X, y = iris
    est = LogisticRegression(max_iter=1000).fit(X.to_numpy(), y)
    model = wrap(est)
    assert model.feature_names is None
    expected = est.predict(X.to_numpy())
    # a frame is passed positionally (no "fitted without feature names" warning)
    np.testing.assert_array_equal(model.predict(X), expected)
    with pytest.raises(SchemaError, match="expected 4 columns; got 3 columns"):
        model.predict(X.iloc[:, :3].to_numpy())
    named = wrap(est, feature_names=list(X.columns))
    np.testing.assert_array_equal(named.predict(X[X.columns[::-1]]), expected)


def test_input_shape_errors(iris, iris_model):
    X, y = iris
    model = wrap(iris_model)
    with pytest.raises(DataError, match="2-D array"):
        model.predict(X.to_numpy()[0])
    with pytest.raises(DataError, match="at least one row"):
        model.predict(X.iloc[:0])


@pytest.mark.parametrize("make", [
    lambda: xgboost.XGBClassifier(n_estimators=20, max_depth=3, random_state=0, n_jobs=1),
    lambda: lightgbm.LGBMClassifier(n_estimators=20, random_state=0, verbose=-1, n_jobs=1),
])
def test_boosted_classifiers_through_the_sklearn_api(cancer, make):
    X, y = cancer
    est = make().fit(X, y)
    model = wrap(est)
    assert isinstance(model, SklearnAdapter)
    assert model.task == "classification"
    assert model.classes_.tolist() == [0, 1]
    # LightGBM stores "mean radius" as "mean_radius"; the original frame still matches
    assert model.feature_names == [str(c) for c in est.feature_names_in_]
    assert len(model.feature_names) == X.shape[1] == 30
    np.testing.assert_array_equal(model.predict(X), est.predict(X))
    proba = model.predict_proba(X)
    np.testing.assert_array_equal(proba, est.predict_proba(X))
    # the probability columns follow classes_: argmax gives the predicted label
    np.testing.assert_array_equal(model.classes_[proba.argmax(axis=1)], model.predict(X))
    assert json.loads(json.dumps(model.describe()))["library"]["name"] == type(est).__module__.split(".")[0]


def test_lightgbm_regressor(diabetes):
    X, y = diabetes
    est = lightgbm.LGBMRegressor(n_estimators=30, random_state=0, verbose=-1, n_jobs=1).fit(X, y)
    model = wrap(est)
    assert model.task == "regression" and model.classes_ is None
    np.testing.assert_array_equal(model.predict(X), est.predict(X))
    with pytest.raises(SchemaError, match="bmi"):
        model.predict(X.drop(columns=["bmi"]))


def test_lightgbm_names_with_spaces_are_matched(cancer):
    X, y = cancer
    est = lightgbm.LGBMClassifier(n_estimators=10, random_state=0, verbose=-1, n_jobs=1).fit(X, y)
    model = wrap(est)
    assert "mean_radius" in model.feature_names and "mean radius" in X.columns
    reordered = X[X.columns[::-1]]
    np.testing.assert_array_equal(model.predict_proba(reordered), est.predict_proba(X))
    with pytest.raises(SchemaError, match="mean_texture"):
        model.predict(X.drop(columns=["mean texture"]))


def test_xgboost_fitted_on_arrays_accepts_a_frame(cancer):
    X, y = cancer
    est = xgboost.XGBClassifier(n_estimators=10, random_state=0, n_jobs=1).fit(X.to_numpy(), y)
    np.testing.assert_array_equal(wrap(est).predict(X), est.predict(X.to_numpy()))


def test_classifier_without_predict_proba(iris):
    X, y = iris
    model = wrap(SVC().fit(X, y))
    assert model.capabilities == {"predict", "decision_function"}
    with pytest.raises(ModelError, match="SVC has no predict_proba"):
        model.predict_proba(X)


def test_unfitted_model_is_refused():
    with pytest.raises(ModelError, match=r"got an unfitted RandomForestClassifier\. Fix: call model\.fit"):
        wrap(RandomForestClassifier())


def test_declared_task_and_classes_must_agree_with_the_model(iris_model):
    est = iris_model
    with pytest.raises(ModelError, match="the model's own task"):
        wrap(est, task="regression")
    with pytest.raises(ModelError, match="the model's classes_"):
        wrap(est, classes=[2, 1, 0])
    assert wrap(est, classes=[0, 1, 2], task="classification").classes_.tolist() == [0, 1, 2]
    with pytest.raises(ModelError, match="fitted with"):
        wrap(est, feature_names=["a", "b", "c", "d"])


class _Duck:
    """A model that follows the predict convention without being a scikit-learn estimator."""

    def predict(self, X):
        return np.asarray(X, dtype=float).sum(axis=1)


def test_duck_typed_model_needs_a_task():
    with pytest.raises(ModelError, match="pass task="):
        wrap(_Duck())
    model = wrap(_Duck(), task="regression")
    assert isinstance(model, SklearnAdapter)
    np.testing.assert_array_equal(model.predict(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})),
                                  [4.0, 6.0])


def test_duck_typed_classifier_needs_classes():
    with pytest.raises(ModelError, match="classes_ on the model or classes= given"):
        wrap(_Duck(), task="classification")
    model = wrap(_Duck(), task="classification", classes=[0.0, 1.0])
    assert model.classes_.tolist() == [0.0, 1.0]
    assert not model.can("predict_proba")
