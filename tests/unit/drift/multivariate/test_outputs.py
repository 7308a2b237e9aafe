"""Prediction and label drift: the univariate engine's verdicts on outputs and labels."""

import numpy as np
import pandas as pd
import pytest

from stalwart.drift.multivariate import label_drift, prediction_drift
from stalwart.drift.univariate import detect_drift
from stalwart.exceptions import DataError, ParameterError


def test_label_shift_uses_the_univariate_engine_on_class_shares():
    rng = np.random.default_rng(0)
    ref = rng.choice([0, 1, 2], 800, p=[0.5, 0.3, 0.2])
    cur = rng.choice([0, 1, 2], 800, p=[0.2, 0.3, 0.5])
    r = label_drift(ref, cur)
    assert r.drifted and r.details["task"] == "classification"
    assert r.details["methods"] == {"label": "chi_square"}
    same = detect_drift(pd.DataFrame({"label": ref.astype(str)}),
                        pd.DataFrame({"label": cur.astype(str)}), correction="none")
    assert r.p_value == pytest.approx(same["label"].adjusted_p_value)
    assert r.statistic == pytest.approx(same["label"].statistic)
    assert not label_drift(ref, rng.choice([0, 1, 2], 800, p=[0.5, 0.3, 0.2])).drifted


def test_regression_predictions_and_targets():
    rng = np.random.default_rng(1)
    r = prediction_drift(rng.normal(size=600), rng.normal(0.6, 1, 600))
    assert r.drifted and r.details["task"] == "regression"
    assert r.details["methods"] == {"prediction": "ks"}
    assert label_drift(rng.normal(size=300), rng.normal(size=300)).details["task"] == \
        "regression"


def test_probabilities_one_column_per_class_with_bonferroni():
    rng = np.random.default_rng(2)
    ref = rng.dirichlet([2, 2, 2], 500)
    cur = rng.dirichlet([6, 2, 2], 500)
    r = prediction_drift(ref, cur, classes=["a", "b", "c"])
    assert r.drifted and r.details["correction"] == "bonferroni"
    assert set(r.details["methods"]) == {"P(class=a)", "P(class=b)", "P(class=c)"}
    assert r.top_features(1) == ["P(class=a)"]
    binary = prediction_drift(np.c_[1 - ref[:, 0], ref[:, 0]], np.c_[1 - cur[:, 0], cur[:, 0]])
    assert list(binary.details["methods"]) == ["P(class 1)"]
    assert any("complement" in n for n in binary.notes)


def test_bad_input():
    with pytest.raises(DataError, match="3 probability columns"):
        prediction_drift(np.ones((10, 3)) / 3, np.ones((10, 2)) / 2)
    with pytest.raises(ParameterError):
        label_drift([1, 2], [1, 2], task="ranking")
    with pytest.raises(DataError, match="1-D"):
        label_drift(np.ones((4, 2)), np.ones((4, 2)))
    with pytest.raises(DataError, match="regression target"):
        label_drift(np.array(["a", "b"]), np.array(["a", "b"]), task="regression")
