"""Sampling bias: false-alarm rate under the null, power on a planted bias, and p-values
equal to scipy's, over many seeded runs."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.quality.sampling_bias import sampling_bias

N_RUNS = 200
SEX = {"F": 0.5, "M": 0.5}
REGION = {"north": 0.5, "south": 0.3, "east": 0.2}


def _sample(rng, n, sex=SEX, region=REGION, shift=0.0):
    return pd.DataFrame({
        "sex": rng.choice(list(sex), n, p=list(sex.values())),
        "region": rng.choice(list(region), n, p=list(region.values())),
        "age": rng.normal(40 + shift, 10, n),
    })


def _rates(results):
    flagged = np.mean([any(c.biased for c in r.columns) for r in results])
    raw = np.mean([c.p_value < 0.05 for r in results for c in r.columns])
    family = np.mean([any(c.significant for c in r.columns) for r in results])
    return flagged, raw, family


def test_null_against_a_reference_sample():
    rng = np.random.default_rng(2024)
    results, naive = [], []
    for _ in range(N_RUNS):
        data, ref = _sample(rng, 1000), _sample(rng, 1000)
        results.append(sampling_bias(data, ["sex", "region", "age"], reference=ref,
                                     numeric=["age"]))
        shares = ref["sex"].value_counts(normalize=True).reindex(list(SEX)).to_numpy()
        observed = data["sex"].value_counts().reindex(list(SEX)).to_numpy()
        naive.append(stats.chisquare(observed, 1000 * shares).pvalue < 0.05)
    flagged, raw, family = _rates(results)
    assert flagged <= 0.05
    # the tests hold their level: each p-value is below 0.05 about 5% of the time, and
    # Holm keeps the chance of any significant column near 5%
    assert 0.02 <= raw <= 0.08
    assert family <= 0.08
    # while a goodness-of-fit test taking the reference's shares as exact would not: with
    # two samples of equal size its statistic doubles, and it rejects about 17% of the time
    assert np.mean(naive) > 0.10


def test_null_against_population_shares():
    rng = np.random.default_rng(7)
    results = [sampling_bias(_sample(rng, 800), ["sex", "region"],
                             population={"sex": SEX, "region": REGION})
               for _ in range(N_RUNS)]
    flagged, raw, family = _rates(results)
    assert flagged <= 0.05 and 0.02 <= raw <= 0.08 and family <= 0.08


def test_power_on_a_planted_categorical_bias():
    rng = np.random.default_rng(11)
    hits = []
    for _ in range(N_RUNS):
        data = _sample(rng, 1000, sex={"F": 0.6, "M": 0.4})  # Cramér's V 0.2
        res = sampling_bias(data, ["sex", "region", "age"], reference=_sample(rng, 1000),
                            numeric=["age"])
        hits.append(res.columns[0].biased)
    assert np.mean(hits) >= 0.9


def test_power_on_a_planted_numeric_shift():
    rng = np.random.default_rng(12)
    hits = [sampling_bias(_sample(rng, 1000, shift=5.0), ["age"],  # half a standard deviation
                          reference=_sample(rng, 1000), numeric=["age"]).columns[0].biased
            for _ in range(N_RUNS)]
    assert np.mean(hits) >= 0.9


def test_power_against_population_shares():
    rng = np.random.default_rng(13)
    hits = [sampling_bias(_sample(rng, 1000, region={"north": 0.6, "south": 0.25, "east": 0.15}),
                          ["region"], population={"region": REGION}).columns[0].biased
            for _ in range(N_RUNS)]
    assert np.mean(hits) >= 0.9


@pytest.mark.parametrize("seed", range(20))
def test_p_values_equal_scipys(seed):
    rng = np.random.default_rng(seed)
    data, ref = _sample(rng, 300 + 50 * seed), _sample(rng, 500)
    res = {c.column: c for c in sampling_bias(
        data, ["sex", "region", "age"], reference=ref, numeric=["age"]).columns}
    for col in ("sex", "region"):
        labels = list(res[col].categories)
        table = np.vstack([data[col].value_counts().reindex(labels, fill_value=0),
                           ref[col].value_counts().reindex(labels, fill_value=0)])
        assert res[col].p_value == pytest.approx(
            stats.chi2_contingency(table, correction=False).pvalue, rel=1e-12)
    assert res["age"].p_value == pytest.approx(stats.ks_2samp(data["age"], ref["age"]).pvalue,
                                               rel=1e-12)
    gof = sampling_bias(data, ["region"], population={"region": REGION}).columns[0]
    observed = data["region"].value_counts().reindex(list(REGION)).to_numpy()
    expected = len(data) * np.array(list(REGION.values()))
    assert gof.p_value == pytest.approx(stats.chisquare(observed, expected).pvalue, rel=1e-12)
