"""Binning: quantile edges match numpy, values group categories, missing is its own group."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stalwart.exceptions import ParameterError
from stalwart.slicing import MISSING, bin_column, bin_frame


def test_numeric_bins_follow_numpy_quantiles():
    x = np.random.default_rng(0).normal(size=1000)
    b = bin_column(pd.Series(x, name="age"), n_bins=4)
    q = np.quantile(x, [0.25, 0.5, 0.75])
    edges = np.sort(x)[np.searchsorted(np.sort(x), q, side="right") - 1]  # snapped to data
    assert np.all(np.abs(edges - q) < 0.05)
    np.testing.assert_allclose(b.edges, edges)
    np.testing.assert_array_equal(b.codes, np.searchsorted(edges, x, side="left"))
    assert np.bincount(b.codes).tolist() == [250, 250, 250, 250]
    assert b.labels[0].startswith("<= ") and b.labels[-1].startswith("> ")
    assert b.condition(0) == f"age <= {edges[0]:.4g}"
    assert b.condition(1) == f"age in ({edges[0]:.4g}, {edges[1]:.4g}]"


def test_skewed_column_merges_duplicate_edges():
    x = np.r_[np.zeros(900), np.arange(1, 101)]
    b = bin_column(x, n_bins=5)
    assert len(b.labels) == 2 and b.labels[0] == "<= 0"
    assert (b.codes == 0).sum() == 900


def test_few_values_and_strings_are_grouped_by_value_with_missing():
    b = bin_column(pd.Series([3, 1, 1, None], name="k"), n_bins=5)
    assert b.labels == ("1", "3", MISSING) and b.codes.tolist() == [1, 0, 0, 2]
    s = bin_column(pd.Series(["b", "a", None, "b"], dtype="string", name="c"))
    assert s.labels == ("a", "b", MISSING) and s.codes.tolist() == [1, 0, 2, 1]
    assert s.condition(1) == "c == b" and s.condition(2) == "c is missing"
    flags = bin_column(pd.Series([True, False, True]))
    assert flags.labels == ("False", "True") and not flags.numeric


def test_bin_frame_and_bad_n_bins():
    df = pd.DataFrame({"a": range(10), "b": list("xy" * 5)})
    assert [b.name for b in bin_frame(df, n_bins=2)] == ["a", "b"]
    with pytest.raises(ParameterError, match="n_bins"):
        bin_column([1, 2], n_bins=1)


def test_high_cardinality_keeps_the_most_frequent_values():
    values = pd.Series(["a"] * 50 + ["b"] * 30 + [f"id{i}" for i in range(200)] + [None] * 5)
    b = bin_column(values, max_categories=3)
    from stalwart.slicing import OTHER
    assert b.labels == ("a", "b", OTHER, MISSING)
    assert np.bincount(b.codes).tolist() == [50, 30, 200, 5]
    assert b.condition(2) == "column is a less frequent value"
    with pytest.raises(ParameterError, match="max_categories"):
        bin_column(values, max_categories=1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6), st.none()), min_size=1, max_size=80),
       st.integers(2, 8))
def test_numeric_codes_are_ordered_and_every_group_is_used(values, n_bins):
    s = pd.Series(values, dtype=float)
    b = bin_column(s, n_bins=n_bins)
    assert b.codes.min() >= 0 and b.codes.max() < len(b.labels)
    assert set(np.unique(b.codes)) == set(range(len(b.labels)))  # no empty group
    present = s.notna().to_numpy()
    assert (b.codes[~present] == b.labels.index(MISSING)).all() if (~present).any() \
        else MISSING not in b.labels
    x, c = s.to_numpy()[present], b.codes[present]
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(c[order]) >= 0)  # bins follow the order of the values


def test_object_dtype_strings_like_pandas_2():
    b = bin_column(pd.Series(["x", "y", None, "x"], dtype=object))
    assert b.labels == ("x", "y", MISSING) and b.codes.tolist() == [0, 1, 2, 0]


def test_ties_at_the_maximum_leave_no_empty_bin():
    x = [2, 5, 0, 5, 0, 5, 5, 4, 2, 3, 2, 5, 2, 3, 5, 2, 4, 5, 3, 2, 1, 3, 5, 5]
    b = bin_column(np.array(x, dtype=float), n_bins=3)
    # quantiles 2 and 5; an edge at the maximum would leave "> 5" empty, so it is dropped
    assert b.labels == ("<= 2", "> 2")
    assert np.bincount(b.codes).tolist() == [9, 15]
    most_max = bin_column(np.r_[np.arange(5.0), np.full(95, 9.0)], n_bins=3)
    assert most_max.labels == ("<= 4", "> 4") and np.bincount(most_max.codes).tolist() == [5, 95]
