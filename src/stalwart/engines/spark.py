"""Profiles of Spark DataFrames: one profile per partition, merged on the driver.

Each partition runs the local engine (:func:`stalwart.stats.profile.profile`) over its Arrow
batches inside ``mapInArrow`` and returns its profile as bytes (``to_bytes``: JSON header
and the sketches' own bytes); the driver collects one small binary row per partition and
merges them. Rows never leave the executors, and no executor holds more than one batch.

Kinds are decided once on the driver, from the Spark schema (numbers, booleans, dates and
timestamps, arrays/maps/structs as "other") and, for string columns, from a small sample
(categorical or text, by :meth:`stalwart.data.Schema.infer`), so every partition agrees.

    >>> from stalwart.engines.spark import profile_spark     # doctest: +SKIP
    >>> prof = profile_spark(spark.read.parquet("s3://bucket/events/"))  # doctest: +SKIP
    >>> prof["amount"].quantiles([0.5, 0.99])                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import reduce
from typing import Any

from .._optional import require
from ..exceptions import DataError, SchemaError
from ..stats.profile import ColumnProfile, DatasetProfile, profile
from ..stats.profile.build import _check_int

__all__ = ["profile_spark", "spark_kinds"]

_SAMPLE_ROWS = 10_000


def spark_kinds(df: Any, *, sample_rows: int = _SAMPLE_ROWS) -> dict[str, str]:
    """Column kinds from the Spark schema; string columns from a sample of rows."""
    types = require("pyspark.sql.types", extra="spark", purpose="Spark profiles")
    kinds: dict[str, str] = {}
    strings = []
    for field in df.schema.fields:
        t = field.dataType
        if isinstance(t, types.BooleanType):
            kinds[field.name] = "boolean"
        elif isinstance(t, types.NumericType):
            kinds[field.name] = "numeric"
        elif isinstance(t, (types.TimestampType, types.DateType)) or type(t).__name__ in (
                "TimestampNTZType",):
            kinds[field.name] = "datetime"
        elif isinstance(t, (types.StringType, getattr(types, "VarcharType", types.StringType),
                            getattr(types, "CharType", types.StringType))):
            strings.append(field.name)
        else:
            kinds[field.name] = "other"
    if strings:
        from ..stats.profile._update import infer_kinds
        sample = df.select(*strings).limit(sample_rows).toPandas()
        for name, (kind, _reason) in infer_kinds(sample).items():
            kinds[name] = "categorical" if kind == "other" else kind
    return {f.name: kinds[f.name] for f in df.schema.fields}


def profile_spark(df: Any, *, columns: Sequence[str] | None = None, kll_k: int = 200,
                  max_exact_categories: int = 1000, chunk_size: int = 100_000,
                  kinds: Mapping[str, str] | None = None, hll_lg_k: int = 12,
                  frequent_lg_k: int = 10, sample_rows: int = _SAMPLE_ROWS) -> DatasetProfile:
    """Profile a Spark DataFrame partition by partition (see the module docstring).

    Same parameters and result as :func:`stalwart.stats.profile.profile`; ``kinds``
    overrides the kinds read from the schema and the sample of ``sample_rows`` rows.
    """
    sql = require("pyspark.sql", extra="spark", purpose="Spark profiles")
    if not isinstance(df, sql.DataFrame):
        raise DataError("Spark data", expected="a pyspark.sql.DataFrame",
                        got=f"an object of type {type(df).__name__}",
                        fix="pass spark.read.parquet(...) or spark.createDataFrame(...); "
                        "for local data use stalwart.stats.profile.profile")
    settings = dict(kll_k=kll_k, max_exact_categories=max_exact_categories,
                    chunk_size=chunk_size, hll_lg_k=hll_lg_k, frequent_lg_k=frequent_lg_k)
    _check_int("sample_rows", sample_rows, 1, 10**7, "use e.g. 10_000")
    if columns is not None:
        unknown = [c for c in columns if c not in df.columns]
        if unknown:
            raise SchemaError("columns", expected="names of columns in the Spark DataFrame",
                              got=f"unknown columns {unknown}",
                              fix="use one of: " + ", ".join(df.columns[:20]))
        df = df.select(*columns)
    # validate the settings on the driver before any Spark job starts
    profile(iter(()), kinds=kinds, **settings)
    decided = {**spark_kinds(df, sample_rows=sample_rows), **dict(kinds or {})}
    order = list(df.columns)

    def per_partition(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        from stalwart.stats.profile import profile as local_profile
        part = local_profile(batches, kinds=decided, **settings)
        yield pa.RecordBatch.from_pydict({"profile": [part.to_bytes()]},
                                         schema=pa.schema([("profile", pa.binary())]))

    rows = df.mapInArrow(per_partition, "profile binary").collect()
    parts = [DatasetProfile.from_bytes(bytes(r["profile"])) for r in rows]
    sketch_settings = {k: v for k, v in settings.items() if k != "chunk_size"}
    empty = DatasetProfile(0, {name: ColumnProfile(name, kind=decided[name], **sketch_settings)
                               for name in order})
    merged = reduce(DatasetProfile.merge, parts, empty)
    cols = {name: merged.columns[name] for name in order if name in merged.columns}
    meta = {**merged.meta, "engine": "spark", "partitions": len(parts)}
    return DatasetProfile(merged.n_rows, cols, meta)
