"""profile(): exact fields equal numpy/pandas, KLL queries within the rank error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stalwart.stats.profile import profile

N = 40_000


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    x = rng.normal(3.0, 2.0, N)
    x[rng.random(N) < 0.1] = np.nan
    ints = rng.integers(-5, 6, N)
    return pd.DataFrame({
        "x": x,
        "ints": ints,
        "city": rng.choice(["paris", "lyon", "nice", None], N, p=[0.5, 0.3, 0.15, 0.05]),
        "flag": rng.random(N) < 0.25,
        "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**6, N), "s"),
    })


def test_exact_numeric_fields_equal_numpy(frame):
    p = profile(frame, chunk_size=7_000)
    x = frame["x"].to_numpy()
    v = x[~np.isnan(x)]
    col = p["x"]
    assert (p.n_rows, col.n_rows, col.n_missing, col.count) == (N, N, int(np.isnan(x).sum()),
                                                               v.size)
    assert col.kind == "numeric"
    assert col.min == v.min() and col.max == v.max()
    assert col.mean == pytest.approx(np.mean(v), rel=1e-12)
    assert col.variance == pytest.approx(np.var(v), rel=1e-12)
    assert col.sum == pytest.approx(np.sum(v), rel=1e-12)
    assert col.n_negative == int((v < 0).sum()) and col.n_zero == 0
    assert col.type_counts == {"float": v.size, "null": N - v.size}
    ints = p["ints"]
    iv = frame["ints"].to_numpy()
    assert (ints.n_zero, ints.n_negative, ints.n_integer_valued) == (
        int((iv == 0).sum()), int((iv < 0).sum()), N)
    assert ints.type_counts == {"int": N}
    assert ints.distinct == pytest.approx(11, abs=0.5)


def test_categorical_and_boolean_counts_equal_pandas(frame):
    p = profile(frame, chunk_size=7_000)
    city = p["city"]
    expected = frame["city"].value_counts().to_dict()
    assert city.kind == "categorical" and city.counts_exact
    assert city.counts() == expected
    assert list(city.counts()) == ["paris", "lyon", "nice"]  # largest first
    assert city.n_missing == int(frame["city"].isna().sum())
    assert city.distinct == 3.0
    assert city.length_quantiles([0.0, 1.0]).tolist() == [4.0, 5.0]
    flag = p["flag"]
    assert flag.kind == "boolean"
    assert flag.counts() == {"False": int((~frame["flag"]).sum()),
                             "True": int(frame["flag"].sum())}


def test_datetime_min_max_and_quantiles(frame):
    col = profile(frame)["when"]
    ns = frame["when"].to_numpy().astype("datetime64[ns]").astype(np.int64).astype(float)
    assert col.kind == "datetime"
    assert (col.min, col.max) == (ns.min(), ns.max())
    median = col.quantiles([0.5])[0]
    assert abs(np.mean(ns <= median) - 0.5) <= col.rank_error
    assert col.mean is None  # moments are numeric only
    assert col.to_dict()["min_time"] == frame["when"].min().tz_localize("UTC").isoformat()


@pytest.mark.parametrize("dist", ["normal", "lognormal", "ties", "bimodal"])
def test_quantiles_and_cdf_within_rank_error(dist):
    rng = np.random.default_rng(11)
    n = 60_000
    x = {"normal": rng.normal(size=n), "lognormal": rng.lognormal(0, 1.5, n),
         "ties": rng.integers(0, 20, n).astype(float),
         "bimodal": np.where(rng.random(n) < 0.3, rng.normal(-5, 1, n), rng.normal(4, .5, n)),
         }[dist]
    col = profile(pd.DataFrame({"v": x}), chunk_size=10_000)["v"]
    eps = col.rank_error
    assert eps == pytest.approx(0.01329, abs=1e-4)  # k=200, single-sided, 99%
    q = np.linspace(0, 1, 41)
    got = col.quantiles(q)
    s = np.sort(x)
    lo = np.searchsorted(s, got, side="left") / n
    hi = np.searchsorted(s, got, side="right") / n
    assert np.all(lo - eps <= q) and np.all(q <= hi + eps)
    assert got[0] == x.min() and got[-1] == x.max()
    points = np.quantile(x, np.linspace(0.01, 0.99, 25))
    emp = np.searchsorted(s, points, side="right") / n
    assert np.max(np.abs(col.cdf(points) - emp)) <= eps


def test_small_column_is_exact():
    x = np.arange(100.0)
    col = profile(pd.DataFrame({"v": x}))["v"]
    assert col.rank_error == 0.0
    assert col.cdf([49.0, 99.0]).tolist() == [0.5, 1.0]


def test_text_column_word_and_char_lengths():
    rng = np.random.default_rng(3)
    words = np.array(["alpha", "beta", "gamma", "delta", "epsilon"])
    texts = [" ".join(rng.choice(words, k)) + f" {i}" for i, k in
             enumerate(rng.integers(5, 12, 3000))]
    col = profile(pd.DataFrame({"t": texts}), max_exact_categories=100)["t"]
    n_words = np.array([len(t.split()) for t in texts])
    n_chars = np.array([len(t) for t in texts])
    assert col.kind == "text" and not col.counts_exact
    for unit, truth in (("words", n_words), ("chars", n_chars)):
        got = col.length_quantiles([0.0, 0.5, 1.0], unit=unit)
        assert got[0] == truth.min() and got[2] == truth.max()
        eps = col.length_rank_error  # ties: 0.5 lies between the ranks below and at the median
        assert np.mean(truth < got[1]) - eps <= 0.5 <= np.mean(truth <= got[1]) + eps
    assert col.distinct == pytest.approx(3000, rel=col.distinct_rel_error)


def test_heavy_hitters_beyond_exact_limit():
    rng = np.random.default_rng(5)
    rare = [f"id{i}" for i in rng.integers(0, 50_000, 40_000)]
    values = np.array(rare + ["hot"] * 6_000 + ["warm"] * 3_000, dtype=object)
    rng.shuffle(values)
    col = profile(pd.DataFrame({"c": values}), chunk_size=5_000,
                  max_exact_categories=500)["c"]
    assert not col.counts_exact
    counts = col.counts()
    assert list(counts)[:2] == ["hot", "warm"]
    assert abs(counts["hot"] - 6_000) <= col.counts_error
    assert abs(counts["warm"] - 3_000) <= col.counts_error
    truth = len(set(values.tolist()))
    assert abs(col.distinct - truth) <= col.distinct_rel_error * truth


def test_columns_argument_and_kinds_override(frame):
    p = profile(frame, columns=["city", "x"], kinds={"x": "numeric", "city": "text"})
    assert list(p.columns) == ["city", "x"]
    assert p["city"].kind == "text" and p["city"].kind_reason == "declared"


def test_to_dict_is_json(frame):
    import json
    d = profile(frame).to_dict()
    json.dumps(d, allow_nan=False)
    assert d["schema_version"] == "1.0" and d["n_rows"] == N
    x = d["columns"]["x"]
    assert set(x["quantiles"]) == {"0.0", "0.01", "0.05", "0.25", "0.5", "0.75", "0.95",
                                   "0.99", "1.0"}
    assert d["columns"]["city"]["top_categories"][0] == {
        "value": "paris", "count": int((frame["city"] == "paris").sum())}
