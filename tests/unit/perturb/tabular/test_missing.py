"""Missing values and feature dropout: shares, markers and fills."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from stalwart.exceptions import ParameterError
from stalwart.perturb.tabular import FeatureDropout, MissingValues

from .conftest import mixed


@pytest.mark.parametrize("severity, share", [(1, 0.01), (2, 0.05), (4, 0.2), (5, 0.4)])
def test_share_of_missing_inside_the_binomial_interval(severity, share):
    X = mixed(5000)
    out = MissingValues(severity=severity, random_state=severity).fit(X).transform(X)
    for col in X.columns:
        k = int(out[col].isna().sum() - X[col].isna().sum())
        lo, hi = stats.binom.interval(0.999, len(X), share)
        assert lo <= k <= hi, col


def test_missing_markers_follow_the_column():
    X = mixed(300)
    out = MissingValues(share=0.5, random_state=0).fit(X).transform(X)
    assert out["age"].dtype == float and out["height"].dtype == X["height"].dtype
    assert out["plan"].dtype == X["plan"].dtype and out["joined"].isna().any()
    assert out["active"].isna().any() and out["tags"].isna().any()
    kept = out["age"].notna()
    np.testing.assert_array_equal(out.loc[kept, "age"], X.loc[kept, "age"])


def test_dropout_drops_the_share_of_columns_and_notes_the_rest():
    X = mixed(100)
    d = FeatureDropout(severity=3, random_state=0).fit(X)  # 0.3 of 8 columns -> 2
    out = d.transform(X)
    dropped = [c for c in X.columns if out[c].isna().all()]
    assert len(dropped) == 2 and sorted(d.applied()) == sorted(dropped)
    for n in d.notes_:
        if not n.applied:
            assert n.reason == "not drawn: 2 of 8 eligible columns dropped (share 0.3)"
            assert out[n.target].equals(X[n.target])


def test_dropout_fill_mean_and_mode():
    X = pd.DataFrame({"x": [1.0, 2.0, 6.0], "k": [1, 2, 4], "s": ["a", "b", "b"]})
    out = FeatureDropout(share=1.0, fill="mean").fit(X).transform(X)
    assert out["x"].tolist() == [3.0] * 3
    assert out["k"].tolist() == [2] * 3 and out["k"].dtype == X["k"].dtype  # 7/3 rounded
    assert out["s"].tolist() == ["b"] * 3
    with pytest.raises(ParameterError, match="fill"):
        FeatureDropout(fill="zero").fit(X)


def test_dropout_never_picks_immutable_columns():
    X = mixed(50)
    mutable = ["height", "city"]
    immutable = [c for c in X.columns if c not in mutable]
    for seed in range(5):
        d = FeatureDropout(share=1.0, constraints={"immutable": immutable},
                           random_state=seed).fit(X)
        d.transform(X)
        assert sorted(d.applied()) == sorted(mutable)


def test_dtypes_kept_by_mean_fill_and_nullable_integers():
    # a datetime column filled with its mode came back as object; an Int64 column with
    # missing values injected came back as float64
    X = pd.DataFrame({"when": pd.date_range("2024-01-01", periods=6, freq="D"),
                      "count": pd.array([1, 2, None, 4, 5, 6], dtype="Int64")})
    out = FeatureDropout(share=1.0, fill="mean", random_state=0).fit(X).transform(X)
    assert out["when"].dtype == X["when"].dtype
    assert (out["when"] == pd.Timestamp("2024-01-01")).all()
    assert out["count"].dtype == "Int64" and out["count"].tolist() == [4] * 6  # mean 3.6
    miss = MissingValues(share=0.5, random_state=0).fit(X).transform(X)
    assert miss["count"].dtype == "Int64" and miss["count"].isna().sum() > 1
    kept = miss["count"].notna()
    assert miss.loc[kept, "count"].tolist() == X.loc[kept, "count"].tolist()
