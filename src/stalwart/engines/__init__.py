"""Execution engines beyond pandas: Spark profiles (pyspark extra, imported lazily)."""

from __future__ import annotations

from typing import Any

__all__ = ["profile_spark"]


def profile_spark(df: Any, **kwargs: Any) -> Any:
    """Profile a Spark DataFrame; see :func:`stalwart.engines.spark.profile_spark`."""
    from .spark import profile_spark as _profile_spark
    return _profile_spark(df, **kwargs)
