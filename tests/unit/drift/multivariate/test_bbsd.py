"""BBSD: per-output KS equal to scipy's, Bonferroni, regression and label-only models."""

import numpy as np
import pytest
from scipy import stats
from sklearn.linear_model import LinearRegression, LogisticRegression

from stalwart.drift.multivariate import BBSDDrift
from stalwart.exceptions import DataError, StageError
from stalwart.models import wrap


def _three_classes(rng, n, shares=(1 / 3, 1 / 3, 1 / 3)):
    y = rng.choice(3, n, p=shares)
    return rng.normal(size=(n, 2)) + np.array([[0, 0], [3, 0], [0, 3]])[y], y


def test_multiclass_outputs_are_tested_per_class_with_bonferroni():
    rng = np.random.default_rng(0)
    X, y = _three_classes(rng, 600)
    model = LogisticRegression().fit(X, y)
    ref, _ = _three_classes(rng, 300)
    cur, _ = _three_classes(rng, 300, shares=(0.7, 0.15, 0.15))
    r = BBSDDrift(model).fit(ref).detect(cur)
    outs = r.details["outputs"]
    assert [o["output"] for o in outs] == ["P(class=0)", "P(class=1)", "P(class=2)"]
    p_ref, p_cur = model.predict_proba(ref), model.predict_proba(cur)
    for j, o in enumerate(outs):
        ks = stats.ks_2samp(p_ref[:, j], p_cur[:, j])
        assert o["statistic"] == pytest.approx(ks.statistic)
        assert o["adjusted_p_value"] == pytest.approx(min(1.0, 3 * ks.pvalue))
    assert r.drifted and r.p_value == min(o["adjusted_p_value"] for o in outs)
    assert r.feature_contributions[0][0] == "P(class=0)"


def test_regression_model_tests_its_predictions():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 2))
    model = LinearRegression().fit(X, X @ [1.0, -1.0])
    r = BBSDDrift(model).fit(X[:100]).detect(X[100:] + [0.8, 0.0])
    assert r.details["output_kind"] == "regression" and r.drifted
    assert r.details["outputs"][0]["output"] == "prediction"


def test_label_only_model_uses_a_chi_square_on_predicted_classes():
    rng = np.random.default_rng(2)
    model = wrap(lambda X: (np.asarray(X)[:, 0] > 0).astype(int), classes=[0, 1],
                 name="sign")
    ref = rng.normal(size=(200, 1))
    r = BBSDDrift(model).fit(ref).detect(rng.normal(0.7, 1, size=(200, 1)))
    assert r.details["output_kind"] == "labels" and r.statistic_name == "chi2"
    assert r.drifted and any("chi-square" in n for n in r.notes)


def test_errors():
    model = LinearRegression().fit(np.eye(3), [0.0, 1.0, 2.0])
    with pytest.raises(StageError):
        BBSDDrift(model).detect(np.eye(3))
    with pytest.raises(DataError, match="at least 10 rows"):
        BBSDDrift(model).fit(np.eye(3))
