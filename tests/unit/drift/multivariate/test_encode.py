"""TabularEncoder: fitted on the reference, same mapping for current data, stated choices."""

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler

from stalwart.drift.multivariate._encode import TabularEncoder
from stalwart.exceptions import DataError, SchemaError, StageError


def test_numeric_columns_are_standardised_like_sklearn():
    rng = np.random.default_rng(0)
    ref = rng.normal(3, 2, size=(50, 3))
    cur = rng.normal(size=(20, 3))
    enc = TabularEncoder().fit(ref)
    expected = StandardScaler().fit(ref).transform(cur)
    np.testing.assert_allclose(enc.transform(cur), expected, rtol=1e-12)
    assert enc.feature_names_ == ["x0", "x1", "x2"]
    assert enc.groups_ == {"x0": [0], "x1": [1], "x2": [2]}


def test_categories_one_hot_with_other_for_rare_and_unseen():
    ref = pd.DataFrame({"c": ["a"] * 5 + ["b"] * 3 + ["c"]})
    enc = TabularEncoder(max_categories=2).fit(ref)
    assert enc.feature_names_ == ["c=a", "c=b", "c=<other>"]
    out = enc.transform(pd.DataFrame({"c": ["b", "c", "zzz", None]}))
    assert out.tolist() == [[0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 0, 1]]
    assert any("1 rarer categories" in n for n in enc.notes_)
    assert TabularEncoder(categorical="ordinal").fit(ref).transform(
        pd.DataFrame({"c": ["a", "c", "q"]})).ravel().tolist() == [0, 2, -1]


def test_missing_values_are_imputed_and_stated():
    ref = pd.DataFrame({"x": [1.0, np.nan, 3.0], "y": [1.0, 2.0, 3.0]})
    enc = TabularEncoder().fit(ref)
    assert enc.feature_names_ == ["x", "x=<missing>", "y"]
    assert "imputed with the reference mean" in enc.notes_[0]
    out = enc.transform(pd.DataFrame({"x": [np.nan], "y": [np.nan]}))
    assert out.tolist() == [[0.0, 1.0, 0.0]]
    assert "'y': 1 missing current values (none in the reference)" in enc.last_notes_[0]


def test_constant_and_all_missing_columns_are_noted():
    ref = pd.DataFrame({"k": [2.0] * 4, "gone": [np.nan] * 4, "x": [1.0, 2.0, 3.0, 4.0]})
    enc = TabularEncoder().fit(ref)
    assert enc.feature_names_ == ["k", "x"]
    assert any("'k' is constant" in n for n in enc.notes_)
    assert any("'gone' is missing in every reference row" in n for n in enc.notes_)
    # a constant column keeps scale 1: a current deviation of 3 shows as 3
    assert enc.transform(pd.DataFrame({"k": [5.0], "gone": [1.0], "x": [2.5]}))[0, 0] == 3.0


def test_mismatched_columns_raise_schema_errors_naming_them():
    enc = TabularEncoder().fit(pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 3.0]}))
    with pytest.raises(SchemaError, match=r"missing \['b'\] and unexpected \['z'\]"):
        enc.transform(pd.DataFrame({"a": [1.0], "z": [2.0]}))
    with pytest.raises(SchemaError, match="'a' of current"):
        enc.transform(pd.DataFrame({"a": ["text"], "b": [1.0]}))
    arr = TabularEncoder().fit(np.zeros((3, 2)) + [[0, 1], [1, 0], [2, 2]])
    with pytest.raises(SchemaError, match=r"missing \['x1'\]"):
        arr.transform(np.zeros((3, 1)))


def test_stage_and_empty_errors():
    with pytest.raises(StageError):
        TabularEncoder().transform(np.zeros((2, 2)))
    with pytest.raises(DataError):
        TabularEncoder().fit(pd.DataFrame({"g": [np.nan, np.nan]}))


def test_booleans_and_datetimes_are_numeric():
    ref = pd.DataFrame({"b": [True, False, True, False],
                        "t": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03",
                                             "2024-01-04"])})
    enc = TabularEncoder().fit(ref)
    assert enc.feature_names_ == ["b", "t"]
    out = enc.transform(pd.DataFrame({"b": [True], "t": pd.to_datetime(["2024-01-06"])}))
    # one day = 86 400 s; the reference spans 4 days with sd sqrt(1.25) days
    assert out[0, 0] == pytest.approx(1.0) and out[0, 1] == pytest.approx(3.5 / np.sqrt(1.25))
