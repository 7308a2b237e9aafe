import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart import ParameterError
from stalwart.quality.sampling_bias import sampling_bias
from stalwart.stats import adjust_p_values


def test_goodness_of_fit_equals_scipy():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"sex": rng.choice(["F", "M", "X"], 500, p=[0.55, 0.43, 0.02])})
    population = {"sex": {"F": 0.5, "M": 0.48, "X": 0.02}}
    c = sampling_bias(frame, ["sex"], population=population).columns[0]
    observed = frame["sex"].value_counts().reindex(["F", "M", "X"]).to_numpy()
    expected = 500 * np.array([0.5, 0.48, 0.02])
    ref = stats.chisquare(observed, expected)
    assert c.test == "chi2_goodness_of_fit"
    assert c.statistic == pytest.approx(ref.statistic) and c.p_value == pytest.approx(ref.pvalue)
    # Cramér's V of a goodness-of-fit test: sqrt(chi2 / (n (k - 1)))
    assert c.effect_size == pytest.approx(np.sqrt(ref.statistic / (500 * 2)))
    assert c.categories == ("F", "M", "X") and sum(c.shares) == pytest.approx(1.0)


def test_homogeneity_against_a_reference_equals_scipy():
    rng = np.random.default_rng(1)
    cur = pd.DataFrame({"c": rng.choice(list("abcd"), 800, p=[0.4, 0.3, 0.2, 0.1])})
    ref = pd.DataFrame({"c": rng.choice(list("abcd"), 1500, p=[0.3, 0.3, 0.25, 0.15])})
    c = sampling_bias(cur, ["c"], reference=ref).columns[0]
    table = pd.crosstab(np.r_[np.zeros(800), np.ones(1500)],
                        np.r_[cur["c"].to_numpy(), ref["c"].to_numpy()]).to_numpy()
    res = stats.chi2_contingency(table, correction=False)
    assert c.test == "chi2_homogeneity"
    assert c.statistic == pytest.approx(res.statistic) and c.p_value == pytest.approx(res.pvalue)
    p_cur = cur["c"].value_counts(normalize=True).reindex(list(c.categories)).to_numpy()
    p_ref = ref["c"].value_counts(normalize=True).reindex(list(c.categories)).to_numpy()
    assert c.effect_size == pytest.approx(np.sqrt(np.sum((p_cur - p_ref) ** 2 / p_ref) / 3))


def test_ks_for_numbers_equals_scipy():
    rng = np.random.default_rng(2)
    cur = pd.DataFrame({"age": rng.normal(42, 10, 700)})
    ref = pd.DataFrame({"age": rng.normal(40, 10, 900)})
    c = sampling_bias(cur, ["age"], reference=ref, numeric=["age"]).columns[0]
    res = stats.ks_2samp(cur["age"], ref["age"])
    assert c.test == "ks" and c.effect_measure == "ks_statistic"
    assert c.statistic == pytest.approx(res.statistic) and c.p_value == pytest.approx(res.pvalue)
    # numeric dtype with many values goes to KS without being named
    assert sampling_bias(cur, ["age"], reference=ref).columns[0].test == "ks"


def test_holm_and_bh_adjustments():
    p = np.array([0.01, 0.04, 0.03, 0.2])
    # Holm by hand: sorted 0.01, 0.03, 0.04, 0.2 times 4, 3, 2, 1, then running maximum
    assert adjust_p_values(p, "holm") == pytest.approx([0.04, 0.09, 0.09, 0.2])
    assert adjust_p_values(p, "bh") == pytest.approx(stats.false_discovery_control(p))
    assert adjust_p_values(p, "none") == pytest.approx(p)
    with pytest.raises(ParameterError):
        adjust_p_values(p, "bonferonni")


def test_flag_needs_significance_and_effect():
    rng = np.random.default_rng(3)
    n = 200_000
    # a tiny but very significant difference: 50.5% vs 50%
    frame = pd.DataFrame({"sex": rng.choice(["F", "M"], n, p=[0.505, 0.495]),
                          "region": rng.choice(["n", "s"], n, p=[0.7, 0.3])})
    population = {"sex": {"F": 0.5, "M": 0.5}, "region": {"n": 0.5, "s": 0.5}}
    result = sampling_bias(frame, ["sex", "region"], population=population)
    sex, region = result.columns
    assert sex.significant and not sex.biased and sex.effect_size < 0.1
    assert region.biased and region.effect_size == pytest.approx(0.4, abs=0.01)


def test_categories_missing_from_the_reference_raise_the_effect():
    cur = pd.DataFrame({"c": ["a"] * 50 + ["b"] * 40 + ["new"] * 10})
    ref = pd.DataFrame({"c": ["a"] * 500 + ["b"] * 500})
    c = sampling_bias(cur, ["c"], reference=ref).columns[0]
    assert c.biased and "new" in c.categories and np.isfinite(c.effect_size)


def test_rare_categories_are_pooled():
    rng = np.random.default_rng(4)
    values = [f"v{i}" for i in range(100)]
    cur = pd.DataFrame({"c": rng.choice(values, 3000)})
    ref = pd.DataFrame({"c": rng.choice(values, 3000)})
    c = sampling_bias(cur, ["c"], reference=ref, max_categories=10).columns[0]
    assert len(c.categories) == 10 and c.categories[-1] == "(other)"


def test_population_labels_match_numbers_and_unlisted_values_are_counted():
    frame = pd.DataFrame({"kids": [0, 1, 2, 0, 1, 5]})
    c = sampling_bias(frame, ["kids"], population={"kids": {0: 0.4, 1: 0.3, 2: 0.3}}).columns[0]
    assert c.n == 5 and c.n_unlisted == 1
    with pytest.raises(ParameterError):
        sampling_bias(frame, ["kids"], population={"kids": {0: 0.4, 1: 0.3}})


def test_untestable_columns_say_why():
    frame = pd.DataFrame({"c": ["a"] * 5, "e": [None] * 5})
    result = sampling_bias(frame, ["c", "e"], reference=frame)
    assert all(c.p_value is None and c.reason for c in result.columns)
    none = sampling_bias(frame, ["c"]).columns[0]
    assert none.test == "none" and "no reference" in none.reason
    json.dumps(result.to_dict())
