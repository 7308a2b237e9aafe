import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression

from stalwart.exceptions import DataError, ParameterError
from stalwart.explain import explain_prediction


@pytest.fixture(scope="module")
def linear():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(80, 3)), columns=["a", "b", "c"])
    return X, LinearRegression().fit(X, 3 * X["a"] - X["b"] + 2.0)


def test_shap_and_replacement_agree_with_the_closed_form_for_a_linear_model(linear):
    pytest.importorskip("shap")
    X, model = linear
    row = {"a": 1.5, "b": -2.0, "c": 0.3}
    expected = {"a": 3 * (1.5 - X["a"].mean()), "b": -1 * (-2.0 - X["b"].mean()), "c": 0.0}
    shap_ex = explain_prediction(model, row, reference=X, max_background=80)
    repl = explain_prediction(model, row, reference=X, method="replacement", n_samples=80)
    assert shap_ex.method == "shap (exact)" and "shap is installed" in shap_ex.reason
    assert repl.method == "replacement"
    as_list = explain_prediction(model, [1.5, -2.0, 0.3], reference=X, method="replacement",
                                 n_samples=80)  # a plain list is one row, like a 1-D array
    assert as_list.contributions == repl.contributions
    for ex in (shap_ex, repl):
        got = {c["feature"]: c["contribution"] for c in ex.contributions}
        assert got == pytest.approx(expected, abs=1e-8)
        assert [c["feature"] for c in ex.contributions] == ["a", "b", "c"]
        assert ex.prediction == pytest.approx(3 * 1.5 + 2.0 + 2.0)
        assert ex.additivity_gap == pytest.approx(0.0, abs=1e-8)  # no interactions
        assert ex.explained_class is None and ex.output == "prediction"


def test_classifier_explains_the_predicted_class(planted_split):
    pytest.importorskip("shap")
    X, y, X_test, _ = planted_split
    model = RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(X, y)
    row = X_test.iloc[[0]]
    ex = explain_prediction(model, row, reference=X, max_background=50)
    k = int(np.argmax(model.predict_proba(row)[0]))
    assert ex.explained_class == model.classes_[k] and ex.output == "probability"
    assert ex.prediction == pytest.approx(model.predict_proba(row)[0, k])
    assert abs(ex.additivity_gap) < 1e-6  # SHAP is additive
    assert ex.method == "shap (tree)"
    assert ex.to_dict()["contributions"][0]["feature"] == ex.contributions[0]["feature"]
    repl = explain_prediction(model, X_test.iloc[0], reference=X, method="replacement")
    assert repl.explained_class == ex.explained_class


def test_bad_input_is_explained(linear):
    X, model = linear
    with pytest.raises(DataError, match="exactly one row"):
        explain_prediction(model, X.iloc[:2], reference=X)
    with pytest.raises(ParameterError, match="method"):
        explain_prediction(model, X.iloc[[0]], reference=X, method="lime")
    with pytest.raises(DataError, match="reference"):
        explain_prediction(model, X.iloc[[0]], reference=X[["a", "b"]])
    # the options are named as this function names them (not root-cause analysis' words)
    with pytest.raises(ParameterError, match="^n_samples: .*pass n_samples=50"):
        explain_prediction(model, X.iloc[[0]], reference=X, method="replacement", n_samples=0)
    with pytest.raises(ParameterError, match="^max_background"):
        explain_prediction(model, X.iloc[[0]], reference=X, method="replacement",
                           max_background=0)
