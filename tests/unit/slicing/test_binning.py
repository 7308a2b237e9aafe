"""Binning: quantile edges match numpy, values group categories, missing is its own group."""

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import ParameterError
from stalwart.slicing import MISSING, bin_column, bin_frame


def test_numeric_bins_follow_numpy_quantiles():
    x = np.random.default_rng(0).normal(size=1000)
    b = bin_column(pd.Series(x, name="age"), n_bins=4)
    edges = np.quantile(x, [0.25, 0.5, 0.75])
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
