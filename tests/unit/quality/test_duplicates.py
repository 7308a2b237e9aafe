import numpy as np
import pandas as pd
import pytest

from stalwart.quality.duplicates import _round_significant, duplicates, near_duplicate_hashes


def _frame(seed=0, n=5000):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.integers(0, 6, n), "b": rng.choice(["x", "y", "z"], n),
                         "c": rng.integers(0, 4, n).astype(float)})


def test_exact_counts_and_groups_match_pandas():
    df = _frame()
    r = duplicates(df, top_groups=500, max_rows_per_group=10_000)
    assert r.n_duplicate_rows == df.duplicated().sum()
    sizes = df.groupby(list(df.columns)).size()
    assert r.n_duplicate_groups == (sizes > 1).sum()
    assert sorted(g.size for g in r.groups) == sorted(sizes[sizes > 1].tolist())
    biggest = r.groups[0]
    assert biggest.size == sizes.max()
    rows = df.loc[list(biggest.rows)]
    assert len(rows.drop_duplicates()) == 1 and len(rows) == biggest.size
    assert biggest.example == rows.iloc[0].to_dict()
    assert r.duplicate_share == pytest.approx(df.duplicated().mean())
    assert r.n_near_duplicate_rows == 0  # nothing to normalise in this table


def test_near_duplicates_normalise_strings_and_round_numbers():
    df = pd.DataFrame({
        "name": ["Ann Lee", "ann  lee", " ANN LEE ", "Bob", "Bob", "Cy"],
        "amount": [10.0, 10.0000001, 10.00000004, 3.5, 3.5, 3.5],
    }, index=[10, 11, 12, 13, 14, 15])
    r = duplicates(df)
    assert r.n_duplicate_rows == 1 and r.groups[0].rows == (13, 14)
    assert r.n_near_duplicate_rows == 2 and r.n_near_duplicate_groups == 1
    assert r.near_groups[0].size == 3 and set(r.near_groups[0].rows) == {10, 11, 12}
    # with more digits the numbers differ again
    assert duplicates(df, significant_digits=9).n_near_duplicate_rows == 1


def test_significant_digit_rounding_matches_decimal_formatting():
    rng = np.random.default_rng(3)
    x = rng.lognormal(0, 6, 20_000) * rng.choice([-1, 1], 20_000)
    for d in (1, 3, 6):
        ours = _round_significant(x, d)
        ref = np.array([float(f"{v:.{d - 1}e}") for v in x])
        # the two may differ only where x sits on a rounding tie to ~1e-12
        mismatch = ~np.isclose(ours, ref, rtol=1e-12, atol=0)
        assert mismatch.mean() < 1e-3
    special = np.array([0.0, -0.0, np.nan, np.inf, -np.inf, 5e-320])
    out = _round_significant(special, 3)
    assert out[0] == 0 and not np.signbit(out[1]) and np.isnan(out[2])
    assert out[3] == np.inf and out[4] == -np.inf and np.isfinite(out[5])


def test_missing_values_match_each_other_and_dtypes():
    df = pd.DataFrame({
        "f": [1.0, np.nan, np.nan, -0.0, 0.0, 0.0],
        "s": pd.Series(["a", None, None, "b", "b", " B"], dtype="string"),
        "cat": pd.Categorical(["u", "v", "v", "w", "w", "w"]),
        "when": pd.to_datetime(["2024-01-01", None, None, "2024-01-02", "2024-01-02",
                                "2024-01-02"]),
        "flag": [True, False, False, True, True, True],
        "lists": [[1], [2], [2], [3], [3], [3]],
        "mixed": [1, "1", "1", 2.5, 2.5, 2.5],
    })
    r = duplicates(df)
    assert r.n_duplicate_rows == 2  # -0.0 equals 0.0, missing equals missing
    assert [g.rows for g in r.groups] == [(1, 2), (3, 4)]
    assert r.n_duplicate_rows == df.drop(columns="lists").duplicated().sum()
    assert r.n_near_duplicate_rows == 1 and r.near_groups[0].rows[:2] == (3, 5)


def test_hashes_are_column_order_sensitive_and_deterministic():
    df = pd.DataFrame({"a": ["x", "y"], "b": ["y", "x"]})
    h = near_duplicate_hashes(df, ["a", "b"])
    assert h[0] != h[1]
    assert np.array_equal(h, near_duplicate_hashes(df.copy(), ["a", "b"]))


def test_clean_data_has_no_duplicates(clean_frame):
    r = duplicates(clean_frame)
    assert r.n_duplicate_rows == 0 and r.n_near_duplicate_rows == 0 and r.groups == ()
