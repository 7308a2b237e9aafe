import numpy as np
import pandas as pd

from stalwart.quality.id_like_columns import id_like_columns


def _by_name(frame, **kw):
    return {c.name: c for c in id_like_columns(frame, **kw).columns}


def test_flags_keys_and_sequences_and_not_measurements():
    n = 2000
    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "row": np.arange(100, 100 + 10 * n, 10),                       # step 10
        "key": rng.permutation(n) + 5000,                                # shuffled dense keys
        "filtered_key": np.sort(rng.choice(3 * n, n, replace=False)),   # a third kept
        "cents": rng.integers(0, 10**9, n),                              # distinct but sparse
        "price": rng.lognormal(3, 1, n),                                 # floats: unique
        "code": [f"C-{i:06d}" for i in rng.permutation(n)],
        "city": rng.choice(["a", "b", "c"], n),
        "age": rng.integers(18, 90, n),
    })
    by = _by_name(df)
    assert by["row"].rule == "sequence" and by["row"].step == 10.0
    assert by["key"].rule == "dense_unique_integers" and by["key"].density == 1.0
    assert by["filtered_key"].rule == "dense_unique_integers"
    assert abs(by["filtered_key"].density - n / (df.filtered_key.max() - df.filtered_key.min() + 1)) < 1e-12
    assert by["code"].rule == "unique_strings" and by["code"].unique_share == 1.0
    for name in ("cents", "price", "city", "age"):
        assert by[name].rule is None, name
    assert by["cents"].unique_share > 0.99 and by["cents"].density < 0.001


def test_whole_number_floats_with_missing_values_count_as_integers():
    ids = np.arange(500, dtype=float)
    ids[::50] = np.nan
    rng = np.random.default_rng(1)
    shuffled = rng.permutation(ids)
    by = _by_name(pd.DataFrame({"id_float": shuffled}))
    c = by["id_float"]
    assert c.rule == "dense_unique_integers" and c.n_values == 490 and c.n_unique == 490


def test_near_unique_strings_and_threshold():
    values = [f"u{i}" for i in range(995)] + ["u0"] * 5  # 99.5% distinct
    df = pd.DataFrame({"user": values})
    assert _by_name(df)["user"].rule == "unique_strings"
    assert _by_name(df, min_unique_share=0.999)["user"].rule is None


def test_small_tables_and_other_dtypes_are_not_candidates():
    df = pd.DataFrame({"k": range(30), "s": [f"x{i}" for i in range(30)]})
    assert id_like_columns(df).flagged == ()
    assert {c.name for c in id_like_columns(df, min_rows=10).flagged} == {"k", "s"}
    odd = pd.DataFrame({
        "when": pd.date_range("2024-01-01", periods=100, freq="h"),
        "flag": [True, False] * 50,
        "lists": [[i] for i in range(100)],
        "cat": pd.Categorical([f"c{i}" for i in range(100)]),
        "inf": np.r_[np.arange(99.0), np.inf],
        "same": [3] * 100,
    })
    by = _by_name(odd)
    assert by["when"].rule is None and by["flag"].rule is None
    assert by["lists"].rule is None and "unhashable" in by["lists"].note
    assert by["cat"].rule == "unique_strings"
    assert by["inf"].rule is None and by["same"].rule is None
    assert [c.name for c in id_like_columns(odd).not_examined] == ["lists"]
