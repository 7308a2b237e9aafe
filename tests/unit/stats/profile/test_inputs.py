"""Every input form gives the same profile; odd and bad inputs; constant memory."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from stalwart.exceptions import DataError, ParameterError, SchemaError
from stalwart.stats.profile import DatasetProfile, profile

N = 12_000


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    x = rng.lognormal(1.0, 0.7, N)
    x[::13] = np.nan
    return pd.DataFrame({
        "x": x,
        "n": rng.integers(0, 100, N),
        "city": rng.choice(["paris", "lyon", "nice"], N).astype(object),
        "flag": rng.random(N) < 0.4,
    })


def assert_same(a: DatasetProfile, b: DatasetProfile) -> None:
    """Exact fields equal; KLL answers within both sketches' rank errors."""
    assert a.n_rows == b.n_rows and list(a.columns) == list(b.columns)
    for name in a:
        ca, cb = a[name], b[name]
        assert ca.kind == cb.kind, name
        assert (ca.n_rows, ca.n_missing, ca.type_counts) == (cb.n_rows, cb.n_missing,
                                                             cb.type_counts), name
        assert ca.counts() == cb.counts(), name
        if ca.kind == "numeric":
            assert (ca.min, ca.max, ca.n_zero, ca.n_negative) == (cb.min, cb.max, cb.n_zero,
                                                                 cb.n_negative)
            assert ca.mean == pytest.approx(cb.mean, rel=1e-12)
            assert ca.variance == pytest.approx(cb.variance, rel=1e-12)
            grid = np.quantile(ca.quantiles(np.linspace(0, 1, 11)), [0.1, 0.5, 0.9])
            tol = ca.rank_error + cb.rank_error
            assert np.max(np.abs(ca.cdf(grid) - cb.cdf(grid))) <= tol
        assert ca.distinct == pytest.approx(cb.distinct, rel=2 * max(ca.distinct_rel_error,
                                                                      1e-9)), name


def test_pandas_polars_arrow_and_files_agree(frame, tmp_path):
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    ref = profile(frame, chunk_size=5_000)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert_same(ref, profile(pl.from_pandas(frame), chunk_size=5_000))
    assert_same(ref, profile(table, chunk_size=5_000))
    assert_same(ref, profile(pa.RecordBatchReader.from_batches(
        table.schema, table.to_batches(max_chunksize=3_000)), chunk_size=5_000))
    assert_same(ref, profile([frame.iloc[:4_000], table.slice(4_000)], chunk_size=5_000))
    frame.to_csv(tmp_path / "d.csv", index=False)
    pq.write_table(table, tmp_path / "d.parquet", row_group_size=2_000)
    assert_same(ref, profile(tmp_path / "d.csv", chunk_size=5_000))
    assert_same(ref, profile(str(tmp_path / "d.parquet"), chunk_size=5_000))
    sub = profile(tmp_path / "d.parquet", columns=["city"])
    assert list(sub.columns) == ["city"] and sub.n_rows == N


def test_odd_inputs_give_stated_results():
    empty = profile(pd.DataFrame({"a": pd.Series([], dtype=float)}))
    assert empty.n_rows == 0 and empty["a"].kind == "numeric" and empty["a"].mean is None
    assert np.isnan(empty["a"].quantiles([0.5])).all()
    assert profile(pd.DataFrame()).n_rows == 0
    df = pd.DataFrame({"none": [None] * 4, "nan": [np.nan] * 4,
                       "mixed": [1, "a", 2.5, None], "lists": [[1], [2, 3], None, [4]],
                       "inf": [1.0, np.inf, -np.inf, 3.0]})
    p = profile(df)
    assert (p["none"].kind, p["none"].n_missing, p["none"].type_counts) == (
        "other", 4, {"null": 4})
    assert p["nan"].kind == "numeric" and p["nan"].count == 0 and p["nan"].mean is None
    assert p["mixed"].kind == "other"
    assert p["mixed"].type_counts == {"float": 1, "int": 1, "null": 1, "str": 1}
    assert p["lists"].kind == "other" and p["lists"].type_counts == {"list": 3, "null": 1}
    assert (p["inf"].n_infinite, p["inf"].mean, p["inf"].max) == (2, 2.0, 3.0)


def test_later_chunks_never_change_the_kind():
    chunks = [pd.DataFrame({"v": [1.0, 2.0]}),
              pd.DataFrame({"v": pd.Series([3.0, "oops", [1]], dtype=object)}),
              pd.DataFrame({"v": [None, None]})]
    col = profile(iter(chunks))["v"]
    assert col.kind == "numeric" and col.n_rows == 7 and col.n_missing == 2
    assert (col.n_invalid, col.count, col.n_values, col.mean) == (2, 5, 3, 2.0)
    assert col.type_counts == {"float": 3, "list": 1, "null": 2, "str": 1}
    col = profile([pd.DataFrame({"b": [True, False]}),
                   pd.DataFrame({"b": pd.Series([True, "yes", 1], dtype=object)})])["b"]
    assert (col.kind, col.n_invalid, col.counts()) == ("boolean", 2, {"True": 2, "False": 1})
    # an all-missing first chunk leaves the kind open until values arrive
    for first in (pd.Series([None]), pd.Series([None], dtype="str")):
        col = profile([first.to_frame("c"), pd.DataFrame({"c": ["a", "b"]})])["c"]
        assert (col.kind, col.n_missing, col.counts()) == ("categorical", 1, {"a": 1, "b": 1})


@pytest.mark.parametrize("data", [42, np.zeros((3, 2)), b"bytes", {"a": [1]}, [pd.DataFrame(),
                                                                             "not a frame"]])
def test_unsupported_data_is_a_data_error(data):
    with pytest.raises(DataError) as err:
        profile(data)
    assert "expected a pandas, polars or pyarrow table" in str(err.value)
    assert err.value.fix


@pytest.mark.parametrize("kwargs", [dict(chunk_size=0), dict(chunk_size=2.5),
                                    dict(chunk_size=True), dict(kll_k=2),
                                    dict(max_exact_categories=-1), dict(columns="x"),
                                    dict(kinds={"x": "number"})])
def test_bad_parameters_are_parameter_errors(kwargs):
    with pytest.raises(ParameterError) as err:
        profile(pd.DataFrame({"x": [1.0]}), **kwargs)
    assert err.value.expected and err.value.got and err.value.fix


def test_bad_paths_and_columns(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        profile(tmp_path / "missing.csv")
    (tmp_path / "d.json").write_text("{}")
    with pytest.raises(DataError, match="CSV or Parquet"):
        profile(tmp_path / "d.json")
    with pytest.raises(SchemaError, match="unknown columns"):
        profile(pd.DataFrame({"x": [1.0]}), columns=["y"])
    with pytest.raises(SchemaError, match="not profiled"):
        profile(pd.DataFrame({"x": [1.0]}))["y"]


def _peak(n_chunks: int, rows: int = 8_000) -> int:
    def chunks():
        rng = np.random.default_rng(0)
        for _ in range(n_chunks):
            yield pd.DataFrame({"x": rng.normal(size=rows),
                                "c": rng.choice(["a", "b", "c"], rows),
                                "i": rng.integers(0, 1000, rows)})
    tracemalloc.start()
    try:
        profile(chunks(), chunk_size=rows)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_is_constant_in_the_number_of_rows():
    small, large = _peak(2), _peak(20)
    assert large < 1.5 * small, (small, large)


def test_bad_query_arguments():
    p = profile(pd.DataFrame({"x": [1.0, 2.0], "c": ["a", "b"]}))
    with pytest.raises(ParameterError, match=r"values in \[0, 1\]"):
        p["x"].quantiles([0.5, 1.5])
    with pytest.raises(ParameterError, match="'chars' or 'words'"):
        p["c"].length_quantiles([0.5], unit="bytes")
    assert np.isnan(p["c"].quantiles([0.5])).all() and np.isnan(p["c"].rank_error)
    assert np.isnan(p["x"].cdf([np.nan]))[0] and p["x"].cdf([1.5]).tolist() == [0.5]
