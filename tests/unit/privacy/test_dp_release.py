"""DP releases: right value on average, stated noise scale, declared bounds enforced."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart import DataError, ParameterError
from stalwart.privacy.dp import (dp_count, dp_histogram, dp_mean, dp_profile, dp_quantiles,
                                 dp_sum)
from stalwart.stats.profile import profile


@pytest.fixture
def ages():
    return np.random.default_rng(0).normal(40, 10, 5000)


def test_count_and_sum_noise_match_the_stated_scale(ages):
    reps = [dp_count(ages, epsilon=0.5, random_state=s).released - ages.size for s in range(3000)]
    assert stats.kstest(reps, stats.laplace(scale=2.0).cdf).pvalue > 0.01
    r = dp_sum(ages, lower=0, upper=100, epsilon=1.0, random_state=0)
    assert r.mechanisms[0]["sensitivity"] == 100.0 and r.accuracy["noise_scale"] == 100.0
    assert r.private["true_value"] == pytest.approx(np.clip(ages, 0, 100).sum())
    sums = [dp_sum(ages, lower=-20, upper=100, epsilon=1.0, random_state=s).released
            for s in range(2000)]
    # |noise| ~ Exponential(100): mean abs error within 5% (2000 draws: se 2.2%)
    assert np.mean(np.abs(np.array(sums) - np.clip(ages, -20, 100).sum())) == \
        pytest.approx(100.0, rel=0.07)


def test_gaussian_release_spends_delta():
    r = dp_count(np.ones(100), epsilon=0.5, delta=1e-6, mechanism="gaussian", random_state=0)
    assert r.delta == 1e-6 and r.mechanisms[0]["mechanism"] == "gaussian"
    with pytest.raises(ParameterError, match="Laplace is pure"):
        dp_count(np.ones(100), epsilon=0.5, delta=1e-6)


def test_mean_is_unbiased_enough_and_clipped(ages):
    data = np.concatenate([ages, [1e9]])  # an outlier is clipped to the bound
    r = dp_mean(data, lower=0, upper=100, epsilon=1.0, random_state=0)
    assert r.private["n_clipped"] == 1 and 0 <= r.released <= 100
    assert r.private["true_value"] == pytest.approx(np.clip(data, 0, 100).mean())
    means = np.array([dp_mean(ages, lower=0, upper=100, epsilon=1.0, random_state=s).released
                      for s in range(500)])
    assert abs(means.mean() - ages.mean()) < 0.01
    # the delta-method std matches the spread of the released means
    assert means.std() == pytest.approx(r.private["approx_std"], rel=0.15)


def test_unbounded_and_bad_inputs_are_refused(ages):
    for kwargs in ({}, {"lower": 0}, {"lower": 5, "upper": 5}, {"lower": 0, "upper": np.inf}):
        with pytest.raises(ParameterError, match="never read from the data"):
            dp_mean(ages, epsilon=1.0, **kwargs)
    with pytest.raises(DataError, match="numeric"):
        dp_sum(["a", "b"], lower=0, upper=1, epsilon=1.0)
    with pytest.raises(ParameterError, match="exactly one of"):
        dp_histogram(ages, epsilon=1.0)
    with pytest.raises(ParameterError, match="increasing"):
        dp_histogram(ages, edges=[0, 0, 1], epsilon=1.0)
    with pytest.raises(ParameterError, match="probabilities"):
        dp_quantiles(ages, [1.5], lower=0, upper=100, epsilon=1.0)
    # a string is not its characters: categories="ab" counted 'a' and 'b'
    with pytest.raises(ParameterError, match="not a list of its characters"):
        dp_histogram(["a", "b"], categories="ab", epsilon=1.0)
    p = profile(pd.DataFrame({"age": [30.0, 40.0]}))
    with pytest.raises(ParameterError, match=r"a pair \(lower, upper\)"):  # was a TypeError
        dp_profile(p, epsilon=1.0, bounds={"age": 100})


def test_histograms_numeric_and_categorical(ages):
    edges = np.linspace(0, 100, 11)
    r = dp_histogram(ages, edges=edges, epsilon=1.0, random_state=0)
    true = np.histogram(np.clip(ages, 0, 100), bins=edges)[0]
    assert r.private["true_value"] == true.tolist() and len(r.released) == 10
    assert np.max(np.abs(np.array(r.released) - true)) < 15  # Laplace(1): P(|x|>15) ~ 3e-7
    cats = pd.Series(["a", "b", "b", "c", None, "zz"] * 100)
    h = dp_histogram(cats, categories=["a", "b", "c"], epsilon=2.0, random_state=0)
    assert h.private["true_value"] == [100.0, 200.0, 100.0] and h.private["n_outside"] == 100
    assert h.options["categories"] == ["a", "b", "c"]


def test_quantiles_are_close_and_report_their_error(ages):
    r = dp_quantiles(ages, [0.1, 0.5, 0.9], lower=0, upper=100, epsilon=1.0, random_state=0)
    true = np.quantile(ages, [0.1, 0.5, 0.9])
    assert np.allclose(r.released, true, atol=2.0)
    assert r.accuracy["bin_width"] == pytest.approx(100 / 64)
    assert all(0 < e < 2 for e in r.private["expected_abs_error"])


def test_public_dict_holds_no_true_value(ages):
    r = dp_mean(ages, lower=0, upper=100, epsilon=1.0, random_state=0)
    public = r.to_dict()
    assert "private" not in public and public["schema_version"] == "1.0"
    assert str(r.private["true_value"]) not in json.dumps(public)
    assert r.to_dict(include_private=True)["private"]["true_value"] == pytest.approx(ages.mean())


def test_profile_release_matches_raw_release_distribution():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"x": rng.uniform(0, 10, 1000), "c": rng.choice(["u", "v"], 1000),
                          "z": rng.normal(size=1000)})
    p = profile(frame)
    r = dp_profile(p, epsilon=2.0, bounds={"x": (0, 10)}, categories={"c": ["u", "v"]},
                   random_state=0)
    labels = [x.label for x in r.releases]
    assert labels == ["x.count", "x.mean", "c.count", "c.counts", "z.count"]
    assert r.epsilon_per_release == pytest.approx(0.4)
    assert dict(r.skipped) == {"z": "mean not released: no bounds declared"}
    mean = r.releases[1]
    assert mean.private["true_value"] == pytest.approx(frame["x"].mean())
    assert abs(mean.released - frame["x"].mean()) < 0.5
    counts = r.releases[3]
    assert counts.private["true_value"] == [float((frame.c == "u").sum()),
                                            float((frame.c == "v").sum())]
    with pytest.raises(DataError, match="cannot clip afterwards"):
        dp_profile(p, epsilon=1.0, bounds={"x": (0, 5)})
    with pytest.raises(ParameterError, match="profiled column"):
        dp_profile(p, epsilon=1.0, bounds={"nope": (0, 5)})
    json.dumps(r.to_dict(include_private=True))


def test_quantiles_are_not_interpolated_across_empty_bins():
    # every value in [40, 50): with negligible noise (epsilon 1e6) the released quantiles are
    # those of the uniform mass inside that bin, 40 + 10 q (closed form); interpolating
    # from the last non-empty edge instead put the median near 25
    values = np.linspace(40, 50, 10_001)[:-1]
    r = dp_quantiles(values, [0.01, 0.1, 0.5, 0.9, 0.99], lower=0, upper=100, n_bins=10,
                     epsilon=1e6, random_state=0)
    assert np.allclose(r.released, [40.1, 41, 45, 49, 49.9], atol=1e-3)
    assert np.allclose(r.released, np.quantile(values, [0.01, 0.1, 0.5, 0.9, 0.99]), atol=1e-2)
