import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from stalwart import DataError, Dataset, SchemaError, fingerprint, read_table


def _frame():
    return pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"], "y": [0, 1, 0]})


@pytest.mark.parametrize("convert", [
    lambda df: df,
    lambda df: pl.from_pandas(df),
    lambda df: pa.Table.from_pandas(df, preserve_index=False),
    lambda df: {k: df[k].tolist() for k in df.columns},
])
def test_accepts_pandas_polars_arrow_and_mappings(convert):
    ds = Dataset.from_any(convert(_frame()), target="y")
    assert ds.n_rows == 3 and ds.features == ["x", "c"] and ds.target == "y"
    assert ds.y.tolist() == [0, 1, 0]
    # the same content gives the same fingerprint whatever the container
    assert ds.fingerprint == fingerprint(_frame())


def test_numpy_input_names_columns():
    ds = Dataset.from_any(np.arange(6.0).reshape(3, 2))
    assert list(ds.frame.columns) == ["x0", "x1"]
    with pytest.raises(DataError, match="2 names, one per array column"):
        Dataset.from_any(np.zeros((2, 2)), columns=["a"])
    with pytest.raises(DataError, match="2-D array"):
        Dataset.from_any(np.zeros((2, 2, 2)))


def test_fingerprint_tracks_content_not_index():
    df = _frame()
    assert fingerprint(df) == fingerprint(df.set_axis([10, 11, 12]))
    assert fingerprint(df) != fingerprint(df.assign(x=[1.0, 2.0, 3.5]))
    assert fingerprint(df) != fingerprint(df[["c", "x", "y"]])
    # known value: the hash is stable across processes and machines
    assert fingerprint(pd.DataFrame({"a": [1, 2, 3]})) == fingerprint(
        pd.DataFrame({"a": np.array([1, 2, 3], dtype="int64")}))


def test_fingerprint_handles_unhashable_cells():
    df = pd.DataFrame({"tags": [[1, 2], [3]], "d": [{"a": 1}, {"b": 2}]})
    assert fingerprint(df).startswith("sha256:")


@pytest.mark.parametrize("frame, needle", [
    (pd.DataFrame({"x": []}), "at least one row"),
    (pd.DataFrame(index=[0, 1]), "at least one column"),
])
def test_empty_data_is_refused(frame, needle):
    with pytest.raises(DataError, match=needle):
        Dataset.from_any(frame)


def test_target_errors_are_clear():
    with pytest.raises(SchemaError, match="'label', which is not there.*Fix: pass one of: x, c, y"):
        Dataset.from_any(_frame(), target="label")
    with pytest.raises(DataError, match="missing in every row"):
        Dataset.from_any(_frame().assign(y=np.nan), target="y")


def test_duplicate_columns_and_unknown_types_are_refused():
    df = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.raises(DataError, match="duplicated columns"):
        Dataset.from_any(df)
    with pytest.raises(DataError, match="object of type builtins.int"):
        Dataset.from_any(42)


def test_summary_is_plain(clean_frame):
    s = Dataset.from_any(clean_frame, target="y").summary()
    assert s["n_rows"] == 2000 and s["n_columns"] == 6 and s["target"] == "y"
    assert s["fingerprint"].startswith("sha256:")


def test_read_table_csv_parquet_and_errors(tmp_path):
    df = _frame()
    df.to_csv(tmp_path / "d.csv", index=False)
    df.to_parquet(tmp_path / "d.parquet")
    assert fingerprint(read_table(tmp_path / "d.parquet")) == fingerprint(df)
    assert read_table(tmp_path / "d.csv").shape == (3, 3)
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    (tmp_path / "d.xlsx").write_text("x")
    for name, needle in [("missing.csv", "no such file"), ("empty.csv", "0 bytes"),
                         ("bad.parquet", "readable parquet"), ("d.xlsx", "suffix '.xlsx'")]:
        with pytest.raises(DataError, match=needle):
            read_table(tmp_path / name)
    with pytest.raises(DataError, match="a directory"):
        read_table(tmp_path)


def test_header_only_csv_is_zero_rows(tmp_path):
    (tmp_path / "h.csv").write_text("a,b\n")
    with pytest.raises(DataError, match="0 rows"):
        Dataset.from_any(tmp_path / "h.csv")


def test_unknown_columns_and_a_second_target_are_refused():
    with pytest.raises(DataError, match=r"missing columns \['zz'\]"):
        Dataset.from_any(_frame(), columns=["x", "zz"])
    schema = Dataset.from_any(_frame(), target="y").schema
    with pytest.raises(SchemaError, match="'y' in the schema and 'x' given"):
        Dataset.from_any(_frame(), schema=schema, target="x")
    same = Dataset.from_any(_frame(), schema=schema, target="y")
    assert same.target == "y" and same.features == ["x", "c"]


def test_complex_columns_are_other():
    from stalwart import Kind
    ds = Dataset.from_any(pd.DataFrame({"z": [1 + 2j, 3j], "x": [1.0, 2.0]}))
    assert ds.schema["z"].kind is Kind.OTHER
