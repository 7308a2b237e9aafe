import numpy as np
import pytest
from scipy import stats
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from stalwart.exceptions import DataError, ParameterError
from stalwart.explain import (FeatureImportance, ImportanceResult, importance_drift,
                              importance_drift_between_models,
                              importance_drift_between_windows)


def test_rank_correlations_equal_scipy_and_top_k_sets():
    rng = np.random.default_rng(0)
    names = [f"f{i}" for i in range(12)]
    va, vb = rng.random(12), rng.random(12)
    a = ImportanceResult.from_values(dict(zip(names, va)), method="given")
    b = ImportanceResult.from_values(dict(zip(names, vb)), method="given")
    d = importance_drift(a, b, top_k=4)
    assert d.spearman == pytest.approx(stats.spearmanr(va, vb).statistic)
    assert d.kendall == pytest.approx(stats.kendalltau(va, vb).statistic)
    top_a = {names[i] for i in np.argsort(-va)[:4]}
    top_b = {names[i] for i in np.argsort(-vb)[:4]}
    assert d.jaccard == pytest.approx(len(top_a & top_b) / len(top_a | top_b))
    assert set(d.entered) == top_b - top_a and set(d.left) == top_a - top_b
    same = importance_drift(a, a)
    assert same.spearman == 1.0 and same.jaccard == 1.0 and same.entered == []
    assert same.top_k == 10


def test_interval_overlap_per_feature():
    def result(means, half):
        feats = tuple(FeatureImportance(n, m, i + 1, (n,), 0.0, m - half, m + half)
                      for i, (n, m) in enumerate(means.items()))
        return ImportanceResult("permutation", feats)
    a = result({"x": 0.30, "y": 0.10, "z": 0.05}, 0.02)
    b = result({"x": 0.29, "y": 0.20, "z": 0.04}, 0.02)
    d = importance_drift(a, b)
    by = {c["feature"]: c for c in d.changes}
    assert by["x"]["intervals_overlap"] is True and by["y"]["intervals_overlap"] is False
    assert by["y"]["change"] == pytest.approx(0.10) and d.changes[0]["feature"] == "y"
    assert d.n_disjoint_intervals == 1
    assert importance_drift(a, {"x": 1.0, "y": 0.5, "z": 0.1}).changes[0][
        "intervals_overlap"] is None  # plain values have no interval


def test_degenerate_cases_are_explicit():
    a = ImportanceResult.from_values({"x": 0.0, "y": 0.0, "w": 1.0}, method="given")
    b = ImportanceResult.from_values({"x": 0.0, "y": 0.0, "v": 2.0}, method="given")
    d = importance_drift(a, b, top_k=5)
    assert d.spearman is None and any("constant" in w for w in d.warnings)
    assert d.only_in_a == ["w"] and d.only_in_b == ["v"] and d.top_k == 2
    with pytest.raises(DataError, match="two features in common"):
        importance_drift({"x": 1.0, "y": 2.0}, {"x": 1.0, "z": 2.0})
    with pytest.raises(ParameterError, match="ImportanceResult"):
        importance_drift([1, 2], {"x": 1.0})
    with pytest.raises(ParameterError, match="top_k"):
        importance_drift(a, b, top_k=0)


def test_windows_a_feature_that_stops_varying_leaves_the_top(planted_split):
    X, y, X_test, y_test = planted_split
    model = LogisticRegression().fit(X, y)
    current = X_test.copy()
    current["f0"] = 0.0  # f0 frozen in production: the model can no longer use it
    d = importance_drift_between_windows(model, X_test, y_test, current, y_test, top_k=2,
                                         n_repeats=5)
    assert d.labels == ("reference", "current")
    assert d.left == ["f0"] and "f0" not in d.b.top(2)
    f0 = next(c for c in d.changes if c["feature"] == "f0")
    assert f0["b"] == 0.0 and f0["intervals_overlap"] is False and f0["rank_b"] > 2
    same = importance_drift_between_windows(model, X_test, y_test, X_test, y_test,
                                            n_repeats=5)
    assert same.spearman == 1.0 and same.n_disjoint_intervals == 0


def test_models_relying_on_other_features(planted_split):
    X, y, X_test, y_test = planted_split
    a = LogisticRegression().fit(X, y)
    # version b was trained without f0 (a column selector drops it)
    b = make_pipeline(make_column_transformer(("drop", ["f0"]), remainder="passthrough"),
                      LogisticRegression()).fit(X, y)
    d = importance_drift_between_models(a, b, X_test, y_test, top_k=1, n_repeats=4)
    assert d.labels == ("model_a", "model_b")
    assert d.left == ["f0"] and d.entered == ["f1"] and d.jaccard == 0.0
    f0 = next(c for c in d.changes if c["feature"] == "f0")
    assert f0["b"] == 0.0 and f0["change"] < -0.1 and f0["intervals_overlap"] is False
    with pytest.raises(ParameterError, match="y"):
        importance_drift_between_models(a, b, X_test)
    # an option of the other method is named, not a bare TypeError
    with pytest.raises(ParameterError, match=r"options: expected options of shap_values.*"
                                             r"\['n_repeats'\]"):
        importance_drift_between_windows(a, X_test, None, X_test, None, method="shap",
                                         n_repeats=3)
    with pytest.raises(ParameterError, match="max_background"):
        importance_drift_between_models(a, b, X_test, y_test, max_background=10)
    pytest.importorskip("shap")
    s = importance_drift_between_models(a, b, X_test.iloc[:30], method="shap",
                                        max_background=20, top_k=1)
    assert s.left == ["f0"] and s.entered == ["f1"]
