"""Profile a CSV or Parquet file (or folder of files) with Spark: what ``stalwart profile
--spark`` runs.

The session is local (``local[*]``) unless ``STALWART_SPARK_MASTER`` names a cluster; the
file is read by Spark, so it never has to fit on the driver, and profiled partition by
partition by :func:`stalwart.engines.spark.profile_spark`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .._optional import require
from ..exceptions import DataError
from ..stats.profile import DatasetProfile
from .spark import profile_spark

__all__ = ["profile_path_spark", "spark_session"]


def spark_session(master: str | None = None) -> Any:
    """The active Spark session, or a new one on ``master`` (else ``STALWART_SPARK_MASTER``,
    else ``local[*]``), with the web UI off."""
    sql = require("pyspark.sql", extra="spark", purpose="reading files with Spark")
    master = master or os.environ.get("STALWART_SPARK_MASTER", "local[*]")
    return (sql.SparkSession.builder.master(master).appName("stalwart")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate())


def profile_path_spark(path: str | Path, *, spark: Any = None, **options: Any
                       ) -> DatasetProfile:
    """Read ``path`` (Parquet, CSV or TSV file, or a folder of Parquet files) with Spark and
    profile it; ``options`` go to :func:`~stalwart.engines.spark.profile_spark`."""
    p = Path(path)
    if not p.exists():
        raise DataError(f"data {str(p)!r}", expected="an existing file or folder",
                        got="no such path", fix="check the path")
    spark = spark or spark_session()
    suffix = p.suffix.lower()
    if p.is_dir() or suffix in (".parquet", ".pq"):
        df = spark.read.parquet(str(p))
    elif suffix in (".csv", ".tsv", ".txt"):
        df = spark.read.csv(str(p), header=True, inferSchema=True,
                            sep="\t" if suffix == ".tsv" else ",")
    else:
        raise DataError(f"data {str(p)!r}", expected="a .parquet, .csv or .tsv file, or a "
                        "folder of Parquet files", got=f"a {suffix or 'suffix-less'} file",
                        fix="convert it to Parquet or CSV")
    return profile_spark(df, **options)
