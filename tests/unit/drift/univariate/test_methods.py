"""Every method on raw data equals scipy (or the closed form where scipy has none)."""

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

from stalwart.drift.univariate import DRIFT_METHODS
from stalwart.drift.univariate.samples import (
    CountsPair,
    NumericPair,
    binned_probabilities,
    reference_edges,
)
from stalwart.stats.multitest import adjust_p_values


def _raw(name, pair):
    return DRIFT_METHODS.get(name).raw(pair)


@pytest.mark.parametrize("n_ref,n_cur,rounded", [(300, 200, False), (40, 50, True),
                                                 (12_000, 15_000, False),
                                                 (20_000, 11_000, True)])
def test_ks_and_wasserstein_equal_scipy_both_paths(n_ref, n_cur, rounded):
    rng = np.random.default_rng(n_ref)
    a, b = rng.normal(size=n_ref), rng.normal(0.05, 1.1, n_cur)
    if rounded:  # many ties
        a, b = np.round(a, 1), np.round(b, 1)
    a[::97] = np.nan  # missing values are dropped, as by scipy's nan_policy="omit"
    pair = NumericPair.from_values(a, b)
    a = a[~np.isnan(a)]
    ks = _raw("ks", pair)
    ref = stats.ks_2samp(a, b)
    assert ks.statistic == ref.statistic
    assert ks.p_value == pytest.approx(ref.pvalue, rel=1e-12, abs=1e-300)
    w = _raw("wasserstein", pair)
    assert w.statistic == pytest.approx(stats.wasserstein_distance(a, b) / np.std(a), rel=1e-12)


def test_ks_tiny_p_value_above_10000_uses_scipys_asymptotic_distribution():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=30_000), rng.normal(0.1, 1, 20_000)
    out = _raw("ks", NumericPair.from_values(a, b))
    ref = stats.ks_2samp(a, b)
    assert ref.pvalue < 1e-10
    assert out.p_value == pytest.approx(ref.pvalue, rel=1e-12)


def test_cramer_von_mises_and_anderson_darling_equal_scipy():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=150), rng.normal(0.2, 1, 120)
    pair = NumericPair.from_values(a, b)
    cvm = _raw("cramer_von_mises", pair)
    ref = stats.cramervonmises_2samp(a, b)
    assert (cvm.statistic, cvm.p_value) == pytest.approx((ref.statistic, ref.pvalue))
    ad = _raw("anderson_darling", pair)
    ref = stats.anderson_ksamp([a, b], variant="midrank")
    assert (ad.statistic, ad.p_value) == pytest.approx((ref.statistic, ref.pvalue))
    assert ad.note == ""
    far = _raw("anderson_darling", NumericPair.from_values(a, b + 2))
    assert far.p_value == 0.001 and "clipped" in far.note


def test_chi_square_and_g_test_equal_scipy_on_the_union_of_categories():
    pair = CountsPair.from_mappings({"a": 40, "b": 35, "c": 25}, {"b": 30, "a": 50, "d": 6})
    table = np.array([[40, 35, 25, 0], [50, 30, 0, 6]])
    for name, lam in (("chi_square", None), ("g_test", "log-likelihood")):
        out = _raw(name, pair)
        ref = stats.chi2_contingency(table, lambda_=lam)
        assert (out.statistic, out.p_value) == pytest.approx((ref.statistic, ref.pvalue))
    same = _raw("chi_square", CountsPair.from_mappings({"a": 3}, {"a": 5}))
    assert (same.statistic, same.p_value) == (0.0, 1.0) and "single category" in same.note


def test_binned_divergences_equal_scipy_and_closed_forms():
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=5000), rng.normal(0.3, 1, 4000)
    pair = NumericPair.from_values(a, b)
    edges = reference_edges(pair.ref)
    assert edges == pytest.approx(np.quantile(a, np.arange(1, 10) / 10))
    p, q = binned_probabilities(pair)
    # the same shares as numpy's histogram on (-inf, e1], ..., (e9, inf)
    full = np.concatenate([[-np.inf], edges, [np.inf]])
    hist_p = np.array([np.sum((a > lo) & (a <= hi)) for lo, hi in zip(full[:-1], full[1:])])
    assert p == pytest.approx(hist_p / a.size)
    assert p == pytest.approx(np.full(10, 0.1))
    assert _raw("jensen_shannon", pair).statistic == pytest.approx(jensenshannon(p, q))
    assert _raw("kl", pair).statistic == pytest.approx(stats.entropy(q, p))
    assert _raw("psi", pair).statistic == pytest.approx(np.sum((q - p) * np.log(q / p)))
    hell = np.sqrt(1 - np.sum(np.sqrt(p * q)))  # the Bhattacharyya form of the same distance
    assert _raw("hellinger", pair).statistic == pytest.approx(hell)


def test_divergences_stay_finite_when_a_category_is_new():
    pair = CountsPair.from_mappings({"a": 50, "b": 50}, {"a": 40, "b": 40, "new": 20})
    for name in ("psi", "kl", "jensen_shannon", "hellinger"):
        assert np.isfinite(_raw(name, pair).statistic) and _raw(name, pair).statistic > 0


def test_registry_capabilities():
    caps = {n: DRIFT_METHODS.capabilities(n) for n in DRIFT_METHODS.names()}
    assert len(caps) == 10
    assert {n for n, c in caps.items() if not c["from_profile"]} == {
        "anderson_darling", "cramer_von_mises"}
    assert caps["psi"]["default_threshold"] == 0.2 and caps["ks"]["effect"] == "wasserstein"
    assert caps["chi_square"]["kinds"] == ("categorical", "boolean")
    for c in caps.values():
        assert c["output"] in ("test", "distance")
        assert (c["default_threshold"] is None) == (c["output"] == "test")


def test_bonferroni_correction():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    assert adjust_p_values(p, "bonferroni") == pytest.approx([0.04, 0.16, 0.12, 1.0])
    # Holm is never larger than Bonferroni
    assert np.all(adjust_p_values(p, "holm") <= adjust_p_values(p, "bonferroni"))


@pytest.mark.parametrize("name", DRIFT_METHODS.names())
def test_every_registered_method_runs_on_its_kinds_raw_and_from_profiles(name):
    import pandas as pd

    from stalwart.stats.profile import profile

    caps = DRIFT_METHODS.capabilities(name)
    method = DRIFT_METHODS.get(name)
    rng = np.random.default_rng(11)
    frames = [pd.DataFrame({"x": rng.normal(shift, 1, 400),
                            "c": rng.choice(list("abc"), 400, p=p)})
              for shift, p in ((0.0, [0.5, 0.3, 0.2]), (0.8, [0.2, 0.3, 0.5]))]
    inputs = {"numeric": (NumericPair.from_values(frames[0]["x"], frames[1]["x"]), "x"),
              "categorical": (CountsPair.from_mappings(frames[0]["c"].value_counts().to_dict(),
                                                       frames[1]["c"].value_counts().to_dict()),
                              "c")}
    profs = [profile(f) for f in frames]
    for kind, (pair, col) in inputs.items():
        if kind not in caps["kinds"]:
            continue
        out = method.raw(pair)
        assert np.isfinite(out.statistic) and out.statistic > 0
        if caps["output"] == "test":
            assert 0 <= out.p_value <= 1e-3  # a large planted change (AD clips at 0.001)
        else:
            assert out.p_value is None and out.statistic >= caps["default_threshold"]
        if caps["from_profile"]:
            approx = method.from_profile(profs[0][col], profs[1][col])
            assert approx.statistic == pytest.approx(out.statistic, rel=0.05, abs=0.01)


def test_sorted_quantile_equals_numpy():
    from stalwart.drift.univariate.samples import sorted_quantile

    rng = np.random.default_rng(12)
    for n in (1, 2, 7, 1000):
        v = np.sort(np.round(rng.normal(size=n), 2))
        q = np.concatenate([[0.0, 1.0], rng.random(50)])
        assert sorted_quantile(v, q) == pytest.approx(np.quantile(v, q), rel=1e-12, abs=1e-15)
