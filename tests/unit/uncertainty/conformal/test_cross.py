import math

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, Ridge

from stalwart.exceptions import DataError, ParameterError, StageError
from stalwart.uncertainty.conformal.cross import CrossConformalRegressor, cv_plus_intervals

ALPHA = 0.1


def _data(rng, n):
    X = rng.normal(size=(n, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=n)


def _naive_cv_plus(mu, r, alpha):
    """Barber et al. 2021, eq. (6)-(7), written out with sorting and explicit ranks."""
    n = r.size
    lo_rank, hi_rank = math.floor(alpha * (n + 1)), math.ceil((1 - alpha) * (n + 1) - 1e-9)
    out = []
    for j in range(mu.shape[1]):
        out.append([np.sort(mu[:, j] - r)[lo_rank - 1], np.sort(mu[:, j] + r)[hi_rank - 1]])
    return np.asarray(out)


@pytest.mark.parametrize("n,alpha", [(19, 0.1), (50, 0.1), (101, 0.05), (37, 0.2)])
def test_array_intervals_match_the_paper_formula(n, alpha):
    rng = np.random.default_rng(n)
    mu, r = rng.normal(size=(n, 7)), np.abs(rng.normal(size=n))
    assert np.allclose(cv_plus_intervals(mu, r, alpha=alpha), _naive_cv_plus(mu, r, alpha))


def test_model_level_equals_array_level_on_its_own_folds():
    rng = np.random.default_rng(0)
    X, y = _data(rng, 120)
    cp = CrossConformalRegressor(Ridge(), cv=4, random_state=0).fit_conformalize(X, y)
    Xt = rng.normal(size=(9, 3))
    manual_mu, manual_r = np.empty((120, 9)), np.empty(120)
    for k in range(4):
        held = cp.fold_ == k
        model = Ridge().fit(X[~held], y[~held])
        manual_mu[held] = model.predict(Xt)
        manual_r[held] = np.abs(y[held] - model.predict(X[held]))
    assert np.allclose(cp.residuals_, manual_r)
    assert np.allclose(cp.predict_interval(Xt), cv_plus_intervals(manual_mu, manual_r))
    assert np.bincount(cp.fold_).tolist() == [30, 30, 30, 30]


def test_jackknife_plus_is_cv_plus_with_one_point_per_fold():
    rng = np.random.default_rng(1)
    X, y = _data(rng, 40)
    jk = CrossConformalRegressor(LinearRegression(), method="jackknife+").fit_conformalize(X, y)
    cv = CrossConformalRegressor(LinearRegression(), cv=40, random_state=3).fit_conformalize(X, y)
    Xt = rng.normal(size=(5, 3))
    assert np.allclose(jk.predict_interval(Xt), cv.predict_interval(Xt))


@pytest.mark.parametrize("method,seeds,n_fit", [("cv+", 60, 60), ("jackknife+", 30, 40)])
def test_coverage_over_many_seeds(method, seeds, n_fit):
    rng = np.random.default_rng(5)
    covers = []
    for seed in range(seeds):
        X, y = _data(rng, n_fit + 200)
        cp = CrossConformalRegressor(LinearRegression(), method=method, cv=5, random_state=seed)
        cp.fit_conformalize(X[:n_fit], y[:n_fit])
        covers.append(cp.evaluate(X[n_fit:], y[n_fit:]).coverage)
    covers = np.asarray(covers)
    se = covers.std(ddof=1) / np.sqrt(covers.size)
    assert covers.mean() >= 1 - 2 * ALPHA  # the distribution-free guarantee
    assert covers.mean() >= 1 - ALPHA - 3 * se  # what a stable model achieves


def test_stages_and_parameters_are_checked():
    rng = np.random.default_rng(2)
    X, y = _data(rng, 30)
    with pytest.raises(StageError, match="fit_conformalize"):
        CrossConformalRegressor(LinearRegression()).predict_interval(X)
    with pytest.raises(ParameterError, match="method"):
        CrossConformalRegressor(LinearRegression(), method="cv").fit_conformalize(X, y)
    with pytest.raises(ParameterError, match="cv"):
        CrossConformalRegressor(LinearRegression(), cv=1).fit_conformalize(X, y)
    with pytest.raises(DataError, match="at least 19 points"):
        CrossConformalRegressor(LinearRegression(), alpha=0.05).fit_conformalize(X[:10], y[:10])
    with pytest.raises(DataError, match="shapes"):
        cv_plus_intervals(np.zeros((3, 2)), np.zeros(4))


def test_data_frames_keep_their_column_names():
    import pandas as pd

    rng = np.random.default_rng(4)
    X, y = _data(rng, 80)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    cp = CrossConformalRegressor(LinearRegression(), cv=4, random_state=0)
    from_frame = cp.fit_conformalize(frame, pd.Series(y)).predict_interval(frame.head(5))
    from_array = CrossConformalRegressor(LinearRegression(), cv=4, random_state=0) \
        .fit_conformalize(X, y).predict_interval(X[:5])
    assert np.allclose(from_frame, from_array)
