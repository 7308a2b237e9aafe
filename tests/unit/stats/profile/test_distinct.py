"""Distinct counts: exact up to the limit, then within the stated error; merges agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stalwart.stats.profile import profile
from stalwart.stats.profile._distinct import EXACT_LIMIT, Distinct


def test_exact_up_to_the_limit_and_negative_zero():
    d = Distinct.empty(12).add(np.arange(EXACT_LIMIT, dtype=float)).add(np.array([-0.0]))
    assert (d.exact, d.estimate, d.rel_error) == (True, float(EXACT_LIMIT), 0.0)
    assert not Distinct.empty(12).add(np.arange(EXACT_LIMIT + 1.0)).exact


@pytest.mark.parametrize("n", [20_000, 150_000, 600_000])
def test_estimate_within_error(n):
    values = np.random.default_rng(n).permutation(n).astype(float) * 0.37
    parts = np.array_split(np.concatenate([values, values[: n // 3]]), 7)  # repeats
    d = Distinct.empty(12)
    for part in parts:
        d.add(part)
    assert not d.exact
    assert abs(d.estimate / n - 1) <= d.rel_error
    assert d.rel_error < 0.07


def test_merge_of_partitions_matches_one_pass():
    rng = np.random.default_rng(4)
    a, b = rng.integers(0, 60_000, 50_000), rng.integers(30_000, 90_000, 50_000)
    whole = Distinct.empty(12).add(np.concatenate([a, b]))
    merged = Distinct.empty(12).add(a).merge(Distinct.empty(12).add(b))
    truth = np.unique(np.concatenate([a, b])).size
    # same sampled hashes; a union switches HLL from the HIP to the composite estimator
    assert merged.estimate == pytest.approx(whole.estimate, rel=whole.rel_error)
    assert abs(merged.estimate / truth - 1) <= merged.rel_error
    back = Distinct.from_bytes(merged.to_bytes(), 12)
    assert back.estimate == merged.estimate
    small = Distinct.empty(12).add(a[:100]).merge(Distinct.empty(12).add(a[50:200]))
    assert small.exact and small.estimate == np.unique(a[:200]).size


def test_column_distinct_for_numbers_and_strings():
    rng = np.random.default_rng(8)
    n = 60_000
    df = pd.DataFrame({"x": rng.normal(size=n),
                       "s": [f"u{i}" for i in rng.integers(0, 40_000, n)]})
    p = profile(df, chunk_size=10_000)
    for name in ("x", "s"):
        truth = df[name].nunique()
        assert abs(p[name].distinct / truth - 1) <= p[name].distinct_rel_error, name
