import numpy as np
import pandas as pd
import pytest

from stalwart.quality.conflicting_labels import conflicting_labels


def _coarse(seed=0, n=4000):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.integers(0, 5, n), "b": rng.choice(["x", "y", "z"], n),
                       "c": rng.integers(0, 3, n)})
    df["y"] = rng.choice(["no", "yes"], n, p=[0.9, 0.1])
    return df


def test_counts_match_a_pandas_groupby():
    df = _coarse()
    r = conflicting_labels(df, features=["a", "b", "c"], target="y", top_groups=1000)
    g = df.groupby(["a", "b", "c"])["y"]
    nunique, size = g.nunique(), g.size()
    assert r.n_conflicting_groups == (nunique > 1).sum()
    assert r.n_conflicting_rows == size[nunique > 1].sum()
    assert r.conflicting_share == pytest.approx(size[nunique > 1].sum() / len(df))
    top = r.groups[0]
    assert top.size == size[nunique > 1].max()
    rows = df.loc[list(top.rows)]
    assert len(rows[["a", "b", "c"]].drop_duplicates()) == 1
    key = tuple(rows.iloc[0][["a", "b", "c"]])
    expected = df.groupby(["a", "b", "c"]).get_group(key)["y"].value_counts()
    assert dict(top.label_counts) == expected.to_dict()
    assert top.label_counts[0][1] >= top.label_counts[-1][1]


def test_unlabelled_rows_take_no_part_and_numbers_work():
    df = pd.DataFrame({"a": [1, 1, 1, 2, 2, 3], "y": [0.5, np.nan, 0.5, 1.0, 1.5, 2.0]})
    r = conflicting_labels(df, features=["a"], target="y")
    assert r.n_rows == 5 and r.n_conflicting_rows == 2 and r.n_conflicting_groups == 1
    assert r.groups[0].rows == (3, 4) and r.groups[0].example == {"a": 2}


def test_no_conflicts_on_continuous_features(clean_frame):
    r = conflicting_labels(clean_frame, features=["age", "income", "city", "plan", "score"],
                           target="y")
    assert r.n_conflicting_rows == 0 and r.groups == () and r.conflicting_share == 0.0


def test_precomputed_hashes_are_used():
    df = pd.DataFrame({"a": [1, 2, 3], "y": [0, 1, 0]})
    same = np.zeros(3, dtype=np.uint64)  # pretend every row has the same features
    r = conflicting_labels(df, features=["a"], target="y", hashes=same)
    assert r.n_conflicting_rows == 3
