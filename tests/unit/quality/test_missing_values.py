import numpy as np
import pandas as pd
import pytest

from stalwart.quality.missing_values import DISGUISED_TOKENS, missing_values


def _random_frame(seed=0, n=3000):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    a[rng.random(n) < 0.1] = np.nan
    b = rng.normal(size=n)
    b[np.isnan(a)] = np.nan  # b is missing whenever a is
    c = rng.choice(["x", "y", "z"], n).astype(object)
    c[rng.random(n) < 0.05] = None
    d = rng.normal(size=n)
    d[~np.isnan(a)] = np.nan  # d is filled exactly when a is missing
    return pd.DataFrame({"a": a, "b": b, "c": c, "d": d, "e": rng.normal(size=n)})


def test_counts_match_pandas():
    df = _random_frame()
    r = missing_values(df)
    for col in r.columns:
        assert col.n_missing == df[col.name].isna().sum()
        assert col.missing_share == pytest.approx(df[col.name].isna().mean())
        assert col.n_disguised == 0
    assert r.rows_with_missing_share == pytest.approx(df.isna().any(axis=1).mean())
    assert r.all_missing == ()


def test_patterns_match_a_pandas_group_count():
    df = _random_frame()
    r = missing_values(df, top_patterns=50)
    ind = df.isna()
    ind = ind[ind.any(axis=1)]
    keys = ind.apply(lambda row: tuple(c for c in df.columns if row[c]), axis=1)
    expected = keys.value_counts()
    got = dict(r.patterns)
    assert got == {k: int(v) for k, v in expected.items()}
    assert r.patterns[0][1] == expected.max()


def test_phi_matches_numpy_corrcoef_and_strong_pairs():
    df = _random_frame()
    r = missing_values(df, min_correlation=0.7)
    names = list(r.correlated_columns)
    assert names == ["a", "b", "c", "d"]
    ref = np.corrcoef(df[names].isna().to_numpy(dtype=float).T)
    np.testing.assert_allclose(np.array(r.correlation, dtype=float), ref, atol=1e-9)
    pairs = {(a, b): phi for a, b, phi in r.strong_pairs}
    assert pairs[("a", "b")] == pytest.approx(1.0)
    assert pairs[("a", "d")] == pytest.approx(-1.0)
    assert not any("c" in p for p in pairs)


@pytest.mark.parametrize("dtype", [object, "string", "category"])
def test_disguised_tokens_are_found_case_and_space_insensitively(dtype):
    values = ["ok", "N/A", " n/a ", "", "   ", "NULL", "None", "?", "-", "fine", None, "nan"]
    s = pd.Series(values * 10, dtype=dtype)
    r = missing_values(s.to_frame("v"))
    col = r.columns[0]
    assert col.n_missing == 10
    assert col.n_disguised == 90  # every value but "ok", "fine" and the real None
    assert dict(col.disguised_values)["N/A"] == 10
    assert col.total_share == pytest.approx(100 / 120)
    # disguised cells count as missing for the row statistics
    assert r.rows_with_missing_share == pytest.approx(100 / 120)


def test_custom_tokens_and_all_missing_columns():
    df = pd.DataFrame({"a": ["unknown"] * 5, "b": [np.nan] * 5, "c": [1, 2, 3, 4, 5],
                       "d": pd.Series([None] * 5, dtype=object)})
    r = missing_values(df, disguised_tokens=DISGUISED_TOKENS + ("unknown",))
    assert r.all_missing == ("a", "b", "d")
    assert r.columns[0].n_disguised == 5
    assert missing_values(df).all_missing == ("b", "d")


def test_odd_columns_do_not_crash_and_say_why():
    n = 12
    df = pd.DataFrame({
        "lists": [[1], {"k": 2}, None, "N/A"] * 3,
        "when": pd.to_datetime(["2024-01-01", None, "2024-01-03"] * 4),
        "flag": [True, False, None] * 4,
        "mixed": [1, "a", None, 2.5] * 3,
        "cat": pd.Categorical([1, 2, None] * 4),
    })
    r = missing_values(df)
    by = {c.name: c for c in r.columns}
    assert by["lists"].n_missing == 3 and by["lists"].n_disguised == 3
    assert by["when"].n_missing == 4 and by["flag"].n_missing == 4
    assert by["mixed"].n_missing == 3 and by["cat"].n_missing == 4
    assert r.to_dict()["n_rows"] == n


def test_no_missing_values():
    r = missing_values(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    assert r.with_missing == () and r.patterns == () and r.rows_with_missing_share == 0.0
    assert r.correlation == () and r.strong_pairs == ()
