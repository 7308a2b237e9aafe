"""Gaussian noise, scaling, outliers and rounding: their statistics, against closed forms."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.exceptions import ParameterError
from stalwart.perturb.tabular import GaussianNoise, Outliers, Rounding, Scaling, robust_spread


def normal_frame(n=20_000, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(5.0, 2.0, n), "y": rng.exponential(3.0, n)})


def test_robust_spread_is_iqr_over_1349_and_falls_back_to_std():
    x = np.random.default_rng(0).normal(size=500)
    assert robust_spread(x) == pytest.approx(stats.iqr(x) / 1.349, rel=1e-12)
    few = np.array([0.0, 0.0, 0.0, 0.0, 10.0])  # IQR 0
    assert robust_spread(few) == pytest.approx(np.std(few, ddof=1))
    assert robust_spread([3.0, 3.0]) == 0.0


@pytest.mark.parametrize("severity, level", [(1, 0.05), (3, 0.2), (5, 0.5)])
def test_noise_sd_equals_level_times_spread_chi_square(severity, level):
    X = normal_frame()
    noise = GaussianNoise(severity=severity, random_state=0).fit(X)
    out = noise.transform(X)
    for j, col in enumerate(["x", "y"]):
        sd = level * stats.iqr(X[col]) / 1.349
        assert noise.notes_[j].detail["sd"] == pytest.approx(sd, rel=1e-12)
        added = (out[col] - X[col]).to_numpy()
        n = added.size
        # (n) * s^2 / sd^2 ~ chi2(n) for zero-mean noise: inside the central 99.9% interval
        statistic = np.sum(added ** 2) / sd ** 2
        lo, hi = stats.chi2.ppf([0.0005, 0.9995], n)
        assert lo < statistic < hi
        assert abs(added.mean()) < 4 * sd / np.sqrt(n)


def test_noise_share_changes_only_that_share_of_rows():
    X = normal_frame(10_000)
    out = GaussianNoise(share=0.3, severity=2, random_state=3).fit(X).transform(X)
    changed = (out["x"] != X["x"]).mean()
    # binomial(10000, 0.3): sd 0.0046; 4 sd
    assert abs(changed - 0.3) < 4 * np.sqrt(0.3 * 0.7 / 10_000)


def test_noise_note_for_constant_and_text_columns():
    X = pd.DataFrame({"c": [2.0] * 50, "t": ["a"] * 50, "v": np.arange(50.0)})
    noise = GaussianNoise(random_state=0).fit(X)
    out = noise.transform(X)
    notes = {n.target: n for n in noise.notes_}
    assert not notes["c"].applied and "spread 0" in notes["c"].reason
    assert notes["t"].reason == "categorical column: Gaussian noise needs numeric columns"
    assert notes["v"].applied and out["c"].equals(X["c"])


def test_scaling_is_an_exact_product():
    X = normal_frame(1000)
    out = Scaling(severity=4).fit(X).transform(X)
    np.testing.assert_array_equal(out["x"].to_numpy(), X["x"].to_numpy() * 1.5)
    out = Scaling(factor=0.5, share=0.5, random_state=0).fit(X).transform(X)
    changed = out["y"] != X["y"]
    np.testing.assert_array_equal(out.loc[changed, "y"], X.loc[changed, "y"] * 0.5)
    assert 0.45 < changed.mean() < 0.55
    with pytest.raises(ParameterError, match="factor"):
        Scaling(factor=-1).fit(X)


def test_outliers_lie_between_distance_and_twice_it_beyond_the_range():
    X = normal_frame(5000)
    out = Outliers(severity=5, distance=4.0, random_state=0).fit(X).transform(X)
    s = robust_spread(X["x"])
    changed = out["x"] != X["x"]
    assert abs(changed.mean() - 0.1) < 4 * np.sqrt(0.1 * 0.9 / 5000)
    v = out.loc[changed, "x"]
    above, below = v > X["x"].max(), v < X["x"].min()
    assert (above | below).all() and above.any() and below.any()
    gap = np.where(above, v - X["x"].max(), X["x"].min() - v)
    assert gap.min() >= 4.0 * s and gap.max() <= 8.0 * s


def test_rounding_grid_and_decimals():
    X = normal_frame(1000)
    out = Rounding(decimals=1).fit(X).transform(X)
    np.testing.assert_array_equal(out["x"], np.round(X["x"], 1))
    r = Rounding(severity=4).fit(X)
    out = r.transform(X)
    step = 0.25 * robust_spread(X["x"])
    assert r.notes_[0].detail["step"] == pytest.approx(step)
    k = out["x"] / step
    np.testing.assert_allclose(k, np.round(k), atol=1e-9)
    assert (out["x"] - X["x"]).abs().max() <= step / 2 + 1e-12
    with pytest.raises(ParameterError, match="at most one"):
        Rounding(decimals=1, step=0.5).fit(X)


def test_severity_is_monotone_in_the_size_of_the_change():
    X = normal_frame(3000)
    for cls in (GaussianNoise, Scaling, Rounding):
        sizes = [float((cls(severity=s, random_state=0).fit(X).transform(X) - X).abs()
                       .to_numpy().mean()) for s in range(1, 6)]
        assert sizes == sorted(sizes) and sizes[0] < sizes[-1], cls.__name__


def test_bad_severity_and_scale():
    X = normal_frame(100)
    with pytest.raises(ParameterError, match="severity"):
        GaussianNoise(severity=6).fit(X)
    with pytest.raises(ParameterError, match="scale"):
        GaussianNoise(scale=0).fit(X)
    with pytest.raises(ParameterError, match="share"):
        Outliers(share=1.5).fit(X)
