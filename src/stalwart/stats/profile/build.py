"""profile(): build a :class:`DatasetProfile` from a table, a file or a stream of chunks.

The input is read ``chunk_size`` rows at a time; each chunk updates every column's exact
counters and sketches and is then dropped, so memory stays constant in the number of rows
(it grows with the number of columns, ``kll_k`` and ``max_exact_categories`` only).

Column kinds come from :meth:`stalwart.data.Schema.infer` on the first chunk with values
(or from ``kinds``); later chunks never change a kind: values of another type are tallied in
``type_counts`` and counted in ``n_invalid``.

>>> import pandas as pd
>>> df = pd.DataFrame({"x": [1.5, 2.5, None], "c": ["a", "b", "a"]})
>>> p = profile(df, chunk_size=2)
>>> p.n_rows, p.kinds, p["c"].counts(), p["x"].n_missing
(3, {'x': 'numeric', 'c': 'categorical'}, {'a': 2, 'b': 1}, 1)
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

from ...exceptions import ParameterError, SchemaError
from ._chunks import iter_chunks
from ._update import infer_kinds, update_column
from .column import KINDS, ColumnProfile
from .dataset import DatasetProfile

__all__ = ["profile"]


def _check_int(name: str, value: Any, low: int, high: int, fix: str) -> int:
    if (isinstance(value, bool) or not isinstance(value, numbers.Integral)
            or not low <= value <= high):
        raise ParameterError(name, expected=f"an integer in [{low}, {high}]",
                             got=repr(value), fix=fix)
    return int(value)


def profile(data: Any, *, columns: Sequence[str] | None = None, chunk_size: int = 100_000,
            kll_k: int = 200, max_exact_categories: int = 1000,
            kinds: Mapping[str, str] | None = None, hll_lg_k: int = 12,
            frequent_lg_k: int = 10) -> DatasetProfile:
    """Profile ``data`` chunk by chunk (see the module docstring).

    ``data``: a pandas/polars DataFrame, a pyarrow Table, RecordBatch or RecordBatchReader,
    an iterable of such chunks, or a CSV/Parquet path. ``kinds`` fixes some columns' kinds
    (one of ``numeric, categorical, boolean, datetime, text, other``) instead of inferring
    them; the Spark engine uses it so that every partition agrees.
    """
    chunk_size = _check_int("chunk_size", chunk_size, 1, 2**31 - 1,
                            "pass a positive number of rows, e.g. chunk_size=100_000")
    kll_k = _check_int("kll_k", kll_k, 8, 65535, "use the default 200 (1.3% rank error)")
    max_exact_categories = _check_int("max_exact_categories", max_exact_categories, 0,
                                      10**7, "use a non-negative integer, e.g. 1000")
    hll_lg_k = _check_int("hll_lg_k", hll_lg_k, 7, 21, "use 12 (about 1.6% error)")
    frequent_lg_k = _check_int("frequent_lg_k", frequent_lg_k, 3, 21, "use 10")
    if columns is not None:
        if isinstance(columns, str) or not all(isinstance(c, str) for c in columns):
            raise ParameterError("columns", expected="a list of column names",
                                 got=repr(columns), fix="pass e.g. columns=['age', 'city']")
        columns = list(dict.fromkeys(columns))
    kinds = dict(kinds or {})
    bad = {k: v for k, v in kinds.items() if v not in KINDS}
    if bad:
        raise ParameterError("kinds", expected=f"values in {KINDS}", got=repr(bad),
                             fix="give each column one of the listed kinds")
    settings = dict(kll_k=kll_k, max_exact_categories=max_exact_categories,
                    hll_lg_k=hll_lg_k, frequent_lg_k=frequent_lg_k)
    cols: dict[str, ColumnProfile] = {}
    n_rows = 0
    first = True
    for chunk in iter_chunks(data, chunk_size=chunk_size, columns=columns):
        if first and columns is not None:
            missing = [c for c in columns if c not in chunk.columns]
            if missing:
                raise SchemaError("columns", expected="names of columns in the data",
                                  got=f"unknown columns {missing}",
                                  fix="use one of: " + ", ".join(map(str, chunk.columns[:20])))
        first = False
        _dedupe_check(chunk)
        n_rows += len(chunk)
        if len(chunk) == 0:  # an empty frame still declares its columns and dtypes
            _declare_empty(chunk, cols, kinds, settings)
        for c in chunk.columns:
            if str(c) not in cols:  # the column's first chunk with values decides its kind
                cols[str(c)] = ColumnProfile(str(c), kind=kinds.get(c), **settings)
            update_column(cols[str(c)], chunk[c])
    if columns is not None:
        cols = {c: cols[c] for c in columns if c in cols}
    return DatasetProfile(n_rows, cols, {"chunk_size": chunk_size, **settings})


def _dedupe_check(chunk: Any) -> None:
    if not chunk.columns.is_unique:
        dup = sorted({str(c) for c in chunk.columns[chunk.columns.duplicated()]})
        raise SchemaError("data columns", expected="unique column names",
                          got=f"duplicates {dup}", fix="rename or drop the duplicated columns")


def _declare_empty(chunk: Any, cols: dict[str, ColumnProfile], kinds: Mapping[str, str],
                   settings: dict[str, int]) -> None:
    """Columns of an empty chunk: kinds from their dtypes (e.g. float -> numeric)."""
    inferred = infer_kinds(chunk)
    for c in chunk.columns:
        if str(c) in cols:
            continue
        kind, reason = inferred[c]
        col = ColumnProfile(str(c), kind=kinds.get(c), **settings)
        if c not in kinds and reason != "no non-missing values to infer from":
            col.set_kind(kind, reason)
        cols[str(c)] = col
