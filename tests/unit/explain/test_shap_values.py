import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.svm import LinearSVC

from stalwart.exceptions import ModelError, ParameterError
from stalwart.explain import shap_values

shap = pytest.importorskip("shap")


@pytest.fixture(scope="module")
def small(planted_split):
    X, y, X_test, _ = planted_split
    X, y = X.iloc[:200, :5], y[:200]
    return X, y, X_test.iloc[:20, :5]


@pytest.fixture(scope="module")
def forest(small):
    X, y, _ = small
    return RandomForestClassifier(n_estimators=20, max_depth=4, random_state=0).fit(X, y)


def test_tree_path_equals_shap_called_directly(forest, small):
    X, _, rows = small
    r = shap_values(forest, rows, background=X, max_background=50, random_state=0)
    assert r.algorithm == "tree" and r.output == "probability" and r.n_background == 50
    bg = X.iloc[np.sort(np.random.default_rng(0).choice(len(X), 50, replace=False))]
    direct = shap.TreeExplainer(forest, data=bg.to_numpy(), feature_perturbation="interventional",
                                model_output="probability")(rows.to_numpy())
    np.testing.assert_allclose(r.values, direct.values, atol=1e-12)
    np.testing.assert_allclose(r.base_values, direct.base_values, atol=1e-12)
    assert r.additivity_error < 1e-6
    # additivity against the model itself: values sum to predict_proba minus the base
    np.testing.assert_allclose(r.values.sum(axis=1) + r.base_values,
                               forest.predict_proba(rows), atol=1e-6)
    assert set(r.ranking()[:3]) == {"f0", "f1", "f2"}

    path = shap_values(forest, rows, algorithm="tree_path_dependent")
    direct = shap.TreeExplainer(forest, feature_perturbation="tree_path_dependent")(rows.to_numpy())
    np.testing.assert_allclose(path.values, direct.values, atol=1e-12)
    assert path.n_background is None and path.output == "probability"


def test_boosting_single_output_is_mirrored_to_both_classes(small):
    X, y, rows = small
    gb = GradientBoostingClassifier(n_estimators=20, random_state=0).fit(X, y)
    r = shap_values(gb, rows, background=X, max_background=40)
    assert r.values.shape == (20, 5, 2) and r.classes == (0, 1)
    np.testing.assert_allclose(r.values[:, :, 0], -r.values[:, :, 1])
    np.testing.assert_allclose(r.values.sum(axis=1) + r.base_values, gb.predict_proba(rows),
                               atol=1e-6)
    raw = shap_values(gb, rows, algorithm="tree_path_dependent")
    assert raw.output == "log-odds"
    np.testing.assert_allclose(raw.values[:, :, 1].sum(axis=1) + raw.base_values[:, 1],
                               gb.decision_function(rows), atol=1e-6)


@pytest.mark.parametrize("algorithm", ["exact", "permutation"])
def test_model_agnostic_matches_the_closed_form_of_a_linear_model(algorithm):
    # for f(x) = w.x + b with independent features, phi_j = w_j (x_j - mean_background_j)
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.normal(size=(60, 4)), columns=list("abcd"))
    w = np.array([2.0, -1.0, 0.5, 0.0])
    model = LinearRegression().fit(X, X.to_numpy() @ w + 1.0)
    r = shap_values(model, X.iloc[:10], background=X, max_background=60, algorithm=algorithm)
    expected = (X.iloc[:10].to_numpy() - X.to_numpy().mean(axis=0)) * model.coef_
    np.testing.assert_allclose(r.values, expected, atol=1e-8)
    assert r.algorithm == algorithm and r.output == "prediction" and r.additivity_error < 1e-8
    assert r.mean_abs()["d"] == pytest.approx(0.0, abs=1e-8)


def test_auto_choice_is_recorded(small):
    X, y, rows = small
    logistic = LogisticRegression().fit(X, y)
    r = shap_values(logistic, rows.iloc[:3], background=X, max_background=20)
    assert r.algorithm == "exact" and "5 features <= 8" in r.reason
    assert r.reason.startswith("not a tree ensemble")
    # a tree ensemble shap cannot read (multi-class boosting) is not called "not a tree
    # ensemble": shap's refusal is the recorded reason
    y3 = np.digitize(X["f0"], [-0.5, 0.5])
    gb3 = GradientBoostingClassifier(n_estimators=5, random_state=0).fit(X, y3)
    r3 = shap_values(gb3, rows.iloc[:2], background=X, max_background=10)
    assert r3.algorithm == "exact" and r3.values.shape == (2, 5, 3)
    assert r3.reason.startswith("shap's TreeExplainer refused GradientBoostingClassifier (")
    assert "not a tree ensemble" not in r3.reason and "5 features <= 8" in r3.reason
    assert r3.additivity_error < 1e-10
    assert r.additivity_error < 1e-10
    wide = pd.concat([X, X.add_prefix("copy_")], axis=1)
    model = LogisticRegression().fit(wide, y)
    r = shap_values(model, wide.iloc[:2], background=wide, max_background=10)
    assert r.algorithm == "permutation" and "10 features > 8" in r.reason
    assert r.additivity_error < 1e-10
    assert r.to_dict()["algorithm"] == "permutation"


def test_pipeline_in_input_and_transformed_space():
    rng = np.random.default_rng(2)
    n = 150
    X = pd.DataFrame({"plan": rng.choice(["x", "y", "z"], n), "a": rng.normal(size=n),
                      "b": rng.normal(size=n)})
    y = ((X["plan"] == "x") | (X["a"] > 1)).astype(int)
    pipe = make_pipeline(make_column_transformer((OneHotEncoder(), ["plan"]),
                                                 remainder="passthrough"),
                         RandomForestClassifier(n_estimators=15, random_state=0)).fit(X, y)
    r = shap_values(pipe, X.iloc[:8], background=X, max_background=25)
    assert r.space == "input" and r.algorithm == "exact" and r.feature_names == ("plan", "a", "b")
    assert r.ranking()[0] == "plan" and r.additivity_error < 1e-10
    t = shap_values(pipe, X.iloc[:8], background=X, max_background=25, space="transformed")
    assert t.algorithm == "tree" and t.space == "transformed"
    assert t.feature_names[0] == "onehotencoder__plan_x" and len(t.feature_names) == 5
    assert t.additivity_error < 1e-6
    with pytest.raises(ParameterError, match="space='transformed'"):
        shap_values(pipe, X.iloc[:8], algorithm="tree")


def test_tree_model_on_categorical_columns_falls_back_to_a_model_agnostic_explainer():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(3)
    X = pd.DataFrame({"plan": pd.Categorical(rng.choice(["x", "y", "z"], 200)),
                      "a": rng.normal(size=200)})
    y = ((X["plan"] == "x") | (X["a"] > 1)).astype(int)
    model = HistGradientBoostingClassifier(max_iter=10, categorical_features="from_dtype",
                                           random_state=0).fit(X, y)
    r = shap_values(model, X.iloc[:4], background=X, max_background=20)
    assert r.algorithm == "exact" and r.feature_names == ("plan", "a")
    assert r.reason.startswith("shap's TreeExplainer refused HistGradientBoostingClassifier")
    np.testing.assert_allclose(r.values.sum(axis=1) + r.base_values,
                               model.predict_proba(X.iloc[:4]), atol=1e-10)
    with pytest.raises(ModelError, match="could not convert"):
        shap_values(model, X.iloc[:4], algorithm="tree")


def test_bad_input_is_explained(small):
    X, y, rows = small
    with pytest.raises(ModelError, match="tree ensemble"):
        shap_values(LogisticRegression().fit(X, y), rows, algorithm="tree")
    with pytest.raises(ModelError, match="predict_proba"):
        shap_values(LinearSVC().fit(X, y), rows)
    with pytest.raises(ParameterError, match="algorithm"):
        shap_values(LogisticRegression().fit(X, y), rows, algorithm="kernel")
    with pytest.raises(ParameterError, match="space"):
        shap_values(LogisticRegression().fit(X, y), rows, space="transformed")
    with pytest.raises(ParameterError, match="max_background"):
        shap_values(LogisticRegression().fit(X, y), rows, max_background=0)
