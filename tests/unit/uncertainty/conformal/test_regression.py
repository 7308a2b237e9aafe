import json

import numpy as np
import pytest
from sklearn.dummy import DummyRegressor
from sklearn.linear_model import LinearRegression, LogisticRegression, QuantileRegressor

from stalwart.exceptions import DataError, ModelError, ParameterError, StageError
from stalwart.uncertainty.conformal.quantile import conformal_quantile
from stalwart.uncertainty.conformal.regression import (
    ConformalizedQuantileRegressor,
    SplitConformalRegressor,
    conformal_intervals,
    cqr_intervals,
)

ALPHA = 0.1


def _hetero(rng, n):
    """y = 2x + noise whose scale grows with |x|."""
    x = rng.uniform(-2, 2, n)
    return x[:, None], 2 * x + rng.normal(size=n) * (0.2 + np.abs(x))


def _mean_coverage_ok(covers):
    covers = np.asarray(covers)
    se = covers.std(ddof=1) / np.sqrt(covers.size)
    return covers.mean() >= 1 - ALPHA - 3 * se and covers.mean() <= 1 - ALPHA + 1 / 301 + 3 * se


def test_absolute_interval_is_prediction_plus_minus_the_residual_quantile():
    rng = np.random.default_rng(0)
    y, pred = rng.normal(size=200), rng.normal(size=200)
    test = rng.normal(size=5)
    q = conformal_quantile(np.abs(y - pred), ALPHA)
    assert np.allclose(conformal_intervals(y, pred, test, alpha=ALPHA),
                       np.column_stack([test - q, test + q]))
    s_cal, s_test = rng.uniform(0.5, 2, 200), rng.uniform(0.5, 2, 5)
    qn = conformal_quantile(np.abs(y - pred) / s_cal, ALPHA)
    got = conformal_intervals(y, pred, test, alpha=ALPHA, spread_cal=s_cal, spread_test=s_test)
    assert np.allclose(got, np.column_stack([test - qn * s_test, test + qn * s_test]))


def test_cqr_interval_uses_the_signed_distance_outside_the_band():
    rng = np.random.default_rng(1)
    y = rng.normal(size=100)
    lo, hi = y - rng.uniform(-1, 1, 100), y + rng.uniform(-1, 1, 100)
    q = conformal_quantile(np.maximum(lo - y, y - hi), ALPHA)
    got = cqr_intervals(y, lo, hi, [0.0, 1.0], [2.0, 3.0], alpha=ALPHA)
    assert np.allclose(got, [[-q, 2 + q], [1 - q, 3 + q]])


@pytest.mark.parametrize("kind", ["absolute", "normalized", "cqr"])
def test_coverage_over_many_splits_reaches_one_minus_alpha(kind):
    rng = np.random.default_rng(11)
    covers = []
    for _ in range(100):
        x, y = _hetero(rng, 600)
        x = x[:, 0]
        pred = 2 * x + rng.normal(scale=0.1)  # a slightly biased fixed model
        spread = 0.2 + np.abs(x)
        cal, test = slice(0, 300), slice(300, None)
        if kind == "absolute":
            iv = conformal_intervals(y[cal], pred[cal], pred[test], alpha=ALPHA)
        elif kind == "normalized":
            iv = conformal_intervals(y[cal], pred[cal], pred[test], alpha=ALPHA,
                                     spread_cal=spread[cal], spread_test=spread[test])
        else:
            lo, hi = pred - 1.3 * spread, pred + 1.3 * spread
            iv = cqr_intervals(y[cal], lo[cal], hi[cal], lo[test], hi[test], alpha=ALPHA)
        covers.append(np.mean((iv[:, 0] <= y[test]) & (y[test] <= iv[:, 1])))
    assert _mean_coverage_ok(covers)


def test_adaptive_scores_give_narrow_intervals_where_noise_is_small():
    rng = np.random.default_rng(2)
    X, y = _hetero(rng, 3000)
    absolute = SplitConformalRegressor(LinearRegression(), prefit=False).fit(X[:1000], y[:1000])
    normalized = SplitConformalRegressor(LinearRegression(), score="normalized",
                                         spread_model=LinearRegression(), prefit=False)
    # a linear spread model cannot fit |x|; give it the feature |x| through a second column
    Xa = np.column_stack([X, np.abs(X)])
    normalized.fit(Xa[:1000], y[:1000])
    absolute.conformalize(X[1000:2000], y[1000:2000])
    normalized.conformalize(Xa[1000:2000], y[1000:2000])
    groups = np.where(np.abs(X[2000:, 0]) < 0.5, "quiet", "noisy")
    ra = absolute.evaluate(X[2000:], y[2000:], groups=groups)
    rn = normalized.evaluate(Xa[2000:], y[2000:], groups=groups)
    assert ra.coverage >= 0.87 and rn.coverage >= 0.87
    # constant width under-covers the noisy slice; the normalised score fixes most of it
    assert ra.slice("noisy").coverage < rn.slice("noisy").coverage
    assert rn.slice("quiet").mean_size < 0.6 * ra.slice("quiet").mean_size
    assert json.loads(json.dumps(rn.to_dict()))["method"] == "normalized"


def test_cqr_model_level_matches_array_level():
    rng = np.random.default_rng(3)
    X, y = _hetero(rng, 900)
    lo = QuantileRegressor(quantile=0.05, alpha=0.0)
    hi = QuantileRegressor(quantile=0.95, alpha=0.0)
    cqr = ConformalizedQuantileRegressor(lo, hi, prefit=False).fit(X[:300], y[:300])
    cqr.conformalize(X[300:600], y[300:600])
    lo_f, hi_f = cqr.lower_, cqr.upper_
    expected = cqr_intervals(y[300:600], lo_f.predict(X[300:600]), hi_f.predict(X[300:600]),
                             lo_f.predict(X[600:]), hi_f.predict(X[600:]), alpha=ALPHA)
    assert np.allclose(cqr.predict_interval(X[600:]), expected)
    assert cqr.evaluate(X[600:], y[600:]).method == "cqr"


def test_stages_and_inputs_are_checked():
    X, y = np.arange(40.0)[:, None], np.arange(40.0)
    fitted = LinearRegression().fit(X, y)
    with pytest.raises(StageError, match="conformalize"):
        SplitConformalRegressor(fitted).predict_interval(X)
    with pytest.raises(StageError, match="prefit=True"):
        SplitConformalRegressor(fitted).fit(X, y)
    with pytest.raises(StageError, match="fit"):
        SplitConformalRegressor(LinearRegression(), prefit=False).conformalize(X, y)
    with pytest.raises(StageError, match="fit"):
        ConformalizedQuantileRegressor(DummyRegressor(), DummyRegressor(),
                                       prefit=False).conformalize(X, y)
    with pytest.raises(StageError, match="conformalize"):
        ConformalizedQuantileRegressor(fitted, fitted).predict_interval(X)
    with pytest.raises(ModelError, match="regression"):
        SplitConformalRegressor(LogisticRegression().fit(X, y > 20)).conformalize(X, y)
    with pytest.raises(ParameterError, match="spread_model"):
        SplitConformalRegressor(fitted, score="normalized").conformalize(X, y)
    with pytest.raises(ParameterError, match="score"):
        SplitConformalRegressor(fitted, score="cqr").conformalize(X, y)
    with pytest.raises(DataError, match="at least 19 points"):
        SplitConformalRegressor(fitted, alpha=0.05).conformalize(X[:10], y[:10])
    with pytest.raises(DataError, match="finite"):
        conformal_intervals([1.0, np.nan], [1.0, 1.0], [0.0])
    with pytest.raises(ParameterError, match="both or neither"):
        conformal_intervals(y, y, y, spread_cal=np.ones(40))
