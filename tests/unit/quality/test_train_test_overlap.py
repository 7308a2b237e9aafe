import json

import numpy as np
import pandas as pd
import pytest

from stalwart.quality.train_test_overlap import (aligned_row_hashes, id_overlap,
                                                 mismatched_columns, overlap_with_target,
                                                 row_overlap, train_test_overlap)


def _naive_overlap(frame, reference, columns):
    keys = set(map(tuple, reference[columns].astype(str).to_numpy()))
    return sum(tuple(row) in keys for row in frame[columns].astype(str).to_numpy())


def test_counts_match_a_direct_set_lookup():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"a": rng.integers(0, 5, 400), "b": rng.choice(list("xyz"), 400),
                        "y": rng.integers(0, 2, 400)})
    cur = pd.DataFrame({"a": rng.integers(0, 8, 300), "b": rng.choice(list("xyzw"), 300),
                        "y": rng.integers(0, 2, 300)})
    result = train_test_overlap(cur, ref, features=["a", "b"], target="y")
    assert result.features.n_overlap == _naive_overlap(cur, ref, ["a", "b"])
    assert result.features_and_target.n_overlap == _naive_overlap(cur, ref, ["a", "b", "y"])
    assert result.features.share == pytest.approx(result.features.n_overlap / 300)


@pytest.mark.parametrize("n_copied", [0, 30, 700])
def test_target_overlap_from_feature_matches_equals_a_full_rehash(n_copied):
    rng = np.random.default_rng(n_copied)
    ref = pd.DataFrame({"a": rng.normal(size=1000), "b": rng.choice(list("xy"), 1000),
                        "y": rng.integers(0, 2, 1000)})
    cur = pd.DataFrame({"a": rng.normal(size=1000), "b": rng.choice(list("xy"), 1000),
                        "y": rng.integers(0, 2, 1000)})
    copied = ref.sample(n_copied, random_state=0)
    copied = copied.assign(y=np.where(np.arange(n_copied) % 3 == 0, 1 - copied["y"], copied["y"]))
    cur = pd.concat([cur, copied], ignore_index=True)
    h_cur, h_ref = aligned_row_hashes(cur, ref, ["a", "b"])
    fast = overlap_with_target(cur, ref, features=["a", "b"], target="y", data_hashes=h_cur,
                               reference_hashes=h_ref)
    full_cur, full_ref = aligned_row_hashes(cur, ref, ["a", "b", "y"])
    full = row_overlap(full_cur, full_ref, data_index=cur.index, reference_index=ref.index)
    assert fast.n_overlap == full.n_overlap == n_copied - len(range(0, n_copied, 3))
    assert fast.n_rows == len(cur)
    for data_row, ref_row in fast.examples:
        assert (cur.loc[data_row] == ref.loc[ref_row]).all()


def test_examples_point_at_matching_rows():
    ref = pd.DataFrame({"x": [1.0, 2.0, 3.0, 2.0]}, index=["r0", "r1", "r2", "r3"])
    cur = pd.DataFrame({"x": [9.0, 3.0, 2.0]}, index=["c0", "c1", "c2"])
    result = train_test_overlap(cur, ref, features=["x"])
    assert result.features.n_overlap == 2 and result.features_and_target is None
    for data_row, ref_row in result.features.examples:
        assert cur.loc[data_row, "x"] == ref.loc[ref_row, "x"]


def test_values_stored_with_different_dtypes_still_match():
    ref = pd.DataFrame({"n": [1, 2, 3], "s": pd.Series(["a", "b", "c"], dtype="category"),
                        "f": [True, False, True]})
    cur = pd.DataFrame({"n": [1.0, 2.0, np.nan], "s": pd.Series(["a", "b", "c"], dtype=object),
                        "f": pd.Series([True, False, True], dtype=object)})
    assert mismatched_columns(cur, ref, ["n", "s", "f"]) == ["n", "f"]
    h_cur, h_ref = aligned_row_hashes(cur, ref, ["n", "s", "f"])
    assert (h_cur[:2] == h_ref[:2]).all() and h_cur[2] != h_ref[2]
    # the inputs are not modified
    assert cur["n"].dtype == np.float64 and ref["n"].dtype == np.int64


def test_no_overlap_on_disjoint_continuous_data(clean_frame):
    train, test = clean_frame.iloc[:1000], clean_frame.iloc[1000:]
    result = train_test_overlap(test, train, features=["age", "income", "city", "score"],
                                target="y")
    assert result.features.n_overlap == 0 and result.features.examples == ()


def test_id_overlap():
    ref_ids = pd.Series(["u1", "u2", "u3", None], name="user_id")
    cur_ids = pd.Series(["u3", "u3", "u9", None, "u1"], name="user_id")
    ids = id_overlap(cur_ids, ref_ids)
    assert (ids.n_rows_shared, ids.n_ids_shared, ids.share) == (3, 2, 3 / 5)
    assert set(ids.examples) == {"u1", "u3"}


def test_empty_sides():
    h = np.array([1, 2], dtype=np.uint64)
    empty = np.array([], dtype=np.uint64)
    assert row_overlap(h, empty, data_index=pd.RangeIndex(2),
                       reference_index=pd.RangeIndex(0)).n_overlap == 0
    json.dumps(train_test_overlap(pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [1]}),
                                  features=["x"], id_columns=["x"]).to_dict())
