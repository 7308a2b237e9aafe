import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance as sk_permutation_importance
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from sklearn.svm import LinearSVC

from stalwart.exceptions import DataError, ModelError, ParameterError
from stalwart.explain import permutation_importance
from stalwart.explain import permutation as permutation_module

INFORMATIVE = {"f0", "f1", "f2"}
NOISE = ["f3", "f4", "f5", "f6", "f7"]


@pytest.fixture(scope="module")
def forest(planted_split):
    X, y, _, _ = planted_split
    return RandomForestClassifier(n_estimators=60, min_samples_leaf=5, random_state=0,
                                  n_jobs=1).fit(X, y)


def test_recovers_the_informative_features_of_a_planted_problem(forest, planted_split):
    _, _, X, y = planted_split
    r = permutation_importance(forest, X, y, n_repeats=10, random_state=0)
    assert set(r.top(3)) == INFORMATIVE
    assert r.ranking()[:3] == ["f0", "f1", "f2"]  # in the order of their true weights
    weakest = min(r.feature(f).ci_low for f in INFORMATIVE)
    assert weakest > 0.02  # every informative interval excludes 0, by a margin
    for f in NOISE:  # negligible: the whole interval within 0.005 of zero
        fi = r.feature(f)
        assert -0.005 < fi.ci_low <= fi.ci_high < 0.005, fi
    assert r.options["scoring"] == "roc_auc"
    assert r.details["n_predict_calls"] == 10 + 1  # one batched call per repeat


def test_noise_intervals_contain_zero_when_the_model_ignores_them(planted_split):
    X_train, y_train, X, y = planted_split
    # a model that reads the informative columns only, though it takes all eight
    model = make_pipeline(make_column_transformer(("passthrough", ["f0", "f1", "f2"])),
                          LogisticRegression()).fit(X_train, y_train)
    r = permutation_importance(model, X, y, n_repeats=8, random_state=1)
    assert set(r.top(3)) == INFORMATIVE
    assert all(r.feature(f).ci_low > 0 for f in INFORMATIVE)
    for f in NOISE:
        fi = r.feature(f)
        assert fi.ci_low <= 0 <= fi.ci_high and fi.mean == 0.0


@pytest.mark.parametrize("scoring", ["roc_auc", "accuracy", "log_loss"])
def test_numbers_equal_scikit_learn(forest, planted_split, scoring):
    _, _, X, y = planted_split
    ours = permutation_importance(forest, X, y, scoring=scoring, n_repeats=5, random_state=7)
    sk_scoring = "neg_log_loss" if scoring == "log_loss" else scoring
    ref = sk_permutation_importance(forest, X, y, scoring=sk_scoring, n_repeats=5,
                                    random_state=7)
    values = np.array([ours.feature(c).values for c in X.columns])
    np.testing.assert_allclose(values, ref.importances, rtol=0, atol=1e-12)
    np.testing.assert_allclose([ours.feature(c).mean for c in X.columns],
                               ref.importances_mean, atol=1e-12)


def test_regression_equals_scikit_learn_and_the_interval_is_students_t():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(300, 4))
    y = 3 * X[:, 0] - X[:, 1] + rng.normal(scale=0.5, size=300)
    model = LinearRegression().fit(X, y)
    for scoring, sk in (("r2", "r2"), ("rmse", "neg_root_mean_squared_error")):
        ours = permutation_importance(model, X, y, scoring=scoring, n_repeats=6,
                                      random_state=3, confidence=0.9)
        ref = sk_permutation_importance(model, X, y, scoring=sk, n_repeats=6, random_state=3)
        values = np.array([ours.feature(f"x{j}").values for j in range(4)])
        np.testing.assert_allclose(values, ref.importances, atol=1e-12)
    fi = ours.feature("x0")
    low, high = stats.t.interval(0.9, 5, loc=np.mean(fi.values), scale=stats.sem(fi.values))
    assert (fi.ci_low, fi.ci_high) == pytest.approx((low, high), abs=1e-12)
    assert fi.std == pytest.approx(np.std(fi.values, ddof=1))


def test_one_hot_group_equals_the_raw_column_of_an_equivalent_pipeline():
    rng = np.random.default_rng(4)
    n = 400
    plan = rng.choice(["a", "b", "c"], n)
    x = rng.normal(size=n)
    y = ((plan == "a") ^ (x > 0.3)).astype(int)
    raw = pd.DataFrame({"plan": plan, "x": x})
    onehot = pd.DataFrame({"plan_a": (plan == "a") * 1.0, "plan_b": (plan == "b") * 1.0,
                           "plan_c": (plan == "c") * 1.0, "x": x})
    pipe = make_pipeline(make_column_transformer((OneHotEncoder(sparse_output=False),
                                                  ["plan"]), remainder="passthrough"),
                         LogisticRegression()).fit(raw, y)
    flat = LogisticRegression().fit(onehot, y)
    by_group = permutation_importance(flat, onehot, y, scoring="log_loss", n_repeats=4,
                                      groups={"plan": ["plan_a", "plan_b", "plan_c"]})
    by_column = permutation_importance(pipe, raw, y, scoring="log_loss", n_repeats=4)
    assert by_group.ranking() == by_column.ranking()
    assert by_group.feature("plan").columns == ("plan_a", "plan_b", "plan_c")
    np.testing.assert_allclose(by_group.feature("plan").values,
                               by_column.feature("plan").values, atol=1e-9)
    np.testing.assert_allclose(by_group.feature("x").values, by_column.feature("x").values,
                               atol=1e-9)


def test_split_batches_give_the_same_numbers(forest, planted_split, monkeypatch):
    _, _, X, y = planted_split
    whole = permutation_importance(forest, X, y, n_repeats=3)
    monkeypatch.setattr(permutation_module, "_CELL_BUDGET", 3 * len(X) * X.shape[1])
    split = permutation_importance(forest, X, y, n_repeats=3)
    assert split.details["n_predict_calls"] == 3 * 3 + 1  # 8 features in 3 calls per repeat
    assert [f.values for f in split.features] == [f.values for f in whole.features]


def test_threads_and_max_rows(forest, planted_split):
    _, _, X, y = planted_split
    seq = permutation_importance(forest, X, y, n_repeats=4, max_rows=150)
    par = permutation_importance(forest, X, y, n_repeats=4, max_rows=150, n_jobs=2)
    assert seq.details["n_rows_used"] == 150 and seq.details["n_rows"] == len(X)
    assert [f.values for f in seq.features] == [f.values for f in par.features]
    assert seq.to_dict()["schema_version"] == 1


def test_bad_input_is_explained(forest, planted_split):
    _, _, X, y = planted_split
    with pytest.raises(ParameterError, match="n_repeats"):
        permutation_importance(forest, X, y, n_repeats=1)
    with pytest.raises(ParameterError, match="confidence"):
        permutation_importance(forest, X, y, confidence=1.5)
    with pytest.raises(ParameterError, match="classification metric"):
        permutation_importance(forest, X, y, scoring="r2")
    with pytest.raises(ParameterError, match="metric 'nope'"):
        permutation_importance(forest, X, y, scoring="nope")
    with pytest.raises(DataError, match="one value per row"):
        permutation_importance(forest, X, y[:-1])
    for bad in (0, "2", 1.5):  # joblib's own refusals were raw ValueError/TypeError
        with pytest.raises(ParameterError, match="n_jobs"):
            permutation_importance(forest, X, y, n_repeats=2, n_jobs=bad)
    with pytest.raises(ParameterError, match="at most one group"):
        permutation_importance(forest, X, y, groups={"a": ["f0", "f1"], "b": ["f1"]})
    with pytest.raises(DataError, match="group 'a'"):
        permutation_importance(forest, X, y, groups={"a": ["nope"]})
    with pytest.raises(DataError, match="rows on which it is defined"):
        permutation_importance(forest, X.iloc[:5], np.ones(5, dtype=int))  # AUC of one class
    with pytest.raises(ModelError, match="predict_proba"):
        permutation_importance(LinearSVC().fit(X, y), X, y, scoring="roc_auc")
    default = permutation_importance(LinearSVC().fit(X, y), X, y, n_repeats=2)
    assert default.options["scoring"] == "accuracy"  # no probabilities: accuracy


def test_r2_of_a_constant_target_is_refused_not_scored_zero():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 3))
    model = LinearRegression().fit(X, X[:, 0])
    with pytest.raises(DataError, match="metric 'r2'.*varies.*scoring='rmse'"):
        permutation_importance(model, X, np.full(60, 2.0), n_repeats=2)
    r = permutation_importance(model, X, np.full(60, 2.0), scoring="rmse", n_repeats=2)
    assert r.options["scoring"] == "rmse" and np.isfinite(r.feature("x0").mean)


def test_few_rows_warn(forest, planted_split):
    _, _, X, y = planted_split
    r = permutation_importance(forest, X.iloc[:20], y[:20], n_repeats=2)
    assert any("only 20 rows" in w for w in r.warnings)
