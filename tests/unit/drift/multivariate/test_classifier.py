"""Domain classifier: AUC equals scikit-learn's, shifted features ranked first, errors."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from stalwart.drift.multivariate import DomainClassifierDrift
from stalwart.drift.multivariate.classifier import _auc
from stalwart.exceptions import DataError, ParameterError, StageError


def test_auc_equals_sklearn_with_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    score = rng.integers(0, 5, 200) / 4 + 0.3 * y
    assert _auc(y, score) == pytest.approx(roc_auc_score(y, score), rel=1e-12)


def test_shifted_features_ranked_first_on_a_mixed_frame():
    rng = np.random.default_rng(1)
    n = 300

    def frame(shift, p_b):
        return pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(shift, 1, n),
                             "c": rng.normal(size=n),
                             "cat": rng.choice(["u", "v", "w"], n, p=[1 - p_b, p_b / 2, p_b / 2]),
                             "d": rng.normal(size=n)})
    r = DomainClassifierDrift(cv=3).fit(frame(0.0, 0.3)).detect(frame(1.0, 0.8))
    assert r.drifted and r.statistic > 0.7
    assert set(r.top_features(2)) == {"b", "cat"}
    # the one-hot columns of "cat" are attributed to the original column, once
    assert [n for n, _ in r.feature_contributions].count("cat") == 1
    assert len(r.details["fold_aucs"]) == 3 and r.details["n_holdout"] == n
    assert r.details["holdout_auc"] > 0.7


def test_no_shift_gives_chance_auc_and_a_custom_estimator():
    rng = np.random.default_rng(2)
    ref, cur = rng.normal(size=(200, 3)), rng.normal(size=(200, 3))
    r = DomainClassifierDrift(estimator=LogisticRegression(), cv=4).fit(ref).detect(cur)
    assert not r.drifted and abs(r.statistic - 0.5) < 0.08
    assert r.details["estimator"] == "LogisticRegression"


def test_errors():
    rng = np.random.default_rng(3)
    with pytest.raises(StageError):
        DomainClassifierDrift().detect(np.zeros((20, 2)))
    with pytest.raises(DataError, match="at least 10 rows"):
        DomainClassifierDrift().fit(rng.normal(size=(8, 2)))
    with pytest.raises(DataError, match="at least 20 rows for the domain classifier with cv=10"):
        DomainClassifierDrift(cv=10).fit(rng.normal(size=(15, 2)))
    with pytest.raises(ParameterError):
        DomainClassifierDrift(cv=1).fit(rng.normal(size=(30, 2)))
    with pytest.raises(ParameterError):
        DomainClassifierDrift(estimator="rf").fit(rng.normal(size=(30, 2)))
