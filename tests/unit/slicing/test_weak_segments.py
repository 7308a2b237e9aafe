"""Weak-segment discovery: p-values against scipy, corrections, pruning and results."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.exceptions import DataError, ParameterError
from stalwart.slicing import find_weak_segments
from stalwart.stats import adjust_p_values


def _planted(seed=0, n=2000):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"city": rng.choice(list("abcd"), n), "x": rng.normal(size=n),
                      "plan": rng.choice(["p", "q"], n)})
    bad = ((X["city"] == "c") & (X["plan"] == "q")).to_numpy()
    err = (rng.random(n) < np.where(bad, 0.5, 0.1)).astype(float)
    return X, err, bad


def test_holm_and_bh_adjustments():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # Holm by hand: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1, running max.
    np.testing.assert_allclose(adjust_p_values(p, method="holm"), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(adjust_p_values(p, method="bh"),
                               stats.false_discovery_control(p, method="bh"))
    with pytest.raises(ParameterError, match="correction"):
        adjust_p_values(p, method="bonf")


def test_fisher_pvalue_matches_scipy_fisher_exact():
    X, err, _ = _planted()
    res = find_weak_segments(X, err, max_order=1)
    top = res.segments[0]
    mask = (X["city"] == "c").to_numpy()
    assert top.conditions == ("city == c",) and top.size == mask.sum()
    table = [[err[mask].sum(), (1 - err[mask]).sum()], [err[~mask].sum(), (1 - err[~mask]).sum()]]
    assert top.p_value == pytest.approx(stats.fisher_exact(table, alternative="greater").pvalue)
    assert top.slice_loss == pytest.approx(err[mask].mean())
    assert top.rest_loss == pytest.approx(err[~mask].mean())
    assert top.effect == pytest.approx(err[mask].mean() - err[~mask].mean())
    assert top.ratio == pytest.approx(err[mask].mean() / err[~mask].mean())
    assert top.adjusted_p_value <= res.alpha and res.test == "fisher"
    # 4 cities + 5 bins of x + 2 plans, all big enough
    assert res.n_candidates == 11


def test_welch_pvalue_matches_scipy_ttest():
    X, _, bad = _planted(1)
    loss = np.random.default_rng(1).exponential(size=len(X)) * np.where(bad, 2.0, 1.0)
    res = find_weak_segments(X, loss)
    assert res.test == "welch"
    top = res.segments[0]
    assert top.conditions == ("city == c", "plan == q")
    ref = stats.ttest_ind(loss[bad], loss[~bad], equal_var=False, alternative="greater")
    assert top.p_value == pytest.approx(ref.pvalue, rel=1e-6)


def test_pair_is_found_and_its_parents_rank_below_it():
    X, err, bad = _planted()
    res = find_weak_segments(X, err)
    assert res.segments[0].conditions == ("city == c", "plan == q")
    assert res.segments[0].size == bad.sum()
    # candidates: 11 singles + every observed pair cell of size >= 30
    assert res.n_candidates > 11 and res.n_significant >= len(res.segments)
    payload = json.loads(json.dumps(res.to_dict()))
    assert payload["segments"][0]["columns"] == ["city", "plan"]
    assert payload["chart"]["labels"][0] == "city == c & plan == q"


def test_pair_not_worse_than_its_parent_is_pruned():
    rng = np.random.default_rng(5)
    n = 3000
    X = pd.DataFrame({"city": rng.choice(list("abc"), n), "plan": rng.choice(["p", "q"], n)})
    err = (rng.random(n) < np.where(X["city"] == "a", 0.4, 0.1)).astype(float)
    res = find_weak_segments(X, err)
    assert [s.conditions for s in res.segments] == [("city == a",)]
    assert res.n_pruned >= 1


def test_min_size_and_min_effect_filter():
    X, err, bad = _planted()
    assert find_weak_segments(X, err, min_size=int(bad.sum()) + 1,
                              max_order=2).segments[0].conditions != ("city == c", "plan == q")
    assert find_weak_segments(X, err, min_effect=0.9).segments == ()
    assert find_weak_segments(X, err, min_size=len(X)).n_candidates == 0


def test_bad_inputs():
    X, err, _ = _planted()
    with pytest.raises(DataError, match="loss"):
        find_weak_segments(X, err[:10])
    with pytest.raises(DataError, match="features"):
        find_weak_segments(err, err)
    with pytest.raises(ParameterError, match="test"):
        find_weak_segments(X, err + 0.5, test="fisher")
    with pytest.raises(ParameterError, match="max_order"):
        find_weak_segments(X, err, max_order=3)
    with pytest.raises(ParameterError, match="min_effect"):
        find_weak_segments(X, err, min_effect=-0.1)
    with pytest.raises(ParameterError, match="alpha"):
        find_weak_segments(X, err, alpha=1.5)
    with pytest.raises(ParameterError, match="correction"):
        find_weak_segments(X, err, correction="x")


def test_identifier_column_does_not_explode_the_candidates():
    X, err, _ = _planted()
    X = X.assign(row_id=[f"r{i}" for i in range(len(X))])
    res = find_weak_segments(X, err, max_categories=10)
    assert res.segments[0].conditions == ("city == c", "plan == q")
    # row_id: 9 ids of one row each (too small to test) and one "(other)" group of nearly
    # every row (its complement is too small): bincount over 10 codes, not 2000
    assert res.n_candidates == find_weak_segments(X.drop(columns="row_id"), err).n_candidates \
        + 4 + 2 + 5  # row_id's "(other)" paired with each city, plan and x bin
    assert all("row_id" not in s.columns for s in res.segments)
