"""Split any supported input into pandas chunks of at most ``chunk_size`` rows.

Inputs: a pandas DataFrame or Series, a polars DataFrame or LazyFrame, a pyarrow Table,
``RecordBatch``, ``RecordBatchReader`` or ``pyarrow.dataset.Dataset`` (sliced, never copied
whole), a CSV or Parquet path or a folder of them (read in blocks: ``pyarrow.csv.open_csv``,
``ParquetFile.iter_batches``, ``pyarrow.dataset``), or an iterable of any of these tables.
Only one chunk is in pandas form at a time, so memory does not grow with the row count.

>>> import pandas as pd
>>> [len(c) for c in iter_chunks(pd.DataFrame({"a": range(5)}), chunk_size=2)]
[2, 2, 1]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import DataError, SchemaError

__all__ = ["iter_chunks"]

_CSV = (".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".csv.bz2")
_PARQUET = (".parquet", ".pq", ".parq")


def _module_name(obj: Any) -> str:
    return type(obj).__module__.split(".")[0]


def _check_columns(available: Sequence[Any], columns: Sequence[str] | None) -> None:
    """Unknown requested columns are an error naming the columns that are there."""
    if columns is None:
        return
    names = [str(c) for c in available]
    unknown = [c for c in columns if c not in names]
    if unknown:
        shown = ", ".join(names[:20]) + (f" ... ({len(names)} in all)" if len(names) > 20
                                         else "")
        raise SchemaError("columns", expected="names of columns in the data",
                          got=f"unknown columns {unknown}", fix=f"use one of: {shown}")


def _select(frame: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    if columns is None:
        return frame
    return frame[[c for c in columns if c in frame.columns]]


def _arrow_to_pandas(table: Any) -> pd.DataFrame:
    # strings stay Python objects (pandas' default for Arrow strings) in every path
    return table.to_pandas(split_blocks=True, self_destruct=False)


def _from_arrow_batches(batches: Iterable[Any], chunk_size: int) -> Iterator[pd.DataFrame]:
    for batch in batches:
        for start in range(0, max(batch.num_rows, 1), chunk_size):
            part = batch.slice(start, chunk_size)
            if part.num_rows or batch.num_rows == 0:
                yield _arrow_to_pandas(part)


def _from_path(path: Path, chunk_size: int,
               columns: Sequence[str] | None) -> Iterator[pd.DataFrame]:
    name = path.name.lower()
    if not path.exists():
        raise DataError("data path", expected="an existing CSV or Parquet file",
                        got=f"{str(path)!r}, which does not exist", fix="check the path")
    if path.is_dir():  # a folder of Parquet/CSV parts, as Spark and Hive write them
        yield from _from_folder(path, chunk_size, columns)
        return
    if name.endswith(_PARQUET):
        import pyarrow.parquet as pq
        cols = None if columns is None else list(columns)
        reader = pq.ParquetFile(path)
        yield from _from_arrow_batches(reader.iter_batches(batch_size=chunk_size,
                                                           columns=cols), chunk_size)
        return
    if name.endswith(_CSV):
        import pyarrow as pa
        import pyarrow.csv as pcsv
        delimiter = "\t" if ".tsv" in name else ","
        # empty and "NA"-like strings are missing, as pandas.read_csv reads them
        convert = pcsv.ConvertOptions(include_columns=list(columns) if columns else None,
                                      strings_can_be_null=True)
        reader = pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=1 << 24),
                               parse_options=pcsv.ParseOptions(delimiter=delimiter),
                               convert_options=convert)
        try:
            yield from _from_arrow_batches(reader, chunk_size)
        except pa.ArrowInvalid as exc:
            raise DataError(f"CSV file {str(path)!r}", expected="one type per column in "
                            "every block (types are inferred from the first block)",
                            got=str(exc).splitlines()[0],
                            fix="convert the file to Parquet, or pass chunks read with "
                            "pandas.read_csv(..., chunksize=..., dtype=...)") from None
        return
    raise DataError("data path", expected=f"a file ending in one of {_CSV + _PARQUET}",
                    got=repr(str(path)), fix="convert the file to CSV or Parquet")


def _from_lazy(lazy: Any, chunk_size: int,
               columns: Sequence[str] | None) -> Iterator[pd.DataFrame]:
    offset = 0
    while True:
        part = lazy.slice(offset, chunk_size).collect()
        if part.height == 0 and offset:
            return
        yield _select(_arrow_to_pandas(part.to_arrow()), columns)
        if part.height < chunk_size:
            return
        offset += chunk_size


def _from_folder(path: Path, chunk_size: int,
                 columns: Sequence[str] | None) -> Iterator[pd.DataFrame]:
    import pyarrow.dataset as pds
    files = [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(("_", "."))]
    fmt = ("parquet" if files and all(p.name.lower().endswith(_PARQUET) for p in files)
           else "csv" if files and all(p.name.lower().endswith(_CSV) for p in files) else None)
    if fmt is None:
        raise DataError("data folder", expected="a folder of only Parquet or only CSV files",
                        got=f"{str(path)!r} with {len(files)} files: "
                        + ", ".join(sorted({p.suffix or p.name for p in files})[:8]),
                        fix="point to one file, or to a folder holding one format")
    dataset = pds.dataset(path, format=fmt, partitioning="hive")
    cols = None if columns is None else [c for c in columns if c in dataset.schema.names]
    yield from _from_arrow_batches(dataset.to_batches(columns=cols, batch_size=chunk_size),
                                   chunk_size)


def _one(data: Any, chunk_size: int, columns: Sequence[str] | None,
         nested: bool) -> Iterator[pd.DataFrame] | None:
    """Chunks of one table-like object, or None when ``data`` is not one."""
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "value")
    if isinstance(data, pd.DataFrame):
        if not nested:
            _check_columns(data.columns, columns)
        frame = _select(data, columns)
        n = len(frame)
        return (frame.iloc[i:i + chunk_size] for i in range(0, max(n, 1), chunk_size))
    if isinstance(data, (str, Path)) and not nested:
        return _from_path(Path(data), chunk_size, columns)
    module = _module_name(data)
    if module == "polars" and hasattr(data, "collect") and hasattr(data, "slice"):
        # a LazyFrame: run the query slice by slice, one chunk in memory at a time
        return _from_lazy(data, chunk_size, columns)
    if module == "polars" and hasattr(data, "slice") and hasattr(data, "to_arrow"):
        if columns is not None:  # convert only the columns asked for
            if not nested:
                _check_columns(data.columns, columns)
            data = data.select([c for c in columns if c in data.columns])
        n = data.height
        return (_arrow_to_pandas(data.slice(i, chunk_size).to_arrow())
                for i in range(0, max(n, 1), chunk_size))
    if module == "pyarrow":
        import pyarrow as pa
        if isinstance(data, pa.Table):
            if not nested:
                _check_columns(data.column_names, columns)
            if columns is not None:
                data = data.select([c for c in columns if c in data.column_names])
            return _from_arrow_batches(data.to_batches(max_chunksize=chunk_size) or
                                       [pa.RecordBatch.from_pylist([], schema=data.schema)],
                                       chunk_size)
        if isinstance(data, pa.RecordBatch):
            return (_select(f, columns) for f in _from_arrow_batches([data], chunk_size))
        if isinstance(data, pa.RecordBatchReader):
            return (_select(f, columns) for f in _from_arrow_batches(data, chunk_size))
        if hasattr(data, "to_batches") and hasattr(data, "schema"):  # pyarrow.dataset
            cols = None if columns is None else [c for c in columns
                                                 if c in data.schema.names]
            return _from_arrow_batches(data.to_batches(columns=cols, batch_size=chunk_size),
                                       chunk_size)
    return None


def iter_chunks(data: Any, *, chunk_size: int,
                columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
    """Yield pandas chunks of ``data`` with at most ``chunk_size`` rows each."""
    direct = _one(data, chunk_size, columns, nested=False)
    if direct is not None:
        yield from direct
        return
    if isinstance(data, (bytes, dict, np.ndarray)) or not isinstance(data, Iterable):
        raise _unsupported(data)
    for i, item in enumerate(data):
        chunks = _one(item, chunk_size, columns, nested=True)
        if chunks is None:
            raise _unsupported(item, where=f"chunk {i} of the iterable")
        yield from chunks


def _unsupported(obj: Any, where: str = "data") -> DataError:
    return DataError(where, expected="a pandas, polars or pyarrow table, a RecordBatchReader, "
                     "a CSV/Parquet path, or an iterable of tables",
                     got=f"an object of type {type(obj).__name__}",
                     fix="convert it, e.g. pandas.DataFrame(...), or pass a list of frames")
