"""Spark profiles (one per partition, merged on the driver) agree with the local engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyspark")

from stalwart.engines.spark import profile_spark  # noqa: E402
from stalwart.exceptions import DataError, SchemaError  # noqa: E402
from stalwart.stats.profile import profile  # noqa: E402

pytestmark = [
    # pyspark warns that it does not yet support pandas 3; the Arrow path used here works
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support:FutureWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark.*"),
]
N = 12_000


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[1]").appName("stalwart-profile-parity")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "3")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    x = rng.normal(10, 3, N)
    x[rng.random(N) < 0.08] = np.nan
    return pd.DataFrame({
        "x": x,
        "k": rng.integers(0, 50, N).astype(np.int64),
        "city": rng.choice(["paris", "lyon", "nice", "lille"], N).astype(object),
        "flag": rng.random(N) < 0.3,
        "when": pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 10**7, N), "s"),
    })


@pytest.fixture(scope="module")
def both(spark, data):
    sdf = spark.createDataFrame(data).repartition(4)
    return profile_spark(sdf, chunk_size=2_000), profile(data)


def test_exact_fields_equal_the_local_profile(both, data):
    remote, local = both
    assert remote.n_rows == local.n_rows == N
    assert list(remote.columns) == list(data.columns)
    assert remote.kinds == local.kinds == {"x": "numeric", "k": "numeric",
                                           "city": "categorical", "flag": "boolean",
                                           "when": "datetime"}
    assert remote.meta["engine"] == "spark" and remote.meta["partitions"] == 4
    for name in data.columns:
        r, lo = remote[name], local[name]
        assert (r.n_rows, r.n_missing, r.count, r.type_counts) == (
            lo.n_rows, lo.n_missing, lo.count, lo.type_counts), name
        assert r.counts() == lo.counts(), name
        assert (r.min, r.max) == (lo.min, lo.max), name
        if r.kind == "numeric":
            assert (r.n_zero, r.n_negative, r.n_integer_valued) == (
                lo.n_zero, lo.n_negative, lo.n_integer_valued)
            assert r.mean == pytest.approx(lo.mean, rel=1e-12)
            assert r.variance == pytest.approx(lo.variance, rel=1e-12)
            assert r.sum == pytest.approx(lo.sum, rel=1e-12)


def test_quantiles_within_rank_error_and_distinct_close(both, data):
    remote, local = both
    for name in ("x", "k"):
        v = np.sort(data[name].dropna().to_numpy(dtype=float))
        q = np.linspace(0.02, 0.98, 25)
        for prof in (remote, local):
            got = prof[name].quantiles(q)
            eps = prof[name].rank_error
            lo = np.searchsorted(v, got, side="left") / v.size
            hi = np.searchsorted(v, got, side="right") / v.size
            assert np.all(lo - eps <= q) and np.all(q <= hi + eps), name
        r, lc = remote[name], local[name]
        assert r.distinct == pytest.approx(lc.distinct, rel=2 * r.distinct_rel_error)
    assert remote["k"].distinct == pytest.approx(50, abs=0.01)


def test_columns_and_bad_input(spark, data):
    sdf = spark.createDataFrame(data[["x", "city"]])
    prof = profile_spark(sdf, columns=["city"])
    assert list(prof.columns) == ["city"] and prof["city"].counts() == (
        data["city"].value_counts().to_dict())
    with pytest.raises(SchemaError, match="unknown columns"):
        profile_spark(sdf, columns=["nope"])
    with pytest.raises(DataError, match="pyspark.sql.DataFrame"):
        profile_spark(data)
