"""Regression metrics equal scikit-learn's; batch paths agree; bad inputs are refused."""

import numpy as np
import pytest
from sklearn import metrics as skm

from stalwart.exceptions import DataError, ParameterError
from stalwart.metrics import METRICS, evaluate, pinball_metric
from stalwart.metrics.bootstrap import metric_replicates, resample_indices


def _data(n=250, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.gamma(3.0, 2.0, n)
    return y, y + rng.normal(0, 1.0, n)


def test_metrics_equal_sklearn():
    y, p = _data()
    res = evaluate(y, y_pred=p, n_boot=0)
    assert res.task == "regression"
    expected = {"mae": skm.mean_absolute_error(y, p),
                "rmse": skm.root_mean_squared_error(y, p),
                "r2": skm.r2_score(y, p),
                "mape": skm.mean_absolute_percentage_error(y, p),
                "pinball_0.5": skm.mean_pinball_loss(y, p, alpha=0.5)}
    assert set(res.metrics) == set(expected)
    for name, value in expected.items():
        assert res[name].estimate == pytest.approx(value, rel=1e-12), name
    res = evaluate(y, y_pred=p, metrics=["pinball_0.9", "pinball_0.1"], n_boot=0)
    assert res["pinball_0.9"].estimate == pytest.approx(
        skm.mean_pinball_loss(y, p, alpha=0.9), rel=1e-12)


def test_batch_paths_equal_sklearn_on_each_resample():
    y, p = _data(60)
    y[:5] = 0.0  # MAPE's epsilon branch
    idx = next(resample_indices(y.size, n_boot=30, random_state=1))
    idx[0] = 7  # a constant target: R2 follows scikit-learn's finite convention
    for name, spec in METRICS:
        if spec.task == "regression":
            fast = metric_replicates(spec, idx, y, p, None, None)
            slow = [spec(y[r], p[r], None, None) for r in idx]
            np.testing.assert_allclose(fast, slow, rtol=1e-10, err_msg=name)


def test_custom_pinball_level_registers_once():
    spec = pinball_metric(0.75)
    assert pinball_metric(0.75) is spec and not spec.greater_is_better
    y, p = _data()
    assert evaluate(y, y_pred=p, metrics=["pinball_0.75"], n_boot=0)["pinball_0.75"].estimate \
        == pytest.approx(skm.mean_pinball_loss(y, p, alpha=0.75), rel=1e-12)
    with pytest.raises(ParameterError, match="quantile level"):
        pinball_metric(1.0)


def test_bad_inputs():
    with pytest.raises(DataError, match="numbers"):
        evaluate(["a", "b"], y_pred=[1.0, 2.0], task="regression")
    with pytest.raises(DataError, match="finite"):
        evaluate([1.0, np.nan], y_pred=[1.0, 2.0], task="regression")
    with pytest.raises(DataError, match="3 values"):
        evaluate([1.0, 2.0, 3.5], y_pred=[1.0, 2.0], task="regression")
    with pytest.raises(ParameterError, match="regression task"):
        evaluate([1.0, 2.5], proba=[[0.5, 0.5], [0.5, 0.5]], task="regression")
    with pytest.raises(ParameterError, match="task"):
        evaluate([1.0, 2.5], y_pred=[1.0, 2.0], task="ranking")
