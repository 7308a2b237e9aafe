"""Merging chunk profiles gives the whole profile; order does not matter for exact fields."""

from __future__ import annotations

import itertools
from functools import reduce

import numpy as np
import pandas as pd
import pytest

from stalwart.stats.profile import DatasetProfile, profile

N = 30_000


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    x = rng.gamma(2.0, 3.0, N)
    x[rng.random(N) < 0.05] = np.nan
    return pd.DataFrame({"x": x, "k": rng.integers(-3, 4, N),
                         "c": rng.choice(["a", "b", "c", "d"], N, p=[.4, .3, .2, .1])})


EXACT = ("n_rows", "n_missing", "count", "type_counts", "min", "max", "n_zero",
         "n_negative", "n_integer_valued", "counts_exact")


def _parts(frame: pd.DataFrame, cuts=(0, 7_000, 8_000, 21_000, N)) -> list[DatasetProfile]:
    return [profile(frame.iloc[a:b]) for a, b in itertools.pairwise(cuts)]


def test_merge_of_parts_equals_the_whole(frame):
    whole = profile(frame)
    merged = reduce(DatasetProfile.merge, _parts(frame))
    assert merged.n_rows == whole.n_rows == N
    for name in frame.columns:
        a, b = merged[name], whole[name]
        for field in EXACT:
            assert getattr(a, field) == getattr(b, field), (name, field)
        assert a.counts() == b.counts()
        if a.kind == "numeric":
            assert a.mean == pytest.approx(b.mean, rel=1e-12)
            assert a.variance == pytest.approx(b.variance, rel=1e-12)
            assert a.sum == pytest.approx(b.sum, rel=1e-12)
            v = frame[name].dropna().to_numpy()
            grid = np.quantile(v, np.linspace(0.05, 0.95, 19))
            truth = np.searchsorted(np.sort(v), grid, side="right") / v.size
            assert np.max(np.abs(a.cdf(grid) - truth)) <= a.rank_error
    assert merged["k"].distinct == pytest.approx(7.0, abs=1e-3)


def test_merge_is_order_independent_for_exact_fields(frame):
    parts = _parts(frame)
    results = [reduce(DatasetProfile.merge, perm) for perm in itertools.permutations(parts)]
    first = results[0]
    for other in results[1:]:
        for name in frame.columns:
            for field in EXACT:
                assert getattr(other[name], field) == getattr(first[name], field)
            assert other[name].counts() == first[name].counts()
            if other[name].kind == "numeric":
                assert other[name].mean == pytest.approx(first[name].mean, rel=1e-12)


def test_merge_returns_a_new_object_and_keeps_operands(frame):
    a, b = _parts(frame)[:2]
    before = (a["x"].n_rows, a["x"].kll.n, a["c"].counts())
    m = a.merge(b)
    assert m is not a and m["x"] is not a["x"] and m["x"].kll is not a["x"].kll
    assert (a["x"].n_rows, a["x"].kll.n, a["c"].counts()) == before


def test_union_of_columns_and_kind_conflicts():
    a = profile(pd.DataFrame({"v": [1.0, 2.0], "only_a": ["x", "y"]}))
    b = profile(pd.DataFrame({"v": ["p", "q", "q"], "only_b": [True, False, True]}))
    m = a.merge(b)
    assert list(m.columns) == ["v", "only_a", "only_b"] and m.n_rows == 5
    assert (m["only_a"].n_rows, m["only_b"].n_rows) == (2, 3)
    v = m["v"]
    assert v.kind == "other" and "(categorical and numeric)" in v.note
    assert v.type_counts == {"float": 2, "str": 3} and v.n_rows == 5
    assert b.merge(a)["v"].type_counts == v.type_counts
    # text and categorical share their sketches: the merge is text
    t = profile(pd.DataFrame({"t": [f"one two three four five {i}" for i in range(3)]}))
    c = profile(pd.DataFrame({"t": ["a", "b"]}))
    assert t["t"].kind == "text" and t.merge(c)["t"].kind == "text"
    assert t.merge(c)["t"].counts() == {"a": 1, "b": 1, "one two three four five 0": 1,
                                        "one two three four five 1": 1,
                                        "one two three four five 2": 1}


def test_exact_counts_dropped_when_the_union_exceeds_the_limit():
    a = profile(pd.DataFrame({"c": [f"a{i}" for i in range(8)]}), max_exact_categories=10)
    b = profile(pd.DataFrame({"c": [f"b{i}" for i in range(8)]}), max_exact_categories=10)
    assert a["c"].counts_exact and b["c"].counts_exact
    m = a.merge(b)["c"]
    assert not m.counts_exact and m.distinct == pytest.approx(16, abs=0.5)
